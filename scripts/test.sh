#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run every test. CI runs exactly this
# (.ci/run). Extra suites that need their own build or tools (sanitizers, fuzzers, browser tests)
# live in scripts/test.d/NN-name.sh and run after the unit tests, in name order.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step's time is printed when it ends, so a slow CI run shows which step to look at (CI stops
# a run after 90 minutes; README.md gives the times of a full run).
suite_start=$SECONDS
timed() {
  local label="$1" start=$SECONDS
  shift
  echo "== $label"
  "$@"
  echo "== $label: done in $(( SECONDS - start )) s ($(( SECONDS - suite_start )) s since the start)"
}
timed "setup" scripts/setup.sh --all
timed "build" scripts/build.sh
timed "unit tests" ctest --test-dir build --output-on-failure --parallel "$(nproc)"
for step in scripts/test.d/*.sh; do
  [ -e "$step" ] || continue
  timed "$step" "$step"
done
echo "all tests passed in $(( SECONDS - suite_start )) s"
