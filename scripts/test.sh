#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run every test. CI runs exactly this
# (.ci/run). Extra suites that need their own build or tools (sanitizers, fuzzers, browser tests)
# live in scripts/test.d/NN-name.sh and run after the unit tests, in name order.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --all
scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
for step in scripts/test.d/*.sh; do
  [ -e "$step" ] || continue
  echo "== $step"
  "$step"
done
echo "all tests passed"
