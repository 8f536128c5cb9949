#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build a release binary, and run the tier sweep
# (scenarios/tier-sweep.yaml) against the built-in mock: workers × batch size × tier, the knee per tier and the
# recommended max_workers and batch size, in about two minutes. Extra arguments go to `tierbench sweep`.
# `scripts/quickstart.sh --run [ARGS]` runs the single quickstart scenario (scenarios/quickstart.yaml) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== building (release)"
swift build -c release --product tierbench 2>&1 | tail -n 3
bin="$(swift build -c release --show-bin-path)/tierbench"
if [[ "${1:-}" == "--run" ]]; then
    shift
    echo "== tierbench run scenarios/quickstart.yaml"
    "$bin" run scenarios/quickstart.yaml "$@"
else
    echo "== tierbench sweep scenarios/tier-sweep.yaml"
    "$bin" sweep scenarios/tier-sweep.yaml "$@"
fi
