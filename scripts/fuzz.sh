#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in build-fuzz/ (clang, ASan + UBSan) and runs each
# for SECONDS (default 60) on a seed corpus made from the project's own scenarios and data.
# A crash, a hang (a unit slower than 10 s), a leak or a sanitizer report stops the run with a
# non-zero status and leaves the input in build-fuzz/artifacts/. Usage:
#   scripts/fuzz.sh [--seconds N] [--build-only] [TARGET...]    (targets: scenario override history)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
build=build-fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DMULTIVECTOR_FUZZ=ON -DMULTIVECTOR_BUILD_TESTS=OFF
fi
jobs="${MULTIVECTOR_BUILD_JOBS:-$(nproc)}"
cmake --build "$build" --target fuzzers --parallel "$jobs"
[ "$build_only" -eq 1 ] && exit 0
if [ ${#targets[@]} -eq 0 ]; then
  for executable in "$build"/tests/fuzz/fuzz_*; do
    targets+=("$(basename "$executable" | sed 's/^fuzz_//')")
  done
fi

# Seeds: the project's scenarios and data, the bad-input corpus, and tests/fuzz/seeds/<target>.
# ctest replays the same sets (tests/fuzz/CMakeLists.txt, MULTIVECTOR_FUZZ_REPLAY_ARGS_<target>):
# a change here belongs there too.
seed_files() {
  case "$1" in
    scenario) find scenarios tests/bad_inputs -name '*.yaml' -size -256k ;;
    override) find tests/bad_inputs -name 'args' ;;
    history) find scenarios/data/unga tests/bad_inputs tests/data/history -name '*.csv' -size -512k ;;
  esac
  [ -d "tests/fuzz/seeds/$1" ] && find "tests/fuzz/seeds/$1" -type f
  return 0
}

mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  while IFS= read -r file; do
    cp "$file" "$corpus/seed-$(sha1sum "$file" | cut -c1-16)"
  done < <(seed_files "$target")
  dictionary=()
  [ "$target" = scenario ] && dictionary=(-dict=tests/fuzz/yaml.dict)
  echo "== fuzz_$target for ${seconds}s ($(find "$corpus" -type f | wc -l) inputs in $corpus)"
  log="$build/fuzz_$target.log"
  set +e
  "$build/tests/fuzz/fuzz_$target" "$corpus" "${dictionary[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" >"$log" 2>&1
  status=$?
  set -e
  # The progress lines are many; the last one, the final statistics and any report are kept.
  grep -E '^#[0-9]+' "$log" | tail -n 1
  sed '/###### Recommended dictionary/,/###### End of recommended dictionary/d' "$log" |
    grep -v -E '^#[0-9]+|^INFO: (Loaded|Running|Seed|-max_len)|NEW_FUNC' || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz_$target FAILED (status $status); inputs in $build/artifacts/" >&2
    exit 1
  fi
done
echo "fuzzers clean: ${targets[*]} (${seconds}s each)"
