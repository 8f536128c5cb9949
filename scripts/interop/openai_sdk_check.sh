#!/usr/bin/env bash
# Interoperability check: the official OpenAI Python SDK (from PyPI, in a throw-away virtualenv) against
# `tierbench mock`. Usage: scripts/interop/openai_sdk_check.sh [path/to/tierbench]
# Without python3/venv/pip (or PyPI) it prints SKIP and exits 0 — except under CI=true, where that is a failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
api_key="sk-proj-interop-check-0000abcd"

skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "openai_sdk_check: FAIL: $1 (required when CI=true)" >&2
        exit 1
    fi
    echo "openai_sdk_check: SKIP: $1"
    exit 0
}

binary="${1:-}"
if [ -z "$binary" ]; then
    for candidate in "$root/.build/release/tierbench" "$root/.build/debug/tierbench"; do
        if [ -x "$candidate" ]; then binary="$candidate"; break; fi
    done
fi
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "openai_sdk_check: FAIL: no tierbench binary (pass its path or run swift build first)" >&2
    exit 1
fi

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || skip "python3 has no venv/ensurepip (apt-get install python3-venv)"

workdir="$(mktemp -d "${TMPDIR:-/tmp}/tierbench-interop.XXXXXX")"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        # Graceful shutdown first; force after 5 s.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$workdir"
}
trap cleanup EXIT

python3 -m venv "$workdir/venv" >/dev/null 2>&1 || skip "python3 -m venv failed (python3-venv missing?)"
if ! timeout 300 "$workdir/venv/bin/pip" install --quiet --disable-pip-version-check openai >"$workdir/pip.log" 2>&1; then
    tail -5 "$workdir/pip.log" >&2 || true
    skip "pip install openai failed (no pip or no PyPI access)"
fi
echo "openai_sdk_check: openai $("$workdir/venv/bin/python" -c 'import openai; print(openai.__version__)')"

# Starts a mock with the given flags on a free port (in this shell, so cleanup can stop it); sets $url.
start_mock() {
    local log="$workdir/mock-${#pids[@]}.log"
    "$binary" mock --port 0 "$@" >"$log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    url=""
    for _ in $(seq 300); do
        if grep -q "listening on" "$log"; then
            url="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log" | head -1)"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "openai_sdk_check: FAIL: the mock did not start:" >&2
    cat "$log" >&2
    exit 1
}

start_mock --api-key "$api_key"
base="$url"
start_mock --tier free --tier-set seed002 --time-scale 60
limited="$url"
# The Batch API with its 24-hour window compressed 1000-fold (a batch of 20 lines completes in about a second).
start_mock --api-key "$api_key" --batch-time-scale 1000 --batch-stall-probability 0
batches="$url"
echo "openai_sdk_check: mocks at $base, $limited and $batches"

timeout 300 "$workdir/venv/bin/python" "$here/openai_sdk_check.py" "$base" "$api_key" "$limited" "$batches"
