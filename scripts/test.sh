#!/usr/bin/env bash
# The whole test suite: unit and integration tests (Swift Testing), the OpenAI Python SDK interoperability check
# against the built-in mock, and a CI gate scenario. Used by .ci/run.
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

bin="$(swift build --show-bin-path)/tierbench"

echo "== OpenAI Python SDK interoperability check"
bash scripts/interop/openai_sdk_check.sh "$bin"

echo "== CLI end to end: quickstart against the built-in mock"
out="$(mktemp -d)"
"$bin" run scenarios/quickstart.yaml --duration 3s --output "$out" --quiet
test -s "$out/summary.json" && test -s "$out/requests.jsonl"
echo "quickstart wrote $(wc -l < "$out/requests.jsonl") request lines"
rm -rf "$out"

grep -E 'Test run with .* (passed|failed)' /tmp/tierbench-swift-test.log | tail -n 1
