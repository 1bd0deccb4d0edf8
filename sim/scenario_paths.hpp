#pragma once
// Numeric inputs of a validated scenario, named by the same dotted paths as --set
// (countries.KAZ.exposure.RUS.transit, events.ID.magnitude, parameters.decision.leverage.RUS, ...).
// Sweeps vary them, the what-if page turns them into sliders and `explain` searches them for the
// smallest change that flips a decision — all without reparsing YAML.

#include <functional>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace multivector::sim {

struct NumericInput {
  std::string path;
  double low = 0.0;  // the range the validator accepts
  double high = 1.0;
  std::function<double(const Scenario&)> get;
  std::function<void(Scenario&, double)> set;
};

// The input at `path`; an unknown path or a non-numeric one is an InputError at `where` with a
// suggestion of the nearest valid path.
[[nodiscard]] NumericInput resolve_numeric_input(const Scenario& scenario, const std::string& path,
                                                 const SourceLocation& where);

// Every numeric input of the scenario, in a stable order.
[[nodiscard]] std::vector<NumericInput> numeric_inputs(const Scenario& scenario);

}  // namespace multivector::sim
