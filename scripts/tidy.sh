#!/usr/bin/env bash
# Runs clang-tidy's bug-finding checks (.clang-tidy) over the project's own sources: agents/,
# sim/, results/, bench/ and tests/ (a test's own bug, such as a loop counted in doubles that
# can run one step short, hides the very failure the test is there to catch). Any finding fails,
# like a compiler warning. Needs the compilation database of build/ (scripts/build.sh writes it)
# and clang-tidy (scripts/setup.sh --tidy). The fuzz targets (tests/fuzz/) are in that database
# through their seed-corpus replays (fuzz_replay_NAME), so they are checked too.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  "") ;;
  -h | --help)
    echo "usage: scripts/tidy.sh   (checks: .clang-tidy; needs build/ and scripts/setup.sh --tidy)"
    exit 0 ;;
  *) echo "tidy.sh: unknown option '$1' (it takes none)" >&2; exit 2 ;;
esac
if ! command -v run-clang-tidy >/dev/null 2>&1; then
  echo "tidy.sh: run-clang-tidy is missing; install it with scripts/setup.sh --tidy" >&2
  exit 2
fi
if [ ! -f build/compile_commands.json ]; then
  echo "tidy.sh: build/compile_commands.json is missing; run scripts/build.sh first" >&2
  exit 2
fi
root="$(pwd)"
# The file argument is a regular expression on each compiled file's path; generated sources in
# build/ (embedded scenarios and web assets) are not ours to check. The build's flags are g++'s:
# clang is told to let pass the few it does not know (-Wno-restrict) rather than stop on them.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! run-clang-tidy -p build -j "$(nproc)" -quiet \
     -extra-arg=-Wno-unknown-warning-option "^${root}/(agents|sim|results|bench|tests)/" >"$log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E "(warning|error): " | sort -u >&2 || cat "$log" >&2
  echo "tidy: clang-tidy reported the findings above (.clang-tidy lists the checks)" >&2
  exit 1
fi
checked=$(grep -c "^clang-tidy" "$log" || true)
echo "tidy: ${checked} files pass clang-tidy's checks (.clang-tidy)"
