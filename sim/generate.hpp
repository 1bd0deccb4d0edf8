#pragma once
// Synthetic but valid scenarios of any size, for scale tests and benchmarks.

#include <cstdint>
#include <string>

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

}  // namespace multivector::sim
