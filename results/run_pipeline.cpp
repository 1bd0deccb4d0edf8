#include "results/run_pipeline.hpp"

#include <chrono>

namespace multivector::results {

SimulatedRun simulate(sim::Scenario scenario, const sim::RunOptions& options,
                      bool record_trajectory) {
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
