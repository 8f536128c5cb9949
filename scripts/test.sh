#!/usr/bin/env bash
# The whole test suite: unit and integration tests (Swift Testing), libFuzzer on the input parsers (30 s a target),
# a sessions run analysed by `analyze`, the OpenAI Python SDK interoperability check against the built-in mock (files and batches included), the
# 50,000-line batch memory check, promtool and a real Prometheus on the monitoring exports, the live progress display under tmux,
# a CI gate scenario, and a 2-shard run under a real single-host Slurm, merged. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== swift build"
# Timing tests (latency accuracy, open-loop precision) share 2 cores with nothing else only when suites run
# one after another, hence --no-parallel below.
swift build --build-tests 2>&1 | tail -n 20

echo "== swift test"
set +e
swift test --skip-build --no-parallel 2>&1 | tee /tmp/tierbench-swift-test.log
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    echo "swift test failed (exit $status)"
    exit "$status"
fi

echo "== libFuzzer: every fuzz target for 30 s (docs/fuzzing.md)"
bash scripts/fuzz/run.sh 30

bin="$(swift build --show-bin-path)/tierbench"

echo "== OpenAI Python SDK interoperability check"
bash scripts/interop/openai_sdk_check.sh "$bin"

echo "== Memory: a 50,000-line batch run (prepare, the mock, retrieve, reconcile) stays under 128 MiB resident"
TIERBENCH_BIN="$bin" bash scripts/check/batch_memory.sh

echo "== Monitoring with the real tools: promtool on the exported alerts, Prometheus scraping a run, the Grafana names"
bash scripts/check/prometheus_check.sh "$bin"

echo "== Sharded run on a real single-host Slurm: sbatch tierbench.sbatch, 2 shards against the mock, merged (docs/distributed.md)"
timeout 170 bash scripts/check/slurm_check.sh "$bin"

echo "== CLI end to end: quickstart against the built-in mock"
out="$(mktemp -d)"
"$bin" run scenarios/quickstart.yaml --duration 3s --output "$out" --quiet
test -s "$out/summary.json" && test -s "$out/requests.jsonl"
echo "quickstart wrote $(wc -l < "$out/requests.jsonl") request lines"
rm -rf "$out"

echo "== Sessions and analyze end to end: a sessions run, its logs analysed, the workload profile validated"
sess="$(mktemp -d)"
"$bin" run scenarios/sessions.yaml --duration 4s --output "$sess/run" --quiet
test -s "$sess/run/sessions.jsonl" && test -s "$sess/run/requests.jsonl"
"$bin" analyze "$sess/run/requests.jsonl" "$sess/run/sessions.jsonl" --output "$sess/analysis"
for file in analysis.html analysis.md analysis.json workload-profile.yaml; do test -s "$sess/analysis/$file"; done
"$bin" validate "$sess/analysis/workload-profile.yaml"
echo "sessions run wrote $(wc -l < "$sess/run/sessions.jsonl") sessions; analyze wrote $(ls "$sess/analysis" | tr '\n' ' ')"
rm -rf "$sess"

echo "== Live progress in a terminal (tmux): redrawn in place, clean final summary"
bash scripts/report/progress_tmux.sh "$bin"

echo "== CI gate: scenarios/gate.yaml against the built-in mock (thresholds, reports)"
gate="$(mktemp -d)"
set +e
"$bin" run scenarios/gate.yaml --output "$gate" --format markdown,junit,html,csv --no-request-log
code=$?
set -e
if [ "$code" -ne 0 ]; then
    echo "gate scenario failed with exit code $code (2 threshold, 4 generator bottleneck; see docs/ci.md)"
    exit 1
fi
for file in summary.json summary.md junit.xml report.html summary.csv; do test -s "$gate/$file"; done
echo "gate passed; wrote $(ls "$gate" | tr '\n' ' ')"
# The same gate with an impossible latency limit must fail with exit code 2.
sed 's/latency_ms.p95 < 250ms/latency_ms.p95 < 1ms/' scenarios/gate.yaml > "$gate/strict.yaml"
set +e
"$bin" run "$gate/strict.yaml" --duration 2s --output "$gate/strict" --quiet --no-request-log
code=$?
set -e
if [ "$code" -ne 2 ]; then
    echo "a failing threshold should exit 2, got $code"
    exit 1
fi
echo "failing threshold exits 2 as documented"
rm -rf "$gate"

grep -E 'Test run with .* (passed|failed)' /tmp/tierbench-swift-test.log | tail -n 1
