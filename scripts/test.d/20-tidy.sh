#!/usr/bin/env bash
# clang-tidy's bug-finding checks (.clang-tidy) over agents/, sim/, results/, bench/ and tests/, on the
# release build's compilation database: a finding fails the suite like a compiler warning.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/tidy.sh
