#!/usr/bin/env bash
# Throughput benchmark of tierbench's transport: tierbench (release build), wrk, a plain C libcurl multi loop and
# the same C loop "measured" (doing the least per-request bookkeeping tierbench's metrics need: header and body
# callbacks, the usage object, curl_easy_getinfo timings, four histograms, a JSON line per request), each at the
# same number of connections for the same duration, against one nginx worker serving a static chat-completion JSON
# on loopback. Runs them in alternation (A B C D, A B C D, ...) and prints requests/s per round, the medians and the
# ratios tierbench/C and tierbench/wrk (goals: ≥ 0.95 and ≥ 0.7), tierbench/measured C and measured C/C.
#
# Environment: DURATION (s, default 10), CONNECTIONS (64), ROUNDS (3), PORT (18080), WRK_THREADS (1), THREADS (load
# threads of tierbench, `--threads`, and of the C loop, each with its share of the connections; 1), LOOP (tierbench's
# `http.loop`: epoll, the default, or poll, the plain libcurl loop the C reference also runs),
# SCRATCH_PATH (SwiftPM build directory, default .build), TIERBENCH_BIN (use this tierbench binary instead of
# building one). Not a test: run it by hand on an idle machine.
set -euo pipefail

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-18080}"
WRK_THREADS="${WRK_THREADS:-1}"
THREADS="${THREADS:-1}"
LOOP="${LOOP:-epoll}"
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
SCRATCH_PATH="${SCRATCH_PATH:-$ROOT/.build}"
OUT="$BENCH_DIR/.out"
URL="http://127.0.0.1:$PORT/v1/chat/completions"
mkdir -p "$OUT"

log() { printf '%s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v jq >/dev/null || need+=(jq)
command -v cc >/dev/null || need+=(gcc)
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists libcurl 2>/dev/null || need+=(libcurl4-openssl-dev)
if ((${#need[@]})); then
    log "installing: ${need[*]}"
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- the static response and the request body ---------------------------------------------------------------------
RESPONSE='{"id":"chatcmpl-9bench0000000000000000000001","object":"chat.completion","created":1718000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"The oldest person to become president of the United States was Joe Biden, who was 78 years old when he took office in January 2021.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":13,"completion_tokens":31,"total_tokens":44,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},"system_fingerprint":"fp_0ba0d124f1"}'
PROMPT="who is the oldest president"
printf '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"%s"}],"max_tokens":50}' "$PROMPT" >"$OUT/body.json"

# --- nginx: one worker, keep-alive without a request cap -------------------------------------------------------
mkdir -p "$OUT/nginx/logs"
cat >"$OUT/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    client_body_temp_path $OUT/nginx/body;
    server {
        listen 127.0.0.1:$PORT reuseport backlog=4096;
        location = /v1/chat/completions {
            default_type application/json;
            return 200 '$RESPONSE';
        }
        location / { return 404; }
    }
}
NGINX
nginx -t -q -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf"
nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" &
NGINX_PID=$!
cleanup() { kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
for _ in $(seq 50); do
    curl -sf -o /dev/null -X POST --data-binary "@$OUT/body.json" "$URL" && break
    sleep 0.1
done
curl -sf -o /dev/null -X POST --data-binary "@$OUT/body.json" "$URL" || { log "nginx did not start"; exit 1; }
log "nginx (1 worker) serving $(printf '%s' "$RESPONSE" | wc -c) bytes on $URL"

# --- the C loop ------------------------------------------------------------------------------------------------
# shellcheck disable=SC2046
cc -O2 -o "$OUT/curl_multi_loop" "$BENCH_DIR/curl_multi_loop.c" $(pkg-config --cflags --libs libcurl)

# --- wrk -------------------------------------------------------------------------------------------------------
cat >"$OUT/post.lua" <<'LUA'
local file = io.open(os.getenv("BODY_FILE"), "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench"
LUA

# --- tierbench -------------------------------------------------------------------------------------------------
TIERBENCH=""
candidate="${TIERBENCH_BIN:-}"
if [[ -z "$candidate" ]]; then
    log "building tierbench (release)…"
    if (cd "$ROOT" && swift build -c release --product tierbench --scratch-path "$SCRATCH_PATH" \
        >"$OUT/swift-build.log" 2>&1); then
        candidate="$SCRATCH_PATH/release/tierbench"
    else
        log "SKIP tierbench: release build failed (see $OUT/swift-build.log)"
    fi
fi
if [[ -n "$candidate" ]]; then
    if "$candidate" run --help >/dev/null 2>&1; then
        TIERBENCH="$candidate"
    else
        log "SKIP tierbench: $candidate has no 'run' subcommand yet"
    fi
fi
cat >"$OUT/scenario.yaml" <<YAML
version: 1
name: loadgen-bench
target: { base_url: "http://127.0.0.1:$PORT/v1", api_key_env: TIERBENCH_BENCH_KEY }
endpoint: chat
model: gpt-4o-mini
request:
  messages: [{ role: user, content: "{prompt}" }]
  max_tokens: 50
prompts:
  inline: ["$PROMPT"]
load:
  max_workers: $CONNECTIONS
  duration: ${DURATION}s
timeouts: { connect: 5s, request: 60s }
http: { version: "1.1", loop: $LOOP }
YAML

# Each runner prints two numbers: requests per second and requests completed.
run_tierbench() {
    TIERBENCH_BENCH_KEY=bench "$TIERBENCH" run "$OUT/scenario.yaml" --quiet --json --threads "$THREADS" --output "$OUT/results" \
        >"$OUT/tierbench.json" 2>"$OUT/tierbench.err" || { log "tierbench failed: $(tail -3 "$OUT/tierbench.err")"; echo 0 0; return; }
    jq -r '"\(.throughput.requests_per_s) \(.requests.total)"' "$OUT/tierbench.json"
}
run_wrk() {
    BODY_FILE="$OUT/body.json" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$OUT/post.lua" "$URL" \
        >"$OUT/wrk.txt" 2>&1
    awk '/^Requests\/sec:/ { rps = $2 } / requests in / { n = $1 } END { print rps + 0, n + 0 }' "$OUT/wrk.txt"
}
c_figures() { sed -n 's/.*completed=\([0-9]*\).*requests_per_s=\([0-9.]*\).*/\2 \1/p' "$1"; }
run_c() {
    "$OUT/curl_multi_loop" "$URL" "$CONNECTIONS" "$DURATION" "$OUT/body.json" "$THREADS" >"$OUT/c.txt"
    c_figures "$OUT/c.txt"
}
run_cmeasured() {
    "$OUT/curl_multi_loop" "$URL" "$CONNECTIONS" "$DURATION" "$OUT/body.json" "$THREADS" "$OUT/measured.jsonl" \
        >"$OUT/cmeasured.txt"
    c_figures "$OUT/cmeasured.txt"
}

tools=(wrk c cmeasured)
[[ -n "$TIERBENCH" ]] && tools=(tierbench wrk c cmeasured)
declare -A results cpu
log "$ROUNDS rounds × ${tools[*]}, $CONNECTIONS connections, ${DURATION}s each, $THREADS load thread(s) for tierbench and C, tierbench http.loop: $LOOP"
TIMEFORMAT='%U %S'
for round in $(seq "$ROUNDS"); do
    for tool in "${tools[@]}"; do
        # bash's `time` gives the runner's user + system CPU (its children included): CPU per request is steadier
        # than requests/s on a shared machine, and says what each request costs the load generator.
        # The runner runs in this shell (for `time`), where `set -e` would end the script on its failure: a failed
        # run counts as 0 requests/s and the rounds go on.
        { time "run_$tool" >"$OUT/run.txt" 2>&3; } 3>&2 2>"$OUT/time.txt" || {
            log "$tool failed (its output is in $OUT)"
            echo "0 0" >"$OUT/run.txt"
        }
        read -r value count <"$OUT/run.txt" || true
        read -r user system <"$OUT/time.txt" || true
        value="${value:-0}" count="${count:-0}" user="${user:-0}" system="${system:-0}"
        micros="$(awk -v u="$user" -v s="$system" -v n="$count" 'BEGIN { if (n > 0) printf "%.2f", (u + s) * 1e6 / n; else print 0 }')"
        results[$tool]+="$value "
        cpu[$tool]+="$micros "
        printf 'round %d  %-10s %12.1f req/s  %8.2f µs CPU/request\n' "$round" "$tool" "$value" "$micros"
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A medians
echo "medians:"
for tool in "${tools[@]}"; do
    medians[$tool]="$(printf '%s' "${results[$tool]}" | median)"
    printf '  %-10s %12.1f req/s  %8.2f µs CPU/request\n' "$tool" "${medians[$tool]}" "$(printf '%s' "${cpu[$tool]}" | median)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
if [[ -n "$TIERBENCH" ]]; then
    printf 'tierbench/C   = %s (goal ≥ 0.95)\n' "$(ratio "${medians[tierbench]}" "${medians[c]}")"
    printf 'tierbench/wrk = %s (goal ≥ 0.70)\n' "$(ratio "${medians[tierbench]}" "${medians[wrk]}")"
    printf 'tierbench/cmeasured = %s (against C doing the same per-request bookkeeping)\n' \
        "$(ratio "${medians[tierbench]}" "${medians[cmeasured]}")"
    printf 'cmeasured/C   = %s (what the bookkeeping costs C itself)\n' "$(ratio "${medians[cmeasured]}" "${medians[c]}")"
else
    printf 'C/wrk         = %s\n' "$(ratio "${medians[c]}" "${medians[wrk]}")"
    printf 'cmeasured/C   = %s (what the bookkeeping costs C itself)\n' "$(ratio "${medians[cmeasured]}" "${medians[c]}")"
    echo "tierbench skipped (no 'run' subcommand in this build): ratios against it are not available"
fi
