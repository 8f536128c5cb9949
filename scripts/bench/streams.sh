#!/usr/bin/env bash
# Thousands of concurrent streams: what tierbench's client sees against a server whose timing is known.
#
# For each stream count, a server runs in its own process with TTFT 200 ms, ITL 20 ms and 50 output tokens, and
# `tierbench run` (streaming chat, closed loop, one worker per stream) measures it. Two servers, one after the other:
#   mock  `tierbench mock --ttft 200ms --itl 20ms --output-tokens 50` (the built-in mock, as a separate process)
#   ref   scripts/bench/sse_server.c: a small epoll + timerfd C server that writes each token at its exact due
#         time and reports its own lateness; it shows the client's accuracy apart from the mock.
# and two clients: `tierbench run`, and scripts/bench/sse_client.c, a plain C libcurl client (curl_multi_socket_action
# over epoll, chunks stamped when epoll_wait returned) that shows what any libcurl client can see on this machine.
# Printed per row: the ITL and TTFT percentiles tierbench saw (truth: 20 ms and 200 ms), requests and errors,
# each process's CPU (cores, over the measured run) and peak RSS, and tierbench's self-check verdict.
#
#   scripts/bench/streams.sh                       # streams 100 500 1000 2000 5000, every pair
#   STREAMS="100 2000" PAIRS=mock:tierbench scripts/bench/streams.sh
#
# Env: STREAMS (list), PAIRS (server:client pairs, "mock:tierbench ref:tierbench ref:c"), DURATION (s per run, 20), WARMUP (s, 5; connection set-up and the
# first TTFTs are left out), THREADS (tierbench --threads, 1), MOCK_LOOPS (the mock's --event-loops, default one
# per core), TIERBENCH (a tierbench binary; default: builds .build/release/tierbench). Goals on the 2-core machine
# (issue 14): at 2,000 streams ITL p50 within 0.5 ms and p99 within 3 ms of 20 ms, TTFT p99 within 10 ms of
# 200 ms; 5,000 streams with no errors and under 1 GiB RSS for both processes together. Not a test: run it by
# hand on an otherwise idle machine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
streams_list="${STREAMS:-100 500 1000 2000 5000}"
pairs="${PAIRS:-mock:tierbench ref:tierbench ref:c}"
duration="${DURATION:-20}"
warmup="${WARMUP:-5}"
threads="${THREADS:-1}"
mock_loops="${MOCK_LOOPS:-}"
ttft_ms=200
itl_ms=20
tokens=50

need() {
    local missing=()
    for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
    [ -x /usr/bin/time ] || missing+=(time)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "streams.sh: installing ${missing[*]} with apt-get" >&2
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
need jq curl cc pkg-config
pkg-config --exists libcurl 2>/dev/null || need libcurl4-openssl-dev

binary="${TIERBENCH:-}"
if [ -z "$binary" ]; then
    (cd "$root" && swift build -c release --product tierbench >/dev/null)
    binary="$root/.build/release/tierbench"
fi

# Thousands of connections on both ends: raise the open-file limit for this shell and its children.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
    echo "streams.sh: the open-file limit is $(ulimit -n); 5,000 streams need about 10,300 (ulimit -n 12000)" >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tierbench-streams.XXXXXX")"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill -INT "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap 'stop_server; rm -rf "$work"' EXIT
cc -O2 -o "$work/sse_server" "$here/sse_server.c"
cc -O2 -o "$work/sse_client" "$here/sse_client.c" $(pkg-config --cflags --libs libcurl)

# CPU seconds (user + system) of a live process, from /proc/PID/stat (fields 14 and 15, in clock ticks).
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}
peak_rss_mib() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

start_server() {  # $1 = mock | ref; sets server_pid and port
    local log="$work/server.log"
    : >"$log"
    if [ "$1" = mock ]; then
        "$binary" mock --port 0 ${mock_loops:+--event-loops "$mock_loops"} --ttft "${ttft_ms}ms" --itl "${itl_ms}ms" \
            --output-tokens "$tokens" --max-connections 60000 >"$log" 2>&1 &
        server_pid=$!
        for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
        port="$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/v1.*|\1|p' "$log" | head -1)"
    else
        "$work/sse_server" 0 "$ttft_ms" "$itl_ms" "$tokens" >"$log" 2>"$work/ref.err" &
        server_pid=$!
        for _ in $(seq 100); do [ -s "$log" ] && break; sleep 0.1; done
        port="$(head -1 "$log")"
    fi
    [ -n "$port" ] || { echo "streams.sh: the $1 server did not start:" >&2; cat "$log" >&2; exit 1; }
}

write_scenario() {  # $1 = streams, $2 = port
    cat >"$work/scenario.yaml" <<YAML
version: 1
name: streams-$1
endpoint: chat
model: gpt-4o-mini
stream: true
target: { base_url: "http://127.0.0.1:$2/v1" }
request:
  messages: [{ role: user, content: "{prompt}" }]
  max_tokens: $tokens
prompts:
  synthetic: { count: 100, tokens: { mean: 20, stddev: 0 }, seed: 7 }
load:
  max_workers: $1
  duration: ${duration}s
  warmup: ${warmup}s
timeouts: { connect: 30s, request: 60s }
YAML
}

rows=()
for pair in $pairs; do
    server="${pair%%:*}"
    client="${pair#*:}"
    for n in $streams_list; do
        start_server "$server"
        write_scenario "$n" "$port"
        out="$work/run-$server-$client-$n"
        server_cpu_before="$(cpu_seconds "$server_pid")"
        started="$(date +%s.%N)"
        status=0
        if [ "$client" = c ]; then
            /usr/bin/time -f "%U %S %M %e" -o "$work/time.txt" "$work/sse_client" \
                "http://127.0.0.1:$port/v1/chat/completions" "$n" "$duration" "$warmup" >"$work/c.out" \
                2>"$work/run.err" || status=$?
        else
            /usr/bin/time -f "%U %S %M %e" -o "$work/time.txt" "$binary" run "$work/scenario.yaml" --output "$out" \
                --quiet --threads "$threads" >/dev/null 2>"$work/run.err" || status=$?
        fi
        ended="$(date +%s.%N)"
        server_cpu_after="$(cpu_seconds "$server_pid")"
        server_rss="$(peak_rss_mib "$server_pid")"
        stop_server
        ref_note=""
        [ "$server" = ref ] && ref_note="$(sed -n 's/^sse_server: .*(\(.*\) %) more than 1 ms late.*max lag \(.*\) ms$/ (its own chunks: \1 % > 1 ms late, max \2 ms)/p' "$work/ref.err")"
        if [ "$client" = c ]; then
            line="$(cat "$work/c.out")"
            if [ -z "$line" ]; then
                rows+=("$(printf '| %5d | %-4s | c | run failed (exit %d) | | | | | | | |' "$n" "$server" "$status")")
                continue
            fi
            read -r user sys maxrss_kb wall <"$work/time.txt"
            itl="$(sed -n 's|.*itl_ms=\([^ ]*\).*|\1|p' <<<"$line" | sed 's|/| / |g')"
            ttft="$(sed -n 's|.*ttft_ms=\([^ ]*\).*|\1|p' <<<"$line" | sed 's|/| / |g')"
            requests="$(sed -n 's|.*requests=\([0-9]*\).*|\1|p' <<<"$line")"
            errors="$(sed -n 's|.*errors=\([0-9]*\).*|\1|p' <<<"$line")"
            client_cores="$(awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN { printf "%.2f", (u + s) / w }')"
            server_cores="$(awk -v a="$server_cpu_before" -v b="$server_cpu_after" -v s="$started" -v e="$ended" \
                'BEGIN { printf "%.2f", (b - a) / (e - s) }')"
            rows+=("$(printf '| %5d | %-4s | c | %s | %s | %s | %s | %s | %s MiB | %s | %s MiB | -%s |' \
                "$n" "$server" "$itl" "$ttft" "$requests" "$errors" "$server_cores" "$server_rss" "$client_cores" \
                "$((maxrss_kb / 1024))" "$ref_note")")
            echo "${rows[-1]}" >&2
            continue
        fi
        if [ ! -f "$out/summary.json" ]; then
            echo "streams.sh: $server at $n streams wrote no summary (exit $status):" >&2
            tail -5 "$work/run.err" >&2
            rows+=("$(printf '| %5d | %-4s | tierbench | run failed (exit %d) | | | | | | | |' "$n" "$server" "$status")")
            continue
        fi
        read -r user sys maxrss_kb wall <"$work/time.txt"
        client_cores="$(awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN { printf "%.2f", (u + s) / w }')"
        client_rss=$((maxrss_kb / 1024))
        server_cores="$(awk -v a="$server_cpu_before" -v b="$server_cpu_after" -v s="$started" -v e="$ended" \
            'BEGIN { printf "%.2f", (b - a) / (e - s) }')"
        summary="$out/summary.json"
        itl="$(jq -r '.itl_ms // {} | "\(.p50 // "-") / \(.p90 // "-") / \(.p99 // "-")"' "$summary")"
        ttft="$(jq -r '.ttft_ms // {} | "\(.p50 // "-") / \(.p99 // "-")"' "$summary")"
        requests="$(jq -r '.requests.total' "$summary")"
        errors="$(jq -r '.requests.failed' "$summary")"
        trusted="$(jq -r 'if .self_check == null then "-" elif .self_check.trusted then "trusted" else "NOT trusted" end' "$summary")"
        rows+=("$(printf '| %5d | %-4s | tierbench | %s | %s | %s | %s | %s | %s MiB | %s | %s MiB | %s%s |' \
            "$n" "$server" "$itl" "$ttft" "$requests" "$errors" "$server_cores" "$server_rss" "$client_cores" \
            "$client_rss" "$trusted" "$ref_note")")
        echo "${rows[-1]}" >&2
    done
done

echo
echo "tierbench streams: TTFT ${ttft_ms} ms, ITL ${itl_ms} ms, ${tokens} tokens; ${duration} s runs after ${warmup} s warmup; client --threads ${threads}; $(nproc) cores"
echo
echo "| streams | server | client | ITL p50 / p90 / p99 (ms) | TTFT p50 / p99 (ms) | requests | errors | server CPU | server RSS | client CPU | client RSS | self-check |"
echo "|---:|---|---|---|---|---:|---:|---:|---:|---:|---:|---|"
for row in "${rows[@]}"; do echo "$row"; done
