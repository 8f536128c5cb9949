// A plain C libcurl streaming client for scripts/bench/streams.sh: the reference for what a libcurl client can see
// on this machine, apart from tierbench's own code. STREAMS easy handles in a closed loop (each starts its next
// request when its stream ends) POST a streaming chat request; every body chunk that carries a token is stamped
// with the time epoll_wait returned (the time the socket was known readable), like tierbench's loop does.
//
// The loop is the textbook scalable libcurl loop: curl_multi_socket_action per ready socket over epoll, libcurl's
// timer as the epoll_wait timeout. It measures the gaps between a stream's tokens (ITL) and request start to first
// token (TTFT) in 10 µs buckets, leaving out streams started in the first WARMUP seconds (of DURATION, like
// tierbench's `warmup`; streams under way at the end run to completion), and prints one line:
//   itl_ms=p50/p90/p99 ttft_ms=p50/p99 requests=N errors=N
//
// Build: cc -O2 -o sse_client sse_client.c $(pkg-config --cflags --libs libcurl)
// Usage: sse_client URL STREAMS DURATION_S WARMUP_S
#define _GNU_SOURCE
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#define BUCKET_NS 10000ULL        // 10 µs buckets
#define BUCKETS 1000000           // up to 10 s

typedef struct {
    CURL *easy;
    uint64_t start, last;
    int tokens;
    int measured;                 // started after the warmup
} Stream;

static int epfd;
static uint64_t timer_due;        // 0 = none
static uint64_t stamp;            // when epoll_wait returned in this pass
static uint32_t *itl_hist, *ttft_hist;
static uint64_t itl_count, ttft_count;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void record(uint32_t *hist, uint64_t *count, uint64_t ns) {
    uint64_t bucket = ns / BUCKET_NS;
    hist[bucket < BUCKETS ? bucket : BUCKETS - 1]++;
    (*count)++;
}

static double percentile(const uint32_t *hist, uint64_t count, double p) {
    if (count == 0) return -1;
    uint64_t rank = (uint64_t)(p * (double)count + 0.5), seen = 0;
    if (rank < 1) rank = 1;
    for (int i = 0; i < BUCKETS; i++) {
        seen += hist[i];
        if (seen >= rank) return (i + 0.5) * (double)BUCKET_NS / 1e6;
    }
    return -1;
}

// Counts the token chunks in a body write: SSE events whose delta carries "content".
static size_t on_body(char *data, size_t size, size_t count, void *userdata) {
    Stream *s = userdata;
    size_t length = size * count;
    int tokens = 0;
    const char *p = data, *end = data + length;
    while ((p = memmem(p, (size_t)(end - p), "\"content\":", 10)) != NULL) { tokens++; p += 10; }
    for (int i = 0; i < tokens; i++) {
        if (s->tokens == 0) {
            if (s->measured) record(ttft_hist, &ttft_count, stamp - s->start);
        } else if (s->measured) {
            record(itl_hist, &itl_count, stamp - s->last);
        }
        s->last = stamp;
        s->tokens++;
    }
    return length;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
    (void)easy; (void)userp; (void)socketp;
    struct epoll_event ev = {0};
    ev.data.fd = fd;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
        return 0;
    }
    if (what & CURL_POLL_IN) ev.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) ev.events |= EPOLLOUT;
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) != 0) epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi; (void)userp;
    timer_due = timeout_ms < 0 ? 0 : now_ns() + (uint64_t)timeout_ms * 1000000ULL;
    if (timeout_ms == 0) timer_due = 1;  // due now
    return 0;
}

static void begin(CURLM *multi, Stream *s, uint64_t measure_from) {
    s->start = now_ns();
    s->tokens = 0;
    s->measured = s->start >= measure_from;
    curl_multi_add_handle(multi, s->easy);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s URL STREAMS DURATION_S WARMUP_S\n", argv[0]);
        return 2;
    }
    const char *url = argv[1];
    int streams = atoi(argv[2]);
    double duration = atof(argv[3]), warmup = atof(argv[4]);
    if (streams < 1 || streams > 100000 || duration <= 0 || warmup < 0 || warmup >= duration) { fprintf(stderr, "sse_client: bad arguments\n"); return 2; }
    itl_hist = calloc(BUCKETS, sizeof(uint32_t));
    ttft_hist = calloc(BUCKETS, sizeof(uint32_t));
    epfd = epoll_create1(0);
    curl_global_init(CURL_GLOBAL_ALL);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)streams);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)streams);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)streams);
    static const char body[] = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":50,"
                               "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    Stream *all = calloc((size_t)streams, sizeof(Stream));
    uint64_t t0 = now_ns();
    uint64_t measure_from = t0 + (uint64_t)(warmup * 1e9), end = t0 + (uint64_t)(duration * 1e9);
    for (int i = 0; i < streams; i++) {
        CURL *easy = curl_easy_init();
        all[i].easy = easy;
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &all[i]);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, &all[i]);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 60000L);
        begin(multi, &all[i], measure_from);
    }
    struct epoll_event events[1024];
    long requests = 0, errors = 0;
    int running = streams, stopping = 0;
    while (!stopping || running > 0) {
        uint64_t now = now_ns();
        int timeout = 1000;
        if (timer_due) timeout = timer_due <= now ? 0 : (int)((timer_due - now + 999999) / 1000000);
        int n = epoll_wait(epfd, events, 1024, timeout);
        stamp = now_ns();
        for (int i = 0; i < n; i++) {
            int mask = 0;
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_IN;
            if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_OUT;
            curl_multi_socket_action(multi, events[i].data.fd, mask, &running);
        }
        if (timer_due && now_ns() >= timer_due) {
            timer_due = 0;
            curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
        if (!stopping && stamp >= end) stopping = 1;
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            Stream *s;
            long status = 0;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            int failed = message->data.result != CURLE_OK || status != 200;
            curl_multi_remove_handle(multi, s->easy);
            if (s->measured) { requests++; errors += failed; }
            if (!stopping) begin(multi, s, measure_from);
        }
    }
    printf("itl_ms=%.2f/%.2f/%.2f ttft_ms=%.1f/%.1f requests=%ld errors=%ld\n", percentile(itl_hist, itl_count, 0.5),
           percentile(itl_hist, itl_count, 0.9), percentile(itl_hist, itl_count, 0.99),
           percentile(ttft_hist, ttft_count, 0.5), percentile(ttft_hist, ttft_count, 0.99), requests, errors);
    return errors > 0 && requests == errors ? 1 : 0;
}
