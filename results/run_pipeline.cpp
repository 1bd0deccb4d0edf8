#include "results/run_pipeline.hpp"

#include <chrono>
#include <cstdint>
#include <string>

#include "sim/scenario_loader.hpp"

namespace multivector::results {

namespace {

// The trajectory holds a row of every country at every step: refuse before spending the memory.
void check_trajectory_size(const sim::Scenario& scenario) {
  const std::int64_t limit = sim::ScenarioLimits{}.max_trajectory_values;
  const auto steps = static_cast<std::int64_t>(scenario.steps());
  const auto countries = static_cast<std::int64_t>(scenario.countries.size());
  const auto columns =
      static_cast<std::int64_t>(1 + 6 * scenario.powers.size() + scenario.norms.size());
  const std::int64_t values = steps * countries * columns;
  if (values > limit) {
    const std::string file = scenario.files.empty() ? "scenario" : scenario.files.front().path;
    throw sim::InputError(
        sim::SourceLocation{file, 0, 0},
        "the trajectory would hold " + std::to_string(values) + " values (" +
            std::to_string(steps) + " steps × " + std::to_string(countries) + " countries × " +
            std::to_string(columns) + " columns), over the limit of " + std::to_string(limit) +
            "; use --no-trajectory, a longer step or a shorter period (docs/limits.md)");
  }
}

}  // namespace

SimulatedRun simulate(sim::Scenario scenario, const sim::RunOptions& options,
                      bool record_trajectory) {
  if (record_trajectory) {
    check_trajectory_size(scenario);
  }
  SimulatedRun run;
  run.scenario = std::make_unique<sim::Scenario>(std::move(scenario));
  run.recorder = std::make_unique<RunRecorder>(*run.scenario, record_trajectory);
  sim::Engine engine(*run.scenario, options);
  const auto started = std::chrono::steady_clock::now();
  engine.run(*run.recorder);
  run.compute_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run.seed = engine.seed();
  run.decisions = options.decisions;
  return run;
}

}  // namespace multivector::results
