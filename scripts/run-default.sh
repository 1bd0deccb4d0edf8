#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and run the built-in Central Asia 2022 scenario,
# printing the simulated votes beside the recorded ones.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build/sim/cli/multivector run "$@"
