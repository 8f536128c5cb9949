#!/usr/bin/env bash
# The picture in docs/analyze.md: `tierbench analyze` of a 1,000-row Azure-format trace, rendered in headless
# Chromium.
#
#   scripts/report/analyze_screenshot.sh [OUT.png]       # default docs/images/analyze-report.png
#
# Steps: writes a deterministic 1,000-row Azure LLM inference trace (TIMESTAMP,ContextTokens,GeneratedTokens; seeded
# Python: Poisson arrivals whose rate steps from 1/s to 3/s and back over 10 minutes, lognormal token counts),
# `tierbench trace import --format azure`, `tierbench analyze`, then a headless Chromium screenshot of
# analysis.html (the Debian package `chromium` is installed with apt-get when missing, as screenshot_check.sh does).
# Uses $TIERBENCH, else .build/release/tierbench, else .build/debug/tierbench (built when missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
png="${1:-$root/docs/images/analyze-report.png}"
work="$(mktemp -d)"
profile="$(mktemp -d)"
trap 'rm -rf "$work" "$profile"' EXIT
width=1280
height=2300

tierbench="${TIERBENCH:-}"
if [[ -z "$tierbench" ]]; then
    for candidate in "$root/.build/release/tierbench" "$root/.build/debug/tierbench"; do
        if [[ -x "$candidate" ]]; then tierbench="$candidate"; break; fi
    done
fi
if [[ -z "$tierbench" ]]; then
    (cd "$root" && swift build --product tierbench)
    tierbench="$root/.build/debug/tierbench"
fi

echo "== writing a 1,000-row Azure-format trace"
python3 - "$work/AzureLLMInferenceTrace_conv.csv" <<'PY'
import random, sys, datetime
rng = random.Random(2023)
start = datetime.datetime(2023, 11, 16, 18, 0, 0)
t, rows = 0.0, []
while len(rows) < 1000:
    rate = 3.0 if 200 <= t < 400 else 1.0        # requests/s: a busy spell in the middle
    t += rng.expovariate(rate)
    stamp = start + datetime.timedelta(seconds=t)
    context = max(1, int(rng.lognormvariate(6.6, 0.8)))
    generated = max(0, int(rng.lognormvariate(5.0, 0.9)))
    rows.append("%s%s,%d,%d" % (stamp.strftime("%Y-%m-%d %H:%M:%S."), "%07d" % (stamp.microsecond * 10), context, generated))
with open(sys.argv[1], "w") as f:
    f.write("TIMESTAMP,ContextTokens,GeneratedTokens\n" + "\n".join(rows) + "\n")
PY

# Relative names, so the page shows the file name rather than a temporary directory.
(cd "$work" && "$tierbench" trace import --format azure AzureLLMInferenceTrace_conv.csv azure-conv.jsonl \
    && "$tierbench" analyze azure-conv.jsonl --output analysis --model gpt-4o-mini)

# shellcheck source=scripts/report/chromium.sh
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"

mkdir -p "$(dirname "$png")"
rm -f "$png"
"$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --no-first-run \
    --user-data-dir="$profile" --virtual-time-budget=3000 --screenshot="$png" --window-size="$width,$height" \
    "file://$work/analysis/analysis.html" >/tmp/tierbench-chromium.log 2>&1 || true
if [[ ! -s "$png" ]]; then
    echo "FAIL: no screenshot was written (see /tmp/tierbench-chromium.log)" >&2
    exit 1
fi
echo "wrote $png ($(stat -c %s "$png") bytes)"
cp "$work/analysis/workload-profile.yaml" /tmp/tierbench-analyze-screenshot-profile.yaml
echo "profile of the screenshot's trace: /tmp/tierbench-analyze-screenshot-profile.yaml"
