#!/usr/bin/env bash
# Batch API vs synchronous calls, measured side by side: 50,000 prompts of gpt-4o-mini at tier1 on the built-in
# mock, time-scaled (one virtual day = 10 s of wall time), with `tierbench decide`. Prints the side-by-side table
# (time to the last result, cost, failures, 429s, retries), both projections and the break-even job size.
#
# Usage: scripts/bench/batch_vs_sync.sh [PROMPTS]     (default 50000; the whole run takes under 3 minutes)
# Env:   TIME_SCALE (default 8640), WORKERS (default 16), TIERBENCH (a built binary; default: a release build)
set -euo pipefail
cd "$(dirname "$0")/../.."

prompts="${1:-50000}"
scale="${TIME_SCALE:-8640}"
workers="${WORKERS:-16}"
bin="${TIERBENCH:-}"
if [ -z "$bin" ]; then
    bash scripts/setup.sh >/dev/null
    swift build -c release --product tierbench 2>&1 | tail -n 1
    bin="$(swift build -c release --show-bin-path)/tierbench"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tierbench-batch-vs-sync.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cat > "$work/job.yaml" <<YAML
# One job, two ways: $prompts short classification prompts at tier1 (500 RPM, 10,000 RPD; 2,000,000 batch tokens).
version: 1
name: batch-vs-sync
target: mock
endpoint: chat
model: gpt-4o-mini
request:
  messages: [{ role: user, content: "Classify this support ticket: {prompt}" }]
  max_tokens: 16
prompts:
  synthetic: { count: $prompts, tokens: { mean: 12, stddev: 3 }, seed: 7 }
load:
  max_workers: $workers
  duration: 6h
mock:
  seed: 7
  tier: tier1
  time_scale: $scale
  latency: { base: { dist: lognormal, mean: 600ms, stddev: 200ms } }
  batch: { stall_probability: 0 }
YAML

echo "== tierbench decide: $prompts prompts, gpt-4o-mini at tier1, time_scale $scale, sync with $workers workers"
start=$(date +%s.%N)
"$bin" decide "$work/job.yaml" --prompts "$prompts" --max-workers "$workers" --output "$work/out"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "wall time of the whole comparison: %.1f s\n", e - s }'
python3 - "$work/out/decision.json" <<'PY' 2>/dev/null || true
import json, sys
d = json.load(open(sys.argv[1]))
sync, batch = d["sync"], d["batch"]
print(f"measured vs projected: sync {sync['seconds_to_last_result']:.0f} s vs {d['projected_sync_seconds']:.0f} s; "
      f"batch {batch['seconds_to_last_result']:.0f} s vs {d['projected_batch_seconds']:.0f} s")
PY
