#!/usr/bin/env bash
# Builds the libFuzzer targets (Tests/Fuzz, docs/fuzzing.md) and runs each for a bounded time.
#
#   bash scripts/fuzz/run.sh [SECONDS]      SECONDS per target, default 60
#
# Environment: FUZZ_TARGETS (names, space-separated; default all), FUZZ_RSS_MB (memory limit per target, default
# 2048), FUZZ_TIMEOUT (seconds one input may take, default 10), FUZZ_MAX_LEN (largest input in bytes, default 4096).
# Prints, per target, the inputs executed and whether it crashed, timed out or ran out of memory; exits 1 if any
# did. A failing input is kept in .build-fuzz/artifacts/<target>/; reproduce it with
#   .build-fuzz/debug/<target> .build-fuzz/artifacts/<target>/crash-…
# Inputs the fuzzer found interesting go to .build-fuzz/corpus/<target>/ (not committed); the committed seeds in
# Tests/Fuzz/corpus/<target>/ are only read.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${1:-60}"
targets="${FUZZ_TARGETS:-FuzzScenario FuzzSSE FuzzResponseBody FuzzHeaders FuzzTrace FuzzBatch FuzzTraceImport}"
rss_mb="${FUZZ_RSS_MB:-2048}"
timeout_s="${FUZZ_TIMEOUT:-10}"
max_len="${FUZZ_MAX_LEN:-4096}"
scratch=.build-fuzz
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 64 ;; esac

if ! command -v swift >/dev/null 2>&1; then
    echo "fuzz: the Swift toolchain (6.1 or later) is required: https://www.swift.org/install/linux/" >&2
    exit 1
fi
# swiftc -sanitize=fuzzer links the toolchain's own libFuzzer (lib/swift/clang/lib/<os>/libclang_rt.fuzzer*); it
# is C++, so the C++ standard library must be installed too (the Swift toolchain's own requirement on Linux).
toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"
if [ "$(uname -s)" = Linux ] && ! ls "$toolchain"/lib/swift/clang/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
    echo "fuzz: this Swift toolchain has no libFuzzer runtime ($toolchain/lib/swift/clang/lib/linux); use the swift.org Linux toolchain" >&2
    exit 1
fi
if [ "$(uname -s)" = Linux ] && ! compgen -G "/usr/lib/gcc/*/*/libstdc++.so" >/dev/null; then
    echo "fuzz: installing libstdc++-12-dev (libFuzzer is C++)"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libstdc++-12-dev >/dev/null
fi

echo "== fuzz: building $targets (swift build --sanitize=fuzzer, scratch path $scratch)"
mkdir -p "$scratch"
build_start=$(date +%s)
for target in $targets; do
    if ! TIERBENCH_FUZZ=1 swift build --scratch-path "$scratch" --sanitize=fuzzer -c debug --product "$target" \
        > "$scratch/build.log" 2>&1; then
        tail -n 40 "$scratch/build.log"
        echo "fuzz: building $target failed"
        exit 1
    fi
done
bin="$(TIERBENCH_FUZZ=1 swift build --scratch-path "$scratch" --sanitize=fuzzer -c debug --show-bin-path)"
echo "built in $(( $(date +%s) - build_start )) s"

# Swift's own crash backtracer would catch a trap's SIGILL first and end the process before libFuzzer's handler
# writes the failing input; with it off, libFuzzer reports a "deadly signal" and keeps the input as an artifact.
export SWIFT_BACKTRACE=enable=no

failed=()
summary=()
for target in $targets; do
    corpus="$scratch/corpus/$target"
    artifacts="$scratch/artifacts/$target"
    log="$scratch/logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    echo "== fuzz: $target for ${seconds} s (rss ${rss_mb} MB, ${timeout_s} s per input, inputs up to ${max_len} bytes)"
    dict=()
    if [ -f "Tests/Fuzz/$target.dict" ]; then dict=(-dict="Tests/Fuzz/$target.dict"); fi
    set +e
    "$bin/$target" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout="$timeout_s" -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "Tests/Fuzz/corpus/$target" > "$log" 2>&1
    code=$?
    set -e
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    if [ -z "$runs" ]; then runs="$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$log" | tail -n 1)"; fi
    if [ "$code" -eq 0 ]; then
        verdict="ok"
    else
        if grep -q 'ERROR: libFuzzer: timeout' "$log"; then verdict="TIMEOUT"
        elif grep -q 'ERROR: libFuzzer: out-of-memory\|ERROR: libFuzzer: malloc' "$log"; then verdict="OUT OF MEMORY"
        else verdict="CRASH"
        fi
        verdict="$verdict (exit $code): $(ls -t "$artifacts" 2>/dev/null | head -n 1 | sed "s|^|$artifacts/|")"
        failed+=("$target")
        grep -B2 -A25 '==ERROR\|Fatal error\|ERROR: libFuzzer\|deadly signal' "$log" | head -n 60 || true
    fi
    summary+=("$(printf '%-18s %10s inputs in %s s  %s' "$target" "${runs:-?}" "$seconds" "$verdict")")
    echo "${summary[-1]}"
done

echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: ${failed[*]} failed; reproduce with $bin/<target> <artifact> (docs/fuzzing.md)"
    exit 1
fi
echo "fuzz: no crash, timeout or out-of-memory in $(echo $targets | wc -w) targets"
