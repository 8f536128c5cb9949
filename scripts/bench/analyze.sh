#!/usr/bin/env bash
# Speed of `tierbench analyze` on a 1,000,000-line requests.jsonl: wall time and peak RSS against the goals
# (< 10 s, < 200 MiB).
#
#   scripts/bench/analyze.sh            # LINES=1000000 by default
#   LINES=200000 scripts/bench/analyze.sh
#
# The log is generated deterministically (seeded Python: Poisson arrivals at 200/s, completion order, 2 % 429s,
# a few 5xx, usage on successes, a streaming TTFT, warmup for the first 1,000 rows) under scripts/bench/.out/, then
# the release build of tierbench (built when missing: swift build -c release --product tierbench) analyses it
# under /usr/bin/time -v. Exit 0 when both goals are met, 1 otherwise.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/.out"
lines="${LINES:-1000000}"
scratch="${SCRATCH_PATH:-$root/.build}"
mkdir -p "$out"
log="$out/requests-$lines.jsonl"

if [[ ! -s "$log" ]]; then
    echo "== generating $lines lines into $log"
    python3 - "$lines" "$log" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261205)
rows, t = [], 0.0
for i in range(n):
    t += rng.expovariate(200.0) * 1000.0          # ms, Poisson at 200/s
    latency = 20.0 + rng.lognormvariate(5.0, 0.6)  # ms
    rows.append((t + latency, i, t, latency))
rows.sort()                                         # completion order, as tierbench writes it
with open(path, "w") as f:
    for end, i, sent, latency in rows:
        s = int(sent // 1000)
        stamp = "2026-12-05T%02d:%02d:%02d.%03dZ" % (10 + s // 3600, (s // 60) % 60, s % 60, int(sent % 1000))
        line = '{"i":%d,"sent_at":"%s","t_ms":%.3f,"latency_ms":%.3f' % (i, stamp, sent, latency)
        roll = rng.random()
        if roll < 0.02:
            line += ',"status":429,"prompts":1,"error":"http_429","message":"Rate limit reached"}'
        elif roll < 0.025:
            line += ',"status":503,"prompts":1,"error":"http_5xx"}'
        else:
            p, c = rng.randint(50, 1500), rng.randint(10, 400)
            line += ',"status":200,"prompts":1,"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,"ttft_ms":%.3f' % (
                p, c, p + c, latency * 0.3)
            line += ',"warmup":true}' if i < 1000 else '}'
        f.write(line + "\n")
PY
fi
echo "== $(wc -l <"$log") lines, $(du -h "$log" | cut -f1)"

binary="$scratch/release/tierbench"
if [[ ! -x "$binary" ]]; then
    echo "== building the release binary (swift build -c release --product tierbench)"
    (cd "$root" && swift build -c release --product tierbench --scratch-path "$scratch")
fi

rm -rf "$out/analysis"
timing="$out/time-$lines.txt"
/usr/bin/time -v "$binary" analyze "$log" --output "$out/analysis" --model gpt-4o-mini >"$out/analyze-stdout.txt" 2>"$timing"
cat "$out/analyze-stdout.txt"
wall=$(grep "Elapsed (wall clock)" "$timing" | awk '{print $NF}')
rss_kb=$(grep "Maximum resident set size" "$timing" | awk '{print $NF}')
seconds=$(python3 -c "
p='$wall'.split(':'); v=0.0
for x in p: v=v*60+float(x)
print(round(v,2))")
rss_mib=$(python3 -c "print(round($rss_kb/1024,1))")
echo "wall time: ${seconds} s (goal < 10 s)"
echo "peak RSS:  ${rss_mib} MiB (goal < 200 MiB)"
status=0
python3 -c "import sys; sys.exit(0 if $seconds < 10 else 1)" || { echo "FAIL: wall time over 10 s"; status=1; }
python3 -c "import sys; sys.exit(0 if $rss_mib < 200 else 1)" || { echo "FAIL: peak RSS over 200 MiB"; status=1; }
[[ $status -eq 0 ]] && echo "both goals met"
exit $status
