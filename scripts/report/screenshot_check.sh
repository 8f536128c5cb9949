#!/usr/bin/env bash
# Renders a tierbench HTML report in headless Chromium, saves a screenshot and checks that the charts are there.
#
#   scripts/report/screenshot_check.sh REPORT.html [OUT.png]
#   scripts/report/screenshot_check.sh --sample [OUT.png]    # renders SampleReports.html() first (needs swift)
#
# Checks: every chart of the report (for runs chart-throughput, chart-latency-time, chart-errors,
# chart-latency-distribution; for sweeps chart-sweep-N-{throughput,errors,p95}) is in the DOM Chromium built,
# has both axes and a legend, and its first line has non-empty SVG path data; the report loads nothing from the
# network; the PNG exists, is 1280 px wide and is large enough not to be a blank page.
# Installs the Debian package `chromium` with apt-get when no Chromium is found. Exit 0 = all checks passed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
width=1280
height=2400

if [[ $# -lt 1 ]]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
fi

report="$1"
png="${2:-/tmp/tierbench-report.png}"

if [[ "$report" == "--sample" ]]; then
    report="$(mktemp -d)/sample-report.html"
    echo "== rendering the sample report to $report"
    (cd "$root" && TIERBENCH_SAMPLE_REPORT="$report" swift test --scratch-path "${SCRATCH_PATH:-.build}" \
        --filter "OutputHTMLTests/writesSampleReportWhenAsked" >/tmp/tierbench-sample-report.log 2>&1) || {
        tail -30 /tmp/tierbench-sample-report.log
        echo "FAIL: could not render the sample report (log above)" >&2
        exit 1
    }
fi

if [[ ! -s "$report" ]]; then
    echo "FAIL: report '$report' does not exist or is empty" >&2
    exit 1
fi
report="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"

# shellcheck source=scripts/report/chromium.sh
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --no-first-run
       --user-data-dir="$profile" --virtual-time-budget=3000)

rm -f "$png"
"$browser" "${flags[@]}" --screenshot="$png" --window-size="$width,$height" "file://$report" \
    >/tmp/tierbench-chromium.log 2>&1 || true
dom="$(mktemp)"
"$browser" "${flags[@]}" --dump-dom "file://$report" >"$dom" 2>>/tmp/tierbench-chromium.log || true

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

if [[ ! -s "$dom" ]] || ! grep -q "</html>" "$dom"; then
    fail "Chromium did not render the page (see /tmp/tierbench-chromium.log)"
fi

charts=()
# A run report has the time and distribution charts; a sweep-only report (no runs) has only the sweep's.
if grep -q 'id="charts-time"' "$dom" || ! grep -q 'id="sweep"' "$dom"; then
    charts+=(chart-throughput chart-latency-time chart-errors chart-latency-distribution)
fi
if grep -q 'id="sweep"' "$dom"; then
    for n in $(grep -o 'id="chart-sweep-[0-9]*-throughput"' "$dom" | grep -o '[0-9]\+' | sort -un); do
        charts+=("chart-sweep-$n-throughput" "chart-sweep-$n-errors" "chart-sweep-$n-p95")
    done
fi
for chart in "${charts[@]}"; do
    grep -q "<figure class=\"chart\" id=\"$chart\">" "$dom" || { fail "$chart is missing"; continue; }
    for part in svg x-axis y-axis legend; do
        grep -q "id=\"$chart-$part\"" "$dom" || fail "$chart has no $part"
    done
    data="$(grep -o "id=\"$chart-series-0\" d=\"[^\"]*\"" "$dom" | head -1 | sed 's/.* d="//; s/"$//')"
    if [[ ${#data} -gt 20 && "$data" == M* ]]; then
        pass "$chart: axes, legend and a line of ${#data} characters of path data"
    else
        fail "$chart: its first line has no path data"
    fi
done

if grep -Eq '<[^>]*(https?://|="//)[^>]*>' "$dom"; then
    fail "the report references the network"
else
    pass "no network references in any tag"
fi

if [[ -s "$png" ]]; then
    size=$(stat -c %s "$png")
    png_width=$((16#$(od -An -tx1 -j16 -N4 "$png" | tr -d ' \n')))
    png_height=$((16#$(od -An -tx1 -j20 -N4 "$png" | tr -d ' \n')))
    if [[ $png_width -eq $width && $size -gt 30000 ]]; then
        pass "screenshot $png: ${png_width}x${png_height}, $size bytes"
    else
        fail "screenshot $png is ${png_width}x${png_height} and $size bytes: expected width $width and > 30000 bytes"
    fi
else
    fail "no screenshot was written (see /tmp/tierbench-chromium.log)"
fi

rm -f "$dom"
if [[ $failures -gt 0 ]]; then
    echo "screenshot check: $failures failure(s)" >&2
    exit 1
fi
echo "screenshot check passed: ${#charts[@]} charts in $report"
