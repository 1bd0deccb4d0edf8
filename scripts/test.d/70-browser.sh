#!/usr/bin/env bash
# Browser tests of `multivector report` and `multivector serve`: Playwright (playwright-core, pinned
# by web/package-lock.json) drives Debian's Chromium headless against the freshly built program.
# Screenshots and the measured what-if latency are saved in build/browser-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
(cd web && npm ci --no-audit --no-fund)
# The chart libraries are embedded when the program is built: rebuild in case the build ran before
# they were installed (the embedding step notices them and recompiles only what changed).
cmake --build build --parallel "$(nproc)"
export MULTIVECTOR="$PWD/build/sim/cli/multivector"
export BROWSER_ARTIFACTS="$PWD/build/browser-artifacts"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
node --test web/tests/
echo "browser test artifacts: $BROWSER_ARTIFACTS"
