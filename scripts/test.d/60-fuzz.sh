#!/usr/bin/env bash
# Each libFuzzer target for a minute (MULTIVECTOR_FUZZ_SECONDS to change it): a crash, a hang, a
# leak or a sanitizer report fails CI. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec scripts/fuzz.sh --seconds "${MULTIVECTOR_FUZZ_SECONDS:-60}"
