#!/usr/bin/env bash
# Memory check of the batch client: `tierbench batch run` of a 50,000-line job on the in-process mock (batch clock
# compressed 100,000×: prepare, upload, create, poll, download, reconcile) must stay under 128 MiB resident.
# Builds a release binary unless TIERBENCH_BIN names one; installs GNU time (/usr/bin/time) when it is missing, as
# scripts/setup.sh installs things. Prints the peak and exits 1 when it is 128 MiB or more.
#   scripts/check/batch_memory.sh [LINES]        (default 50000)
set -euo pipefail
cd "$(dirname "$0")/../.."
lines="${1:-50000}"
limit_kib=$((128 * 1024))

if [ ! -x /usr/bin/time ]; then
    echo "batch_memory: installing GNU time"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq time >/dev/null
fi

bin="${TIERBENCH_BIN:-}"
if [ -z "$bin" ]; then
    swift build -c release --product tierbench >/dev/null
    bin="$(swift build -c release --show-bin-path)/tierbench"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/batch-50k.yaml" <<YAML
version: 1
name: batch-memory
target: mock
model: gpt-4o-mini
request:
  messages: [{role: user, content: "{prompt}"}]
  max_tokens: 16
prompts:
  synthetic: {count: 1000, tokens: {mean: 40, stddev: 10}, seed: 1}
load: {requests: $lines}
mock:
  output_tokens: 16
  batch:
    time_scale: 100000
    validate_min: 1s
    validate_max: 5s
    queue_delay: 30s
    stall_probability: 0
    lines_per_second: 50
    finalize_min: 1s
    finalize_max: 6s
    line_latency: false
YAML

echo "batch_memory: tierbench batch run of $lines lines ($bin)"
set +e
/usr/bin/time -v "$bin" batch run "$work/batch-50k.yaml" --output "$work/out" --quiet 2> "$work/time.txt"
code=$?
set -e
peak_kib="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")"
wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")"
grep -v "^\s" "$work/time.txt" | grep -v "Command being timed" || true
ok_lines="$(grep -c '"outcome":"ok"' "$work/out/results.jsonl" 2>/dev/null || echo 0)"
echo "batch_memory: exit $code, $ok_lines/$lines lines ok, wall $wall, peak RSS ${peak_kib:-?} KiB ($(( ${peak_kib:-0} / 1024 )) MiB; limit 128 MiB)"
if [ "$code" -ne 0 ] || [ "$ok_lines" -ne "$lines" ]; then
    echo "batch_memory: the batch run did not complete every line" >&2
    exit 1
fi
if [ -z "$peak_kib" ] || [ "$peak_kib" -ge "$limit_kib" ]; then
    echo "batch_memory: FAIL — peak RSS ${peak_kib:-unknown} KiB ≥ $limit_kib KiB" >&2
    exit 1
fi
echo "batch_memory: ok"
