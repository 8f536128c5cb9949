/*
 * A plain C libcurl multi-interface closed loop: the baseline tierbench's transport is measured against.
 *
 * N easy handles POST the same body to one URL; each is re-added as soon as it completes, for a fixed duration.
 * Same transport choices as tierbench: HTTP/1.1 keep-alive, one connection per handle, TCP_NODELAY, NOSIGNAL,
 * no "Expect: 100-continue", curl_multi_perform + curl_multi_info_read + curl_multi_poll. With THREADS > 1, each
 * thread runs its own multi handle with its share of the connections (like tierbench's --threads).
 *
 * usage: curl_multi_loop URL CONNECTIONS SECONDS BODY_FILE [THREADS]
 * prints: completed=N ok=N failed=N seconds=S requests_per_s=R
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s URL CONNECTIONS SECONDS BODY_FILE [THREADS]\n", argv[0]);
        return 2;
    }
    int connections = atoi(argv[2]);
    double seconds = atof(argv[3]);
    int threads = argc == 6 ? atoi(argv[5]) : 1;
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
        Loop loop = {argv[1], connections / threads + (t < connections % threads ? 1 : 0), seconds, body, body_length,
                     0, 0, 0, 0};
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
