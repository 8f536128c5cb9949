#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build a release binary, run the quickstart scenario
# against the built-in mock. Extra arguments are passed to `tierbench run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== building (release)"
swift build -c release --product tierbench 2>&1 | tail -n 3
bin="$(swift build -c release --show-bin-path)/tierbench"
echo "== tierbench run scenarios/quickstart.yaml"
"$bin" run scenarios/quickstart.yaml "$@"
