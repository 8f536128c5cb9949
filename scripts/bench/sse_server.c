// A small, independent reference server for scripts/bench/streams.sh: answers every HTTP/1.1 POST with an
// OpenAI-style chat-completion stream (server-sent events in chunked transfer encoding) whose timing is exact:
// the first token TTFT ms after the request's last byte was read, then one token every ITL ms, then a finish
// chunk, a usage chunk and `data: [DONE]`. Connections are kept alive.
//
// One thread, epoll, and one timerfd armed at the earliest due time of a min-heap of streams: every stream due
// when the timer fires writes its chunk, so the server itself costs one write(2) per token. It measures its own
// schedule lag (actual write - due time) and prints, on SIGINT/SIGTERM, how many chunks it wrote and how late
// (max and the share later than 1 ms), so a run can show that this reference kept its schedule.
//
// Build: cc -O2 -o sse_server sse_server.c
// Usage: sse_server PORT TTFT_MS ITL_MS TOKENS   (PORT 0 picks a free one; the port is printed on stdout)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_FD 65536
#define IN_CAP 65536

typedef struct {
    int active;          // a stream is under way on this connection
    int tokens_sent;
    uint64_t due;        // ns, monotonic
    size_t in_len;       // bytes buffered of the next request
    char in[IN_CAP];
} Conn;

static Conn *conns[MAX_FD];
static int heap[MAX_FD];  // fds of active streams, min-heap on conns[fd]->due
static int heap_pos[MAX_FD];
static int heap_len = 0;
static uint64_t ttft_ns, itl_ns;
static int tokens;
static volatile sig_atomic_t stopping = 0;
static uint64_t chunks_written = 0, chunks_late = 0, lag_max_ns = 0, lag_sum_ns = 0;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void heap_swap(int a, int b) {
    int t = heap[a]; heap[a] = heap[b]; heap[b] = t;
    heap_pos[heap[a]] = a; heap_pos[heap[b]] = b;
}
static void heap_up(int i) {
    while (i > 0) {
        int p = (i - 1) / 2;
        if (conns[heap[p]]->due <= conns[heap[i]]->due) break;
        heap_swap(i, p); i = p;
    }
}
static void heap_down(int i) {
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < heap_len && conns[heap[l]]->due < conns[heap[m]]->due) m = l;
        if (r < heap_len && conns[heap[r]]->due < conns[heap[m]]->due) m = r;
        if (m == i) return;
        heap_swap(i, m); i = m;
    }
}
static void heap_push(int fd) { heap[heap_len] = fd; heap_pos[fd] = heap_len; heap_len++; heap_up(heap_len - 1); }
static void heap_remove(int fd) {
    int i = heap_pos[fd];
    heap_len--;
    if (i != heap_len) { heap[i] = heap[heap_len]; heap_pos[heap[i]] = i; heap_down(i); heap_up(i); }
}

static void close_conn(int ep, int fd) {
    if (!conns[fd]) return;
    if (conns[fd]->active) heap_remove(fd);
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(conns[fd]);
    conns[fd] = NULL;
}

// Writes one SSE event as one HTTP chunk; the socket buffer is large enough for a few hundred bytes per 20 ms.
static int write_event(int fd, const char *event, size_t len) {
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%zx\r\n%.*s\r\n", len, (int)len, event);
    if (n < 0 || (size_t)n >= sizeof buf) return -1;
    ssize_t w = write(fd, buf, (size_t)n);
    return w == n ? 0 : -1;
}

static int send_token(int fd, Conn *c) {
    char ev[512];
    int n;
    if (c->tokens_sent == 0) {
        n = snprintf(ev, sizeof ev,
            "data: {\"id\":\"chatcmpl-ref\",\"object\":\"chat.completion.chunk\",\"created\":1733400000,"
            "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Tok\"},"
            "\"finish_reason\":null}]}\n\n");
    } else {
        n = snprintf(ev, sizeof ev,
            "data: {\"id\":\"chatcmpl-ref\",\"object\":\"chat.completion.chunk\",\"created\":1733400000,"
            "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" tok\"},"
            "\"finish_reason\":null}]}\n\n");
    }
    if (write_event(fd, ev, (size_t)n) != 0) return -1;
    c->tokens_sent++;
    if (c->tokens_sent < tokens) return 0;
    // The last token: finish, usage, [DONE], end of body, all in one go.
    char tail[1024];
    int t = snprintf(tail, sizeof tail,
        "data: {\"id\":\"chatcmpl-ref\",\"object\":\"chat.completion.chunk\",\"created\":1733400000,"
        "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
        "data: {\"id\":\"chatcmpl-ref\",\"object\":\"chat.completion.chunk\",\"created\":1733400000,"
        "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":%d,"
        "\"total_tokens\":%d}}\n\ndata: [DONE]\n\n", tokens, tokens + 20);
    char buf[1200];
    int m = snprintf(buf, sizeof buf, "%x\r\n%.*s\r\n0\r\n\r\n", t, t, tail);
    if (write(fd, buf, (size_t)m) != m) return -1;
    c->active = 0;
    return 1;
}

static const char HEAD[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";

// Parses complete requests from the buffer; starts a stream when one is complete.
static int on_readable(int ep, int fd) {
    Conn *c = conns[fd];
    for (;;) {
        if (c->in_len == IN_CAP) return -1;
        ssize_t r = read(fd, c->in + c->in_len, IN_CAP - c->in_len);
        if (r == 0) return -1;
        if (r < 0) { if (errno == EAGAIN || errno == EWOULDBLOCK) break; if (errno == EINTR) continue; return -1; }
        c->in_len += (size_t)r;
    }
    if (c->active) return 0;  // a pipelined request waits for the stream under way
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head_len = (size_t)(end - c->in) + 4;
    size_t body_len = 0;
    for (char *p = c->in; p < end; p++) {
        if ((p == c->in || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) {
            body_len = strtoul(p + 15, NULL, 10);
            break;
        }
    }
    if (c->in_len < head_len + body_len) return 0;
    size_t used = head_len + body_len;
    memmove(c->in, c->in + used, c->in_len - used);
    c->in_len -= used;
    if (write(fd, HEAD, sizeof HEAD - 1) != (ssize_t)(sizeof HEAD - 1)) return -1;
    c->active = 1;
    c->tokens_sent = 0;
    c->due = now_ns() + ttft_ns;
    heap_push(fd);
    (void)ep;
    return 0;
}

static void arm(int tfd) {
    struct itimerspec its = {0};
    if (heap_len > 0) {
        uint64_t due = conns[heap[0]]->due;
        its.it_value.tv_sec = (time_t)(due / 1000000000ull);
        its.it_value.tv_nsec = (long)(due % 1000000000ull);
        if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
    }
    timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void on_stop(int sig) { (void)sig; stopping = 1; }

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s PORT TTFT_MS ITL_MS TOKENS\n", argv[0]); return 64; }
    int port = atoi(argv[1]);
    ttft_ns = (uint64_t)atol(argv[2]) * 1000000ull;
    itl_ns = (uint64_t)atol(argv[3]) * 1000000ull;
    tokens = atoi(argv[4]);
    if (port < 0 || port > 65535 || tokens < 1 || tokens > 100000) { fprintf(stderr, "bad arguments\n"); return 64; }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {0};
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(ls, 4096) != 0) { perror("bind/listen"); return 1; }
    socklen_t alen = sizeof addr;
    getsockname(ls, (struct sockaddr *)&addr, &alen);
    printf("%d\n", ntohs(addr.sin_port));
    fflush(stdout);

    int ep = epoll_create1(0);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    ev.data.fd = tfd;
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
    struct epoll_event events[1024];
    while (!stopping) {
        int n = epoll_wait(ep, events, 1024, 1000);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == ls) {
                for (;;) {
                    int cfd = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                    if (cfd < 0) break;
                    if (cfd >= MAX_FD) { close(cfd); continue; }
                    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conns[cfd] = calloc(1, sizeof(Conn));
                    if (!conns[cfd]) { close(cfd); continue; }
                    struct epoll_event cev = {.events = EPOLLIN, .data.fd = cfd};
                    epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &cev);
                }
            } else if (fd == tfd) {
                uint64_t expirations;
                (void)!read(tfd, &expirations, sizeof expirations);
            } else if (conns[fd]) {
                if (on_readable(ep, fd) != 0) close_conn(ep, fd);
            }
        }
        // Every stream due by now writes its chunk.
        uint64_t now = now_ns();
        while (heap_len > 0 && conns[heap[0]]->due <= now) {
            int fd = heap[0];
            Conn *c = conns[fd];
            uint64_t lag = now - c->due;
            chunks_written++;
            lag_sum_ns += lag;
            if (lag > lag_max_ns) lag_max_ns = lag;
            if (lag > 1000000ull) chunks_late++;
            int r = send_token(fd, c);
            if (r < 0) { close_conn(ep, fd); continue; }
            if (r == 1) {
                heap_remove(fd);
                if (c->in_len > 0 && on_readable(ep, fd) != 0) close_conn(ep, fd);  // a pipelined request
            } else {
                c->due += itl_ns;
                heap_down(0);
            }
            now = now_ns();
        }
        arm(tfd);
    }
    fprintf(stderr, "sse_server: %llu chunks, %llu (%.3f %%) more than 1 ms late, mean lag %.3f ms, max lag %.3f ms\n",
        (unsigned long long)chunks_written, (unsigned long long)chunks_late,
        chunks_written ? 100.0 * (double)chunks_late / (double)chunks_written : 0.0,
        chunks_written ? (double)lag_sum_ns / (double)chunks_written / 1e6 : 0.0, (double)lag_max_ns / 1e6);
    return 0;
}
