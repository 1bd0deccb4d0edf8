#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run every test. CI runs exactly this
# (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --all
scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
