#!/usr/bin/env bash
# Formats every C++ and JavaScript source with clang-format, in the style of .clang-format.
# With --check it changes nothing and fails, naming each file and line that differs: CI runs it
# that way (scripts/test.d/10-format.sh), so an unformatted file fails the build like a warning.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=fix
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h | --help)
    echo "usage: scripts/format.sh [--check]   (clang-format comes from scripts/setup.sh --format)"
    exit 0 ;;
  *) echo "format.sh: unknown option '$1' (use --check, or nothing to format in place)" >&2; exit 2 ;;
esac
if ! command -v clang-format >/dev/null 2>&1; then
  echo "format.sh: clang-format is missing; install it with scripts/setup.sh --format" >&2
  exit 2
fi
# The tracked sources when this is a git checkout; otherwise the same folders by name (build/ and
# web/node_modules/ are never ours to format).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.js' '*.mjs')
else
  mapfile -t files < <(find agents sim results tests bench web/src web/tests -type f \
    \( -name '*.cpp' -o -name '*.hpp' -o -name '*.js' -o -name '*.mjs' \) | sort)
fi
if [ "$mode" = check ]; then
  clang-format --dry-run --Werror "${files[@]}"
  echo "format: ${#files[@]} files match .clang-format"
else
  clang-format -i "${files[@]}"
  echo "format: ${#files[@]} files formatted"
fi
