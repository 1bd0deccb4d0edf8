#!/usr/bin/env bash
# Every C++ and JavaScript file must be as clang-format writes it (.clang-format); run
# scripts/format.sh to fix what this reports.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/format.sh --check
