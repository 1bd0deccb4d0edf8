#pragma once
// Synthetic but valid scenarios of any size, for scale tests and benchmarks.

#include <cstdint>
#include <string>
#include <string_view>

namespace multivector::sim {

struct GenerateOptions {
  int countries = 193;
  int days = 1000;
  int events = 500;
  int items = 50;
  int powers = 3;
  int channels = 6;
  int norms = 3;
  std::uint64_t seed = 1;
};

// YAML text of a scenario that `load_scenario` accepts. Deterministic in its options.
[[nodiscard]] std::string generate_scenario_yaml(const GenerateOptions& options);

// True when `text` (the start of a file is enough) carries the comment generate_scenario_yaml
// writes on one of its first two lines: `generate -o` may replace such a file, and no other.
[[nodiscard]] bool is_generated_scenario(std::string_view text);

}  // namespace multivector::sim
