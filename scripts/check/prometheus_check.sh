#!/usr/bin/env bash
# The monitoring exports against the real tools (docs/monitoring.md, issue 13):
#   (a) `promtool check rules` and `promtool test rules` on `tierbench export alerts` of scenarios/monitoring.yaml
#       and of a fixture with every alert metric; the same tests must fail on the rules negated, without for:, or
#       with every limit moved 10 % towards the quiet side;
#   (b) `promtool check metrics` on the run's /metrics text; a real Prometheus server (our own process: temp
#       config and TSDB, 127.0.0.1, scrape every 1 s) scrapes the run's --metrics-port; after the run a PromQL
#       query over its TSDB returns summary.json's requests.total exactly (the warmup counter its requests.warmup_excluded, the cost counter its cost.usd to 1e-9 USD);
#   (c) every metric name in every expression of `tierbench export grafana` is among the series Prometheus scraped.
# Needs curl and python3. Installs Debian's `prometheus` package when missing (scripts/check/prometheus_install.sh). Where it cannot be
# installed the check says why and is skipped, except with CI=true, where that is a failure.
# Usage: scripts/check/prometheus_check.sh [path/to/tierbench]
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="${1:-${TIERBENCH_BIN:-$(swift build --show-bin-path)/tierbench}}"
scenario=scenarios/monitoring.yaml
name=monitoring

if ! bash scripts/check/prometheus_install.sh; then
    if [ "${CI:-}" = "true" ]; then
        echo "prometheus check: FAILED: prometheus/promtool cannot be installed, and CI=true requires this check" >&2
        exit 1
    fi
    echo "prometheus check: SKIPPED: prometheus/promtool are not installed and cannot be installed here (see above)"
    exit 0
fi

for tool in curl python3 timeout; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "prometheus check: FAILED: '$tool' is needed and not installed" >&2
        exit 1
    }
done

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    # Up to 10 s for them to exit, then SIGKILL: a stuck process must not hold the check (or CI) forever.
    for _ in $(seq 1 20); do
        alive=0
        for pid in "${pids[@]}"; do
            if kill -0 "$pid" 2>/dev/null; then alive=1; fi
        done
        [ "$alive" = 1 ] || break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 130' INT TERM

fail() {
    echo "prometheus check: FAILED: $*" >&2
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

echo "-- (a) promtool on the exported alert rules"
promtool_checks() {
    local file="$1" label="$2" dir="$work/rules-$2" status
    "$bin" export alerts "$file" --output "$dir"
    local rules="$dir/tierbench-$label.rules.yml" tests="$dir/tierbench-$label.rules.test.yml" mutant="$dir/mutant"
    timeout 60 promtool check rules "$rules" || fail "promtool check rules $rules"
    (cd "$dir" && timeout 120 promtool test rules "$(basename "$tests")") || fail "promtool test rules $tests"
    # The tests must test: with every comparison negated (> becomes <=, …) each alert's test must fail.
    mkdir -p "$mutant"
    cp "$tests" "$mutant/"
    python3 - "$rules" "$mutant/$(basename "$rules")" <<'PY' || fail "could not negate the rules"
import re, sys
negated = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}
text = open(sys.argv[1]).read()
text, count = re.subn(r'(expr: ".* )(>=|<=|==|!=|>|<)( -?[0-9.]+(?:e[-+]?[0-9]+)?"\n)',
                      lambda m: m.group(1) + negated[m.group(2)] + m.group(3), text)
open(sys.argv[2], "w").write(text)
print(f"negated {count} comparisons")
PY
    set +e
    (cd "$mutant" && timeout 120 promtool test rules "$(basename "$tests")") >"$mutant/negated.log" 2>&1
    status=$?
    set -e
    [ "$status" -ne 0 ] || fail "promtool test rules passed on negated rules: the generated tests do not test"
    for alert in $(grep -E '^      - alert: ' "$rules" | sed 's/.*alert: //'); do
        grep -q "alertname: $alert," "$mutant/negated.log" || fail "negating $alert's comparison did not fail its test"
    done
    echo "$label: negated rules: every alert's test fails, as it should"
    # And with every `for:` dropped to 0s, each alert that had one must fire too early and fail its test.
    sed -E 's/^(        for: ).*/\10s/' "$rules" >"$mutant/$(basename "$rules")"
    set +e
    (cd "$mutant" && timeout 120 promtool test rules "$(basename "$tests")") >"$mutant/for.log" 2>&1
    status=$?
    set -e
    [ "$status" -ne 0 ] || fail "promtool test rules passed with every for: at 0s: the tests do not test for:"
    python3 - "$rules" "$mutant/for.log" <<'PY' || fail "dropping an alert's for: did not fail its test"
import re, sys
rules, log = open(sys.argv[1]).read(), open(sys.argv[2]).read()
for name, sustain in re.findall(r"- alert: (\S+)\n.*\n        for: (\S+)\n", rules):
    if sustain != "0s" and f"alertname: {name}," not in log:
        sys.exit(f"{name} (for: {sustain}) still passes with for: 0s")
PY
    echo "$label: rules with for: 0s: every alert with a for: fails its test, as it should"
    # And with every limit moved 10 % towards the quiet side (> L becomes > 0.9·L, < L becomes < 1.1·L), each alert
    # with a quiet test must fail it: the test values sit close to the limit, not a factor of two away.
    python3 - "$rules" "$mutant/$(basename "$rules")" "$mutant/shifted.txt" <<'PY' || fail "could not shift the limits"
import re, sys
text = open(sys.argv[1]).read()
shifted = []
def shift(m):
    op, limit = m.group(3), float(m.group(4))
    if limit == 0 or op in ("==", "!="):
        return m.group(0)
    shifted.append(m.group(1))
    factor = 0.9 if op in (">", ">=") else 1.1
    return f"- alert: {m.group(1)}\n{m.group(2)}{op} {limit * factor!r}\"\n"
text = re.sub(r'- alert: (\S+)\n(        expr: ".* )(>=|<=|==|!=|>|<) (-?[0-9.]+(?:e[-+]?[0-9]+)?)"\n', shift, text)
open(sys.argv[2], "w").write(text)
open(sys.argv[3], "w").write("\n".join(shifted) + "\n")
print(f"shifted {len(shifted)} limits by 10 %")
PY
    set +e
    (cd "$mutant" && timeout 120 promtool test rules "$(basename "$tests")") >"$mutant/shifted.log" 2>&1
    status=$?
    set -e
    [ "$status" -ne 0 ] || fail "promtool test rules passed with every limit shifted 10 %: the tests do not test limits"
    while read -r alert; do
        [ -n "$alert" ] || continue
        grep -q "name: \"$alert stays quiet" "$tests" || continue
        grep -q "alertname: $alert," "$mutant/shifted.log" || fail "shifting $alert's limit by 10 % did not fail its test"
    done <"$mutant/shifted.txt"
    echo "$label: limits shifted 10 %: every alert with a quiet test fails it, as it should"
}

promtool_checks "$scenario" "$name"
promtool_checks Tests/TierbenchCoreTests/Fixtures/monitoring/all-alert-metrics.yaml all-alert-metrics

echo "-- (b) a real Prometheus scrapes a run's --metrics-port"
metrics_port="$(free_port)"
prom_port="$(free_port)"
mkdir -p "$work/tsdb"
cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: tierbench
    static_configs:
      - targets: ["127.0.0.1:$metrics_port"]
YAML
timeout 60 promtool check config "$work/prometheus.yml" >/dev/null || fail "promtool check config"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
api="http://127.0.0.1:$prom_port"
ready=0
for _ in $(seq 1 60); do  # up to 30 s
    if curl -fsS --max-time 2 "$api/-/ready" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
done
[ "$ready" = 1 ] || { tail -n 20 "$work/prometheus.log" >&2; fail "prometheus did not become ready on 127.0.0.1:$prom_port"; }

# A long linger: the queries below need the target still up (cleanup stops the run when the check is done).
"$bin" run "$scenario" --metrics-port "$metrics_port" --metrics-linger 120s --output "$work/run" --quiet \
    --no-request-log >"$work/run.log" 2>&1 &
run_pid=$!
pids+=("$run_pid")
for _ in $(seq 1 120); do  # up to 60 s for the run (8 s of load) to write its summary
    [ -s "$work/run/summary.json" ] && break
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 0.5
done
[ -s "$work/run/summary.json" ] || { cat "$work/run.log" >&2; fail "the run wrote no summary.json"; }
# Not `read < <(python3 …)`: a failing process substitution would go unnoticed (or exit silently under set -e).
figures="$(python3 -c '
import json, sys
summary = json.load(open(sys.argv[1]))
print(summary["requests"]["total"], summary["requests"].get("warmup_excluded", 0))' "$work/run/summary.json")" \
    || fail "cannot read requests.total and requests.warmup_excluded from $work/run/summary.json"
read -r total warmup <<<"$figures"
[ "$total" -gt 0 ] || fail "the run measured no requests"
# The exposition itself passes promtool's lint (names, units, _total on counters, HELP and TYPE).
curl -fsS --max-time 5 "http://127.0.0.1:$metrics_port/metrics" >"$work/scrape.txt" || fail "cannot read /metrics during the linger"
lint="$(timeout 30 promtool check metrics <"$work/scrape.txt" 2>&1)" || fail "promtool check metrics: $lint"
[ -z "$lint" ] || fail "promtool check metrics found problems: $lint"
echo "promtool check metrics: the /metrics text of the run is clean"

# The endpoint serves the final figures during the 120 s linger; Prometheus scrapes every second. The single-shot
# queries read the last 5 minutes (last_over_time), so they hold even should the target be gone by then.
query() {
    curl -fsS --max-time 5 -G "$api/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
result = json.load(sys.stdin)["data"]["result"]
print(result[0]["value"][1] if result else "none")'
}
scraped=none
for _ in $(seq 1 30); do  # up to 15 s for a scrape of the final figures
    scraped="$(query "sum(tierbench_requests_total{job=\"tierbench\",scenario=\"$name\"})" || echo none)"
    [ "$scraped" = "$total" ] && break
    sleep 0.5
done
[ "$scraped" = "$total" ] || fail "PromQL sum(tierbench_requests_total) = $scraped, summary.json requests.total = $total"
echo "PromQL sum(tierbench_requests_total{scenario=\"$name\"}) = $scraped = summary.json requests.total"
scraped_warmup="$(query "sum(last_over_time(tierbench_warmup_requests_total{scenario=\"$name\"}[5m]))")" \
    || fail "cannot query the warmup counter"
[ "$scraped_warmup" = "$warmup" ] || fail "PromQL warmup = $scraped_warmup, summary.json requests.warmup_excluded = $warmup"
echo "PromQL sum(tierbench_warmup_requests_total) = $scraped_warmup = summary.json requests.warmup_excluded"
scraped_cost="$(query "sum(last_over_time(tierbench_cost_usd_total{scenario=\"$name\"}[5m]))")" \
    || fail "cannot query the cost counter"
python3 - "$scraped_cost" "$work/run/summary.json" <<'PY' || fail "PromQL cost $scraped_cost differs from summary.json cost.usd"
import json, sys
usd = json.load(open(sys.argv[2]))["cost"]["usd"]
scraped = float(sys.argv[1])
# summary.json rounds cost.usd to 1e-9 USD (CostSummary.rounded); the counter is the unrounded Double.
assert abs(scraped - usd) <= 1e-9, (scraped, usd)
print(f"PromQL sum(tierbench_cost_usd_total) = {scraped} ≈ summary.json cost.usd {usd}")
PY

echo "-- (c) every metric the Grafana dashboard names was scraped from the run"
"$bin" export grafana --scenario "$name" --output "$work/dashboard.json"
curl -fsS --max-time 5 "$api/api/v1/label/__name__/values" >"$work/names.json"
python3 - "$work/dashboard.json" "$work/names.json" <<'PY' || fail "the dashboard names metrics the run did not serve"
import json, re, sys
dashboard = json.load(open(sys.argv[1]))
served = set(json.load(open(sys.argv[2]))["data"])
expressions = []
def walk(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            walk(v, k)
    elif isinstance(value, list):
        for v in value:
            walk(v)
    elif isinstance(value, str) and key in ("expr", "definition"):
        expressions.append(value)
walk(dashboard)
missing = {}
named = set()
for expression in expressions:
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)
    for metric in re.findall(r"\btierbench_[A-Za-z0-9_:]*", unquoted):
        named.add(metric)
        if metric not in served:
            missing.setdefault(metric, expression)
if not expressions:
    sys.exit("the dashboard has no expressions")
if missing:
    for metric, expression in missing.items():
        print(f"not scraped: {metric} (in {expression})", file=sys.stderr)
    sys.exit(1)
print(f"{len(expressions)} dashboard expressions name {len(named)} metrics, all scraped from the run")
PY
echo "prometheus check: passed"
