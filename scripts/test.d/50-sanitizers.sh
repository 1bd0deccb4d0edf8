#!/usr/bin/env bash
# The whole test suite again under AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/.
# Any report (memory error, leak, undefined behaviour) aborts the test that caused it.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f build-asan/CMakeCache.txt ]; then
  generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  cmake -S . -B build-asan "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMULTIVECTOR_SANITIZE=ON
fi
cmake --build build-asan --parallel "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# docs.commands reruns documented commands, the world calibration among them, which the unit
# tests already drive under the sanitizers; at their speed it would take minutes.
ctest --test-dir build-asan --output-on-failure --parallel "$(nproc)" --label-exclude docs
echo "sanitizers: the whole suite passed under ASan + UBSan"
