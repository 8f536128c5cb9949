#!/usr/bin/env bash
# A real single-host Slurm runs a 2-task sharded scenario through scripts/slurm/tierbench.sbatch against the mock on
# loopback, then checks the merge (docs/distributed.md, "Testing Slurm on one machine"; reference distributed.md §8.1):
#   - Debian's slurmctld, slurmd, slurm-client and munge are downloaded (apt-get --download-only) and unpacked with
#     dpkg -x into a cache folder — nothing is installed system-wide; munged, slurmctld and two slurmd ("nodes" n1
#     and n2 on 127.0.0.1) run from a scratch folder with their own slurm.conf (scripts/slurm/slurm.conf.in);
#   - `tierbench mock` serves on 127.0.0.1; `sbatch --wait --ntasks=2` runs tierbench.sbatch: 2 shards
#     (--shard auto from SLURM_PROCID/SLURM_NTASKS, one absolute --start-at), then `tierbench merge`;
#   - the merged requests.total must equal the requests the mock received (GET /mock/stats), and the merged
#     throughput.requests_per_s must be within 1 % of the planned rate.
# Needs root (SlurmUser=root, munged --force), apt-get, dpkg, curl, python3. Where that is impossible the check says
# why and is skipped, except with CI=true, where it fails. Bounded: every wait has a timeout; daemons are stopped
# on exit. Usage: scripts/check/slurm_check.sh [path/to/tierbench]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
bin="${1:-${TIERBENCH_BIN:-$(swift build --show-bin-path)/tierbench}}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
rate=100
duration=4

skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "slurm check: FAILED: $*, and CI=true requires this check" >&2
        exit 1
    fi
    echo "slurm check: SKIPPED: $*"
    exit 0
}
fail() {
    echo "slurm check: FAILED: $*" >&2
    [ -n "${work:-}" ] && for log in "$work"/log/*.log "$work"/job.out; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }
    done
    exit 1
}

[ "$(id -u)" = 0 ] || skip "a single-host Slurm needs root here (SlurmUser=root, munged --force)"
for tool in apt-get dpkg curl python3 timeout; do
    command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed"
done
[ -x "$bin" ] || fail "no tierbench binary at $bin"

# Packages: downloaded and unpacked once into a cache (about 10 MB), reused by later runs.
cache="${TIERBENCH_SLURM_CACHE:-/var/tmp/tierbench-slurm}"
D="$cache/debs"
R="$cache/root"
if [ ! -x "$R/usr/sbin/slurmctld-wlm" ] || [ ! -x "$R/usr/sbin/munged" ]; then
    echo "-- downloading slurmctld slurmd slurm-client munge (apt-get --download-only) into $D"
    mkdir -p "$D/partial" "$R"
    download() {
        timeout 45 apt-get install -y -qq --download-only -o Dir::Cache::archives="$D" \
            slurmctld slurmd slurm-client munge >/dev/null
    }
    # 3 × 45 s stays below scripts/test.sh's outer `timeout 170`, so a slow mirror skips instead of being killed.
    download || { timeout 45 apt-get update -qq >/dev/null 2>&1 && download; } \
        || skip "apt-get could not download the Slurm packages (no network or no Debian repository)"
    for deb in "$D"/*.deb; do dpkg -x "$deb" "$R"; done
fi
[ -x "$R/usr/sbin/slurmctld-wlm" ] || fail "slurmctld-wlm not found after unpacking into $R"

work="$(mktemp -d /tmp/tierbench-slurm.XXXXXX)"
pids=()
cleanup() {
    # Cancel the job first (while slurmctld runs), so slurmstepd and the shards it started end too.
    if [ -n "${SLURM_CONF:-}" ] && command -v scancel >/dev/null 2>&1; then
        timeout 5 scancel -u "$(id -un)" >/dev/null 2>&1 || true
        for _ in $(seq 1 8); do
            [ -z "$(timeout 5 squeue -h 2>/dev/null)" ] && break
            sleep 0.25
        done
    fi
    for file in "$work"/slurmd.*.pid "$work"/slurmctld.pid "$work"/munge/munged.pid; do
        [ -f "$file" ] && pids+=("$(cat "$file")")
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 20); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 1 ] || break
        sleep 0.25
    done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 130' INT TERM

# Four consecutive free ports: slurmctld, slurmd (default), n1, n2.
base="$(python3 - <<'PY'
import random, socket
for _ in range(200):
    base = random.randint(20000, 40000)
    try:
        sockets = []
        for port in range(base, base + 4):
            s = socket.socket(); s.bind(("127.0.0.1", port)); sockets.append(s)
        for s in sockets: s.close()
        print(base); break
    except OSError:
        for s in sockets: s.close()
PY
)"
[ -n "$base" ] || fail "no free block of 4 ports"

export LD_LIBRARY_PATH="$R/usr/lib/x86_64-linux-gnu:$R/usr/lib/x86_64-linux-gnu/slurm-wlm${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SLURM_CONF="$work/slurm.conf"
export PATH="$R/usr/bin:$PATH"
mkdir -p "$work"/{munge,state,spool,log,results}
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
sed -e "s|@R@|$R|g" -e "s|@W@|$work|g" -e "s|@CTLD_PORT@|$base|" -e "s|@SLURMD_PORT@|$((base + 1))|" \
    -e "s|@NODE_PORTS@|$((base + 2))-$((base + 3))|" scripts/slurm/slurm.conf.in > "$work/slurm.conf"

echo "-- starting munged, slurmctld and two slurmd (n1, n2) on 127.0.0.1:$base-$((base + 3))"
"$R/usr/sbin/munged" --force -S "$work/munge/munge.socket" --key-file="$work/munge/munge.key" \
    --log-file="$work/log/munged.log" --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/seed" \
    || fail "munged did not start"
"$R/usr/sbin/slurmctld-wlm" -c -i || fail "slurmctld did not start"
for node in n1 n2; do
    "$R/usr/sbin/slurmd-wlm" -N "$node" -d "$R/usr/sbin/slurmstepd-wlm" || fail "slurmd $node did not start"
done
for _ in $(seq 1 60); do
    [ "$(timeout 5 sinfo -h -o '%T' 2>/dev/null | grep -c idle)" -ge 1 ] && \
        [ "$(timeout 5 sinfo -h -N -o '%T' 2>/dev/null | grep -c idle)" -ge 2 ] && break
    sleep 0.5
done
[ "$(timeout 5 sinfo -h -N -o '%T' 2>/dev/null | grep -c idle)" -ge 2 ] || fail "the two nodes did not become idle"
ranks="$(timeout 30 srun -N 2 -n 2 --label sh -c 'echo $SLURM_PROCID' | sort | tr '\n' ' ')"
[ "$ranks" = "0: 0 1: 1 " ] || fail "srun -N 2 -n 2 gave ranks '$ranks'"
echo "Slurm up: srun -N 2 -n 2 ran ranks 0 and 1"

echo "-- the mock on 127.0.0.1 and a 2-shard open-loop run at $rate req/s for ${duration}s through sbatch"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$bin" mock --port "$port" --latency 5ms > "$work/log/mock.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/mock/stats" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/mock/stats" >/dev/null || fail "the mock did not answer on port $port"
cat > "$work/sharded.yaml" <<YAML
version: 1
name: slurm-check
target: { base_url: "http://127.0.0.1:$port/v1" }
endpoint: chat
model: gpt-4o-mini
request:
  messages: [{ role: user, content: "{prompt}" }]
  max_tokens: 16
prompts:
  inline: ["one", "two", "three"]
load: { rate: $rate, duration: ${duration}s, max_in_flight: 32 }
thresholds:
  - "error_rate == 0"
YAML
set +e
SCENARIO="$work/sharded.yaml" RESULTS="$work/results" TIERBENCH="$bin" START_DELAY=2 \
    MERGE_ARGS="--format markdown,junit" \
    timeout 90 sbatch --wait --ntasks=2 --output="$work/job.out" scripts/slurm/tierbench.sbatch > /dev/null
status=$?
set -e
[ "$status" -eq 0 ] || fail "sbatch --wait tierbench.sbatch exited $status (job output below)"
for file in shard-0/summary.json shard-1/summary.json merged/summary.json merged/summary.md merged/junit.xml; do
    test -s "$work/results/$file" || fail "missing $file"
done
curl -sf "http://127.0.0.1:$port/mock/stats" > "$work/mock-stats.json" || fail "could not read /mock/stats"
python3 - "$work/results/merged/summary.json" "$work/mock-stats.json" "$rate" <<'PY' || fail "the merged result does not match"
import json, sys
merged = json.load(open(sys.argv[1])); mock = json.load(open(sys.argv[2])); rate = float(sys.argv[3])
total, received = merged["requests"]["total"], mock["requests"]
achieved = merged["throughput"]["requests_per_s"]
info = merged["merge"]
print(f"merged {info['count']} shards from hosts {[s['host'] for s in info['shards']]} "
      f"(sources {[s['source'] for s in info['shards']]}): requests.total {total}, mock received {received}; "
      f"requests_per_s {achieved} vs planned {rate}; start spread {info.get('first_send_spread_ms')} ms")
assert info["count"] == 2 and sorted(s["index"] for s in info["shards"]) == [0, 1], info["shards"]
assert total == received, f"merged requests.total {total} != mock received {received}"
assert total > 0 and merged["requests"]["succeeded"] == total, merged["requests"]
assert abs(achieved - rate) <= 0.01 * rate, f"merged requests_per_s {achieved} not within 1% of {rate}"
target = merged["generator"]["target_requests_per_s"]
assert abs(target - rate) <= 1e-6 * rate, f"merged target_requests_per_s {target} != the plan's {rate}"
PY
echo "slurm check: passed"
