#!/usr/bin/env bash
# One run against two shards of the same run, side by side (issue 15): an open loop at RATE req/s against the mock
# (a separate process on loopback), first as one unsharded `tierbench run`, then as 2 shards (`--shard 0/2` and
# `--shard 1/2`, started together with `--start-at`) merged by `tierbench merge`. Prints, for both: requests, the
# achieved rate, p50 and p99 of the response time, errors, and the mock's received count. The two rows should
# agree within noise: the union of the shards' schedules is the unsharded schedule (docs/distributed.md).
#
#   scripts/bench/shards.sh                      # 2,000 req/s for 20 s, 2 shards
#   RATE=500 DURATION=10 SHARDS=3 scripts/bench/shards.sh
#
# Env: RATE (2000), DURATION (s, 20), WARMUP (s, 2), SHARDS (2), ARRIVAL (constant | poisson, default poisson),
# TIERBENCH (a tierbench binary; default: builds .build/release/tierbench). Not a test: run it on an idle machine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rate="${RATE:-2000}"
duration="${DURATION:-20}"
warmup="${WARMUP:-2}"
shards="${SHARDS:-2}"
arrival="${ARRIVAL:-poisson}"

for tool in jq curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "shards.sh: needs $tool (apt-get install $tool)" >&2; exit 1; }
done
binary="${TIERBENCH:-}"
if [ -z "$binary" ]; then
    (cd "$root" && swift build -c release --product tierbench >/dev/null)
    binary="$root/.build/release/tierbench"
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work="$(mktemp -d "${TMPDIR:-/tmp}/tierbench-shards.XXXXXX")"
mock_pid=""
stop_mock() {
    if [ -n "$mock_pid" ]; then
        kill -INT "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
        mock_pid=""
    fi
}
trap 'stop_mock; rm -rf "$work"' EXIT

start_mock() {
    "$binary" mock --port 0 --latency 20ms >"$work/mock.log" 2>&1 &
    mock_pid=$!
    for _ in $(seq 100); do grep -q "listening on" "$work/mock.log" && break; sleep 0.1; done
    port="$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/v1.*|\1|p' "$work/mock.log" | head -1)"
    [ -n "$port" ] || { echo "shards.sh: the mock did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }
}
mock_received() {
    curl -sf "http://127.0.0.1:$port/metrics" \
        | awk '$1 ~ /^tierbench_mock_requests_total\{route="chat"/ { s += $2 } END { printf "%d", s }'
}

cat >"$work/scenario.yaml" <<YAML
version: 1
name: shards-side-by-side
endpoint: chat
model: gpt-4o-mini
target: { base_url: "http://127.0.0.1:PORT/v1" }
request:
  messages: [{ role: user, content: "{prompt}" }]
  max_tokens: 16
prompts:
  synthetic: { count: 1000, tokens: { mean: 40, stddev: 10 }, seed: 3 }
load: { rate: $rate, arrival: $arrival, max_in_flight: 2000, duration: ${duration}s, warmup: ${warmup}s }
timeouts: { connect: 10s, request: 30s }
YAML

row() {  # $1 = label, $2 = summary.json, $3 = mock received
    jq -r --arg name "$1" --arg mock "$3" '
        "| \($name) | \(.requests.total + .requests.warmup_excluded) | \(.requests.total) | "
        + "\(.throughput.requests_per_s * 10 | round / 10) | "
        + "\(.response_time_ms.p50) | \(.response_time_ms.p99) | \(.requests.failed) | \($mock) | "
        + "\(.generator.late_sends) |"' "$2"
}

# One unsharded run.
start_mock
sed "s/PORT/$port/" "$work/scenario.yaml" >"$work/run.yaml"
"$binary" run "$work/run.yaml" --output "$work/single" --quiet
single_row="$(row "1 run" "$work/single/summary.json" "$(mock_received)")"
stop_mock

# The same scenario as SHARDS shards started together, then merged.
start_mock
sed "s/PORT/$port/" "$work/scenario.yaml" >"$work/run.yaml"
pids=()
start_at="$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)"  # one absolute time for every shard
for ((i = 0; i < shards; i++)); do
    "$binary" run "$work/run.yaml" --shard "$i/$shards" --start-at "$start_at" --output "$work/sharded/shard-$i" --quiet &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
received="$(mock_received)"
stop_mock
"$binary" merge "$work"/sharded/shard-* --output "$work/merged" --quiet
merged_row="$(row "$shards shards, merged" "$work/merged/summary.json" "$received")"

echo
echo "tierbench shards: open loop ($arrival) at $rate req/s for ${duration} s after ${warmup} s warmup, mock on loopback, $(nproc) cores"
echo
echo "| run | sent (warmup included) | measured requests | requests/s | response p50 (ms) | response p99 (ms) | errors | mock received | late sends |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "$single_row"
echo "$merged_row"
jq -r '.merge // empty | "start: first sends \(.first_send_spread_ms) ms apart (lateness against the schedule), origins \(.origin_spread_ms) ms apart; left out of the merge: \(.dropped | join(", "))"' "$work/merged/summary.json"
jq -r '"self-check: 1 run \(if .self_check.trusted then "trusted" else "NOT trusted: " + (.self_check.problems | join("; ")) end)"' "$work/single/summary.json"
for f in "$work"/sharded/shard-*/summary.json; do
    jq -r '"self-check: shard \(.shard.index) \(if .self_check.trusted then "trusted" else "NOT trusted: " + (.self_check.problems | join("; ")) end)"' "$f"
done
echo
