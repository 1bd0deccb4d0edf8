#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and run the built-in Central Asia 2022 scenario,
# printing the simulated votes beside the recorded ones.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Only the program: the tests are built by scripts/test.sh, which needs them.
scripts/build.sh --target multivector
build/sim/cli/multivector run "$@"
