/*
 * A plain C libcurl multi-interface closed loop: the baseline tierbench's transport is measured against.
 *
 * N easy handles POST the same body to one URL; each is re-added as soon as it completes, for a fixed duration.
 * Same transport choices as tierbench: HTTP/1.1 keep-alive, one connection per handle, TCP_NODELAY, NOSIGNAL,
 * no "Expect: 100-continue", curl_multi_perform + curl_multi_info_read + curl_multi_poll. With THREADS > 1, each
 * thread runs its own multi handle with its share of the connections (like tierbench's --threads).
 *
 * With a sixth argument the loop is "measured": it also does, in C, the least per-request work tierbench's
 * metrics need (docs/metrics.md), so tierbench can be compared with C doing the same job:
 *   - tierbench's libcurl set-up: a header callback counting the header bytes, a pre-request callback noting the
 *     connection, sockets opened close-on-exec through callbacks, an error buffer, a User-Agent header, the slot
 *     index in CURLOPT_PRIVATE;
 *   - the first 4 KiB of each response body kept, the usage object found from the end and its three counts read;
 *   - the start and end clock, the phase timings, status, bytes and connection count read with curl_easy_getinfo;
 *   - four log-linear latency histograms (service time, request latency, response time, send lateness) and a
 *     per-second time series;
 *   - one JSON line per request (index, UTC send time, offset, latency, status, tokens) appended to MEASURE_LOG in
 *     64 KiB writes.
 *
 * usage: curl_multi_loop URL CONNECTIONS SECONDS BODY_FILE [THREADS [MEASURE_LOG]]
 * prints: completed=N ok=N failed=N seconds=S requests_per_s=R
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Counts and discards the response body. */
static size_t discard(char *data, size_t size, size_t count, void *userdata) {
    (void)data;
    *(long *)userdata += (long)(size * count);
    return size * count;
}

/* ---- measured mode ------------------------------------------------------------------------------------------ */

static uint64_t now_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Log-linear buckets, 7 bits of mantissa (as coarse as it gets while still a latency histogram). */
typedef struct { uint64_t counts[64 * 128]; uint64_t total; } Histogram;

static void record(Histogram *histogram, uint64_t nanos) {
    uint64_t micros = nanos / 1000 | 1;
    int exponent = 63 - __builtin_clzll(micros);
    int shift = exponent > 7 ? exponent - 7 : 0;
    histogram->counts[exponent * 128 + (int)((micros >> shift) & 127)]++;
    histogram->total++;
}

typedef struct {
    char body[4096];
    char error[CURL_ERROR_SIZE];
    size_t length;
    long header_bytes;
    int connected;
    uint64_t started;
} Transfer;

typedef struct {
    Histogram service, request, response, lateness;
    uint64_t per_second[3600];
    long prompt_tokens, completion_tokens;
    int log;
    char *log_buffer;
    size_t log_length;
} Measures;

static size_t keep_body(char *data, size_t size, size_t count, void *userdata) {
    Transfer *transfer = userdata;
    size_t length = size * count, room = sizeof transfer->body - 1 - transfer->length;
    size_t kept = length < room ? length : room;
    memcpy(transfer->body + transfer->length, data, kept);
    transfer->length += kept;
    return length;
}

static size_t count_header(char *data, size_t size, size_t count, void *userdata) {
    (void)data;
    Transfer *transfer = userdata;
    transfer->header_bytes += (long)(size * count);
    return transfer->header_bytes > 256 * 1024 ? 0 : size * count;
}

static int note_connection(void *userdata, char *a, char *b, int c, int d) {
    (void)a, (void)b, (void)c, (void)d;
    ((Transfer *)userdata)->connected = 1;
    return CURL_PREREQFUNC_OK;
}

static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)clientp, (void)purpose;
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

static int close_socket(void *clientp, curl_socket_t socket) {
    (void)clientp;
    return close(socket);
}

/* The integer after "key": in the usage object that starts at `usage`, or 0. */
static long usage_count(const char *usage, const char *key) {
    const char *found = strstr(usage, key);
    if (!found) return 0;
    found = strchr(found + strlen(key), ':');
    return found ? strtol(found + 1, NULL, 10) : 0;
}

/* Writes the buffered request-log lines out (all of them: a short write is continued). */
static void write_log(Measures *measures) {
    size_t done = 0;
    while (done < measures->log_length) {
        ssize_t count = write(measures->log, measures->log_buffer + done, measures->log_length - done);
        if (count <= 0) { perror("request log"); exit(1); }
        done += (size_t)count;
    }
    measures->log_length = 0;
}

/* Reads the finished transfer the way tierbench does and records it. */
static void measure(Measures *measures, CURL *easy, Transfer *transfer, long index, uint64_t run_start,
                    int64_t run_start_unix_ms, long status) {
    uint64_t end = now_nanos();
    curl_off_t connect = 0, tls = 0, dns = 0, first_byte = 0, total = 0, sent = 0;
    long connects = 0;
    curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect);
    curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &tls);
    curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &dns);
    curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &first_byte);
    curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total);
    curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &sent);
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    (void)connect, (void)tls, (void)dns, (void)first_byte, (void)total, (void)sent, (void)connects;

    long prompt = 0, completion = 0;
    transfer->body[transfer->length] = 0;
    for (size_t i = transfer->length; i-- > 6;) {  /* the last "usage" key, searching backwards like tierbench */
        if (transfer->body[i] == '"' && memcmp(transfer->body + i - 6, "\"usage\"", 7) == 0) {
            prompt = usage_count(transfer->body + i, "\"prompt_tokens\"");
            completion = usage_count(transfer->body + i, "\"completion_tokens\"");
            break;
        }
    }
    measures->prompt_tokens += prompt;
    measures->completion_tokens += completion;

    uint64_t latency = end - transfer->started;
    record(&measures->service, latency);
    record(&measures->request, latency);
    record(&measures->response, latency);
    record(&measures->lateness, 0);
    uint64_t second = (end - run_start) / 1000000000u;
    measures->per_second[second < 3600 ? second : 3599]++;

    int64_t sent_ms = run_start_unix_ms + (int64_t)((transfer->started - run_start) / 1000000u);
    time_t seconds = (time_t)(sent_ms / 1000);
    struct tm utc;
    gmtime_r(&seconds, &utc);
    int written = snprintf(
        measures->log_buffer + measures->log_length, 1024,
        "{\"i\":%ld,\"sent_at\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\",\"t_ms\":%.3f,\"latency_ms\":%.3f,"
        "\"status\":%ld,\"prompts\":1,\"prompt_tokens\":%ld,\"completion_tokens\":%ld,\"total_tokens\":%ld}\n",
        index, utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
        (int)(sent_ms % 1000), (double)(transfer->started - run_start) / 1e6, (double)latency / 1e6, status, prompt,
        completion, prompt + completion);
    if (written > 0) measures->log_length += (size_t)written < 1024 ? (size_t)written : 1023;
    if (measures->log_length >= 64 * 1024) write_log(measures);
}

static char *read_file(const char *path, long *length) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    fseek(file, 0, SEEK_END);
    *length = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *bytes = malloc((size_t)*length + 1);
    if (bytes && fread(bytes, 1, (size_t)*length, file) != (size_t)*length) { free(bytes); bytes = NULL; }
    fclose(file);
    return bytes;
}

typedef struct {
    const char *url;
    int connections;
    double seconds;
    const char *body;
    long body_length;
    const char *measure_log; /* NULL: the plain loop */
    long completed, ok, failed;
    double elapsed;
} Loop;

/* One closed loop: `connections` handles on one multi handle, on the calling thread. */
static void *run_loop(void *argument) {
    Loop *loop = argument;
    int connections = loop->connections;
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)connections);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)connections);

    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Authorization: Bearer bench");
    headers = curl_slist_append(headers, "Expect:");
    Measures *measures = NULL;
    Transfer *transfers = NULL;
    if (loop->measure_log) {
        headers = curl_slist_append(headers, "User-Agent: tierbench/0.0.0");
        measures = calloc(1, sizeof *measures);
        transfers = calloc((size_t)connections, sizeof *transfers);
        if (!measures || !transfers || !(measures->log_buffer = malloc(64 * 1024 + 1024))) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        measures->log = open(loop->measure_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (measures->log < 0) { perror(loop->measure_log); exit(1); }
    }
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    int64_t run_start_unix_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
    uint64_t run_start = now_nanos();

    long received = 0;
    CURL **handles = calloc((size_t)connections, sizeof(CURL *));
    for (int i = 0; i < connections; i++) {
        CURL *easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_URL, loop->url);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)loop->body_length);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, loop->body);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &received);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 60000L);
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L); /* the scenario's timeouts, as tierbench sets them */
        if (measures) {
            Transfer *transfer = &transfers[i];
            curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, keep_body);
            curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer);
            curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, count_header);
            curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer);
            curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, note_connection);
            curl_easy_setopt(easy, CURLOPT_PREREQDATA, transfer);
            curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
            curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, close_socket);
            curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
            curl_easy_setopt(easy, CURLOPT_PRIVATE, (void *)(intptr_t)i);
            transfer->started = now_nanos();
        }
        handles[i] = easy;
        curl_multi_add_handle(multi, easy);
    }

    long completed = 0, ok = 0, failed = 0;
    int running = 0;
    double start = now_seconds();
    double end = start + loop->seconds;
    int stopping = 0;
    do {
        curl_multi_perform(multi, &running);
        int queued = 0;
        CURLMsg *message;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            CURLcode result = message->data.result;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(multi, easy);
            if (measures) {
                void *slot = NULL;
                curl_easy_getinfo(easy, CURLINFO_PRIVATE, &slot);
                Transfer *transfer = &transfers[(intptr_t)slot];
                measure(measures, easy, transfer, completed, run_start, run_start_unix_ms, status);
                transfer->length = 0;
                transfer->header_bytes = 0;
                transfer->connected = 0;
                transfer->started = now_nanos();
            }
            completed++;
            if (result == CURLE_OK && status >= 200 && status < 300) ok++; else failed++;
            if (!stopping) curl_multi_add_handle(multi, easy);
        }
        if (!stopping && now_seconds() >= end) stopping = 1;
        if (stopping && running == 0) break;
        curl_multi_poll(multi, NULL, 0, 100, NULL);
    } while (1);
    loop->elapsed = now_seconds() - start;
    loop->completed = completed;
    loop->ok = ok;
    loop->failed = failed;

    for (int i = 0; i < connections; i++) {
        curl_multi_remove_handle(multi, handles[i]);
        curl_easy_cleanup(handles[i]);
    }
    free(handles);
    if (measures) {
        write_log(measures);
        close(measures->log);
        free(measures->log_buffer);
        free(measures);
        free(transfers);
    }
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 5 || argc > 7) {
        fprintf(stderr, "usage: %s URL CONNECTIONS SECONDS BODY_FILE [THREADS [MEASURE_LOG]]\n", argv[0]);
        return 2;
    }
    int connections = atoi(argv[2]);
    double seconds = atof(argv[3]);
    int threads = argc >= 6 ? atoi(argv[5]) : 1;
    long body_length = 0;
    char *body = read_file(argv[4], &body_length);
    if (connections < 1 || seconds <= 0 || !body || threads < 1 || threads > 64 || threads > connections) {
        fprintf(stderr, "bad arguments or unreadable body file\n");
        return 2;
    }

    curl_global_init(CURL_GLOBAL_ALL);
    Loop loops[64];
    pthread_t ids[64];
    for (int t = 0; t < threads; t++) {
        /* floor plus remainder, like tierbench's split of workers over threads */
        /* measured: one request log per thread, MEASURE_LOG.<thread> */
        static char logs[64][4096];
        if (argc == 7) snprintf(logs[t], sizeof logs[t], "%s.%d", argv[6], t);
        Loop loop = {argv[1], connections / threads + (t < connections % threads ? 1 : 0), seconds, body, body_length,
                     argc == 7 ? logs[t] : NULL, 0, 0, 0, 0};
        loops[t] = loop;
        if (pthread_create(&ids[t], NULL, run_loop, &loops[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    long completed = 0, ok = 0, failed = 0;
    double elapsed = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
        completed += loops[t].completed;
        ok += loops[t].ok;
        failed += loops[t].failed;
        if (loops[t].elapsed > elapsed) elapsed = loops[t].elapsed;
    }
    printf("completed=%ld ok=%ld failed=%ld seconds=%.3f requests_per_s=%.1f\n", completed, ok, failed, elapsed,
           (double)completed / elapsed);
    curl_global_cleanup();
    free(body);
    return failed > 0 && ok == 0 ? 1 : 0;
}
