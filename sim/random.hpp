#pragma once
// Counter-based randomness: every draw is a pure function of (seed, stream, counters). No draw
// depends on how many draws came before it, so a run's output depends only on the scenario, the
// overrides and the seed — whatever the order of evaluation or the number of threads.

#include <cstdint>
#include <string_view>

namespace multivector::sim {

enum class RandomStream : std::uint64_t {
  kDecision = 1,     // (item id, country id): a sampled vote or statement
  kRetaliation = 2,  // (threat id, country id, item id): does the power carry out its threat?
  kSweep = 3,        // (run index): seeds of the runs of a sweep
  kGenerate = 4,     // synthetic scenarios
  kBootstrap = 5,    // (replicate, draw): resampled clusters of an uncertainty interval
};

// SplitMix64's finaliser: a bijective 64-bit mix with good avalanche.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

[[nodiscard]] constexpr std::uint64_t random_bits(std::uint64_t seed, RandomStream stream,
                                                  std::uint64_t first, std::uint64_t second = 0,
                                                  std::uint64_t third = 0) {
  std::uint64_t state = mix64(seed ^ mix64(static_cast<std::uint64_t>(stream)));
  state = mix64(state ^ first);
  state = mix64(state ^ (second + 0x632be59bd9b4e019ULL));
  state = mix64(state ^ (third + 0x8cb92ba72f3d8dd7ULL));
  return state;
}

// A stable 64-bit key for a name (FNV-1a), so draws tied to a named thing — an event, an item, a
// country — do not change when other things are added, removed or reordered in the scenario.
[[nodiscard]] constexpr std::uint64_t name_key(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char character : name) {
    hash = (hash ^ static_cast<unsigned char>(character)) * 0x100000001b3ULL;
  }
  return hash;
}

// A uniform draw in [0, 1) with 53 bits of precision.
[[nodiscard]] constexpr double random_uniform(std::uint64_t seed, RandomStream stream,
                                              std::uint64_t first, std::uint64_t second = 0,
                                              std::uint64_t third = 0) {
  return static_cast<double>(random_bits(seed, stream, first, second, third) >> 11) * 0x1.0p-53;
}

}  // namespace multivector::sim
