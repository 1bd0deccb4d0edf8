#!/usr/bin/env bash
# Configures and builds Multivector in build/ (Release, warnings as errors).
#   scripts/build.sh                      everything: the program, tests, benchmarks
#   scripts/build.sh --target multivector only what the named target needs (repeatable)
# Other arguments go to cmake when it configures, e.g. -DMULTIVECTOR_MPI=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=()
configure_arguments=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target)
      [ $# -ge 2 ] || { echo "build.sh: --target needs a target name, e.g. --target multivector" >&2; exit 2; }
      targets+=(--target "$2")
      shift 2 ;;
    *) configure_arguments+=("$1"); shift ;;
  esac
done
set -- "${configure_arguments[@]}"
generator=()
if command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
fi
# Configure on the first build, and again whenever Debian packages were installed since the last
# configure: MPI and cpp-httplib are optional and found only at configure time, so a build set up
# by `scripts/run-default.sh` must notice what `scripts/setup.sh --all` added before `scripts/test.sh`
# builds again. The stamp records when the last configure ran (cmake leaves an unchanged
# CMakeCache.txt alone, so its date cannot).
stamp=build/configured.stamp
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
  touch "$stamp"
elif [ ! -f "$stamp" ] || [ /var/lib/dpkg/status -nt "$stamp" ]; then
  echo "build: Debian packages installed since the last configure; configuring again"
  cmake -S . -B build "$@"
  touch "$stamp"
fi
cmake --build build --parallel "$(nproc)" "${targets[@]}"
