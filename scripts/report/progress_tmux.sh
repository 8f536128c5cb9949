#!/usr/bin/env bash
# Checks the live progress display in a real terminal: runs a short scenario under tmux, captures the pane while
# it runs and after it ends, and checks that
#   1. while running, exactly one progress line is on screen (redrawn in place, not scrolled) and it changes;
#   2. at the end the progress line is gone and the clean final summary is there.
#
#   scripts/report/progress_tmux.sh [TIERBENCH_BINARY]     # default .build/debug/tierbench
#
# Installs tmux with apt-get when missing. Exit 0 = all checks passed; the captures are printed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-$root/.build/debug/tierbench}"
[ -x "$binary" ] || { echo "progress_tmux.sh: no binary at $binary (build first: swift build)"; exit 64; }
if ! command -v tmux >/dev/null 2>&1; then
    echo "progress_tmux.sh: installing tmux with apt-get"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
fi

session="tierbench-progress-$$"
workdir="$(mktemp -d "${TMPDIR:-/tmp}/tierbench-progress.XXXXXX")"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

tmux new-session -d -s "$session" -x 160 -y 40
tmux send-keys -t "$session" "clear; '$binary' run '$root/scenarios/quickstart.yaml' --duration 6s --output '$workdir/out'; echo DONE-\$?" Enter

capture() { tmux capture-pane -p -t "$session"; }
progress_lines() { grep -c 'req/s │' <<<"$1" || true; }

failures=0
sleep 2.5
first="$(capture)"
sleep 1.5
second="$(capture)"
echo "== capture while running (t≈2.5s)"; grep 'req/s │' <<<"$first" || true
echo "== capture while running (t≈4s)"; grep 'req/s │' <<<"$second" || true
for shot in "$first" "$second"; do
    count="$(progress_lines "$shot")"
    if [ "$count" != 1 ]; then echo "FAIL: expected one progress line on screen, found $count"; failures=$((failures + 1)); fi
done
if [ "$(grep 'req/s │' <<<"$first")" = "$(grep 'req/s │' <<<"$second")" ]; then
    echo "FAIL: the progress line did not change between captures"; failures=$((failures + 1))
fi

for _ in $(seq 1 60); do
    final="$(capture)"
    grep -q '^DONE-' <<<"$final" && break
    sleep 0.5
done
echo "== final screen"; grep -v '^$' <<<"$final"
grep -q '^DONE-0' <<<"$final" || { echo "FAIL: the run did not end with exit 0"; failures=$((failures + 1)); }
[ "$(progress_lines "$final")" = 0 ] || { echo "FAIL: a progress line is left on the final screen"; failures=$((failures + 1)); }
grep -q '^Latency ms' <<<"$final" || { echo "FAIL: no final summary"; failures=$((failures + 1)); }
grep -q '^Requests ' <<<"$final" || { echo "FAIL: no Requests line in the summary"; failures=$((failures + 1)); }

if [ "$failures" -gt 0 ]; then echo "progress_tmux.sh: $failures check(s) failed"; exit 1; fi
echo "progress_tmux.sh: all checks passed"
