#!/usr/bin/env bash
# Open-loop send precision of tierbench: constant-arrival runs at 200, 1k, 5k and 20k requests/s (release build)
# against one nginx worker serving a static chat completion on loopback. Prints, per target rate, the achieved send
# rate, the completed rate, the send-lateness distribution (goal: lateness p99 < 1 ms up to 5k req/s) and, for rates
# up to 1k req/s, the coefficient of variation of the gaps between actual sends (from the request log).
#
# Environment: RATES ("200 1000 5000 20000"), DURATION (s per rate, 10), WARMUP (s, 1), MAX_IN_FLIGHT (1024),
# PORT (18081), REQUEST_LOG (1 = always write requests.jsonl; default: only up to 1k req/s, for the gap CV),
# SPIN (load.spin, e.g. 0s; default: tierbench's), LOOP (http.loop: epoll, the default, or poll), SCRATCH_PATH (SwiftPM build directory, default .build),
# TIERBENCH_BIN (use this binary instead of building one). Not a test: run it by hand.
set -euo pipefail

RATES="${RATES:-200 1000 5000 20000}"
LOOP="${LOOP:-epoll}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-1}"
MAX_IN_FLIGHT="${MAX_IN_FLIGHT:-1024}"
PORT="${PORT:-18081}"
REQUEST_LOG="${REQUEST_LOG:-}"
SPIN="${SPIN:-}"
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
SCRATCH_PATH="${SCRATCH_PATH:-$ROOT/.build}"
OUT="$BENCH_DIR/.out/openloop"
URL="http://127.0.0.1:$PORT/v1/chat/completions"
mkdir -p "$OUT/nginx/logs"
say() { printf '%s\n' "$*" >&2; }

# Tools: nginx to answer, jq to read summary.json, curl to check nginx is up (no wrk needed).
missing=()
for tool in nginx jq curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
    say "installing: ${missing[*]}"
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# One nginx worker returning a fixed chat completion (with usage) to every POST, keep-alive without a cap.
COMPLETION='{"id":"chatcmpl-openloop","object":"chat.completion","created":1718000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"ok","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}'
cat >"$OUT/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    client_body_temp_path $OUT/nginx/body;
    server {
        listen 127.0.0.1:$PORT backlog=8192;
        location = /v1/chat/completions { default_type application/json; return 200 '$COMPLETION'; }
        location / { return 404; }
    }
}
CONF
nginx -t -q -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf"
nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" &
NGINX=$!
trap 'kill "$NGINX" 2>/dev/null || true; wait "$NGINX" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 50); do curl -sf -o /dev/null -X POST -d '{}' "$URL" && break; sleep 0.1; done
curl -sf -o /dev/null -X POST -d '{}' "$URL" || { say "nginx did not start"; exit 1; }

# The release binary.
BIN="${TIERBENCH_BIN:-}"
if [[ -z "$BIN" ]]; then
    say "building tierbench (release)…"
    (cd "$ROOT" && swift build -c release --product tierbench --scratch-path "$SCRATCH_PATH" >"$OUT/swift-build.log" 2>&1) \
        || { say "release build failed: see $OUT/swift-build.log"; exit 1; }
    BIN="$SCRATCH_PATH/release/tierbench"
fi

spin_line=""
[[ -n "$SPIN" ]] && spin_line=", spin: $SPIN"
printf '%8s %10s %10s %9s %9s %9s %9s %9s %6s %7s\n' target achieved completed "late p50" "late p99" "p99.9" max "late>1ms" errors "gap CV"
for rate in $RATES; do
    log_flag="--no-request-log"
    if [[ "$REQUEST_LOG" == 1 ]] || { [[ -z "$REQUEST_LOG" ]] && ((rate <= 1000)); }; then log_flag=""; fi
    cat >"$OUT/scenario-$rate.yaml" <<YAML
version: 1
name: openloop-$rate
target: { base_url: "http://127.0.0.1:$PORT/v1" }
model: gpt-4o-mini
request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 5 }
prompts: { inline: ["hello"] }
load: { rate: $rate, arrival: constant, max_in_flight: $MAX_IN_FLIGHT, duration: ${DURATION}s, warmup: ${WARMUP}s$spin_line }
timeouts: { connect: 5s, request: 10s }
http: { loop: $LOOP }
YAML
    # shellcheck disable=SC2086
    "$BIN" run "$OUT/scenario-$rate.yaml" --quiet --json $log_flag --output "$OUT/results-$rate" >"$OUT/summary-$rate.json" \
        2>"$OUT/run-$rate.err" || { say "run at $rate req/s failed: $(tail -3 "$OUT/run-$rate.err")"; continue; }
    # Gap CV: stddev / mean of the gaps between consecutive actual sends (t_ms) of measured requests.
    cv="-"
    if [[ -z "$log_flag" && -s "$OUT/results-$rate/requests.jsonl" ]]; then
        cv=$(jq -s -r '[.[] | select(.warmup | not) | .t_ms] | sort | [range(1; length) as $i | .[$i] - .[$i - 1]]
            | (add / length) as $m | ((map((. - $m) * (. - $m)) | add) / (length - 1) | sqrt) / $m
            | . * 10000 | round / 10000' "$OUT/results-$rate/requests.jsonl")
    fi
    jq -r --arg rate "$rate" --arg cv "$cv" '[$rate, .generator.achieved_requests_per_s, .throughput.requests_per_s,
        .send_lateness_ms.p50, .send_lateness_ms.p99, .send_lateness_ms.p999, .send_lateness_ms.max,
        .generator.late_sends, .requests.failed, $cv] | @tsv' "$OUT/summary-$rate.json" |
        awk -F'\t' '{ printf "%8d %10.1f %10.1f %8.3fms %8.3fms %8.3fms %8.3fms %9d %6d %7s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
done
say "summaries: $OUT/summary-<rate>.json"
