#pragma once
// From YAML to a validated Scenario: follow `extends`, merge `--params` and `--set`, drop events
// named by `--drop-event`, then check every value (type, range, references) and report each problem
// as FILE:LINE:COLUMN: error: MESSAGE. Nothing runs until the whole scenario is valid.

#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/source_tree.hpp"

namespace multivector::sim {

// Upper bounds on what one scenario may declare (docs/limits.md). They exist so that a typo such
// as an extra zero fails fast with a message instead of exhausting memory or running for hours.
struct ScenarioLimits {
  Index max_countries = 1000;
  Index max_powers = 1000;
  Index max_channels = 100;
  Index max_norms = 100;
  Index max_groups = 1000;
  Index max_events = 100'000;
  Index max_agenda_items = 100'000;
  Index max_options = 32;
  std::int64_t max_steps = 1'000'000;
  // countries × steps: what the engine's running time grows with.
  std::int64_t max_country_steps = 100'000'000;
  // items × countries × decision_values_per_row(): what a run's recorded decisions take.
  std::int64_t max_decision_values = 100'000'000;
  // steps × countries × trajectory columns, when a run records its trajectory (results::simulate).
  std::int64_t max_trajectory_values = 50'000'000;
};

// How many numbers a run records for one decision of one country on one item: per option, its
// probability, utility and every utility term (see agents::TermLayout).
[[nodiscard]] constexpr Index decision_values_per_row(Index powers, Index norms) {
  constexpr Index kOptions = 4;
  constexpr Index kFixedTerms = 4;  // intercept, participation, orientation, persistence
  return kOptions * (2 + kFixedTerms + 2 * powers + norms);
}

struct LoadOptions {
  std::vector<std::string> overrides;    // "PATH=VALUE", applied in order
  std::vector<std::string> drop_events;  // event ids removed before the run
  std::string params_file;               // fitted parameters merged over `parameters:`
  // Whether the scenario's own fitted parameters (scenario.params) are merged when params_file
  // is empty. calibrate turns it off: it fits those parameters, and a fit that started from its
  // own last output would not be the same fit twice.
  bool read_scenario_params = true;
  ParseLimits parse_limits;
  ScenarioLimits scenario_limits;
};

// The merged document before it is typed, with the files it came from.
struct LoadedTree {
  SourceNode root;
  std::vector<SourceFile> files;
};

// Loads `path` (a file, or builtin:NAME) with its `extends` chain, --params and --set.
[[nodiscard]] LoadedTree load_scenario_tree(const std::string& path, const LoadOptions& options);
// The same for text that is not on disk; `extends` resolves relative to `label`.
[[nodiscard]] LoadedTree load_scenario_tree_from_text(std::string_view text,
                                                      const std::string& label,
                                                      const LoadOptions& options);
// Types and validates a merged tree.
[[nodiscard]] Scenario build_scenario(const LoadedTree& tree, const LoadOptions& options);

// load_scenario_tree + build_scenario. Throws InputError listing every problem found.
[[nodiscard]] Scenario load_scenario(const std::string& path, const LoadOptions& options = {});
[[nodiscard]] Scenario load_scenario_from_text(std::string_view text, const std::string& label,
                                               const LoadOptions& options = {});

// Names of channels, norms, statement options and tags: whether the loader accepts `name`, and
// the words its messages use to say what it accepts (the command line checks tags the same way).
[[nodiscard]] bool is_valid_name(const std::string& name);
inline constexpr std::string_view kNameRule =
    "a lower-case letter, then lower-case letters, digits or '_', 64 at most";

// What the loader accepts for `parameters.decision` (in a scenario or a --params file): every
// weight, intercept and offset within ±kDecisionWeightLimit, the temperature from
// kMinDecisionTemperature to kDecisionWeightLimit. A value past them is a fit that ran off.
inline constexpr double kDecisionWeightLimit = 1e3;
inline constexpr double kMinDecisionTemperature = 1e-6;

// The half-lives of `parameters.dynamics`, in days: more than 0, as a half-life of 0 would halve
// nothing at all (the engine takes it as "never decays", the opposite of what a short half-life
// means); the largest is as good as no decay within any scenario's period.
inline constexpr double kMinHalfLifeDays = 1e-6;
inline constexpr double kMaxHalfLifeDays = 1e6;

// Each decision parameter the loader would refuse (outside those limits, or not a finite
// number), as "parameters.decision.PATH = VALUE (accepted: LOW to HIGH)" with the paths of the
// loader's own messages; empty when a parameters file holding them would load. Leverage and norm
// weights are named by the ids of `scenario`'s powers and norms.
[[nodiscard]] std::vector<std::string> decision_parameters_out_of_range(
    const Scenario& scenario, const DecisionParameters& decision);

// Applies one "PATH=VALUE" override to a tree; problems go to `diagnostics`.
void apply_override(SourceNode& root, const std::string& assignment, Diagnostics& diagnostics);

}  // namespace multivector::sim
