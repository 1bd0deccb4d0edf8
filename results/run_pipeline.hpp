#pragma once
// Load → run → record: the steps every command that simulates shares.

#include <cstdint>
#include <memory>

#include "results/recorder.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace multivector::results {

struct SimulatedRun {
  // The scenario lives on the heap because the recorder refers to it.
  std::unique_ptr<sim::Scenario> scenario;
  std::unique_ptr<RunRecorder> recorder;
  std::uint64_t seed = 0;
  sim::DecisionMode decisions = sim::DecisionMode::Modal;
  double compute_seconds = 0.0;  // the engine's run alone, without loading or writing
};

[[nodiscard]] SimulatedRun simulate(sim::Scenario scenario, const sim::RunOptions& options,
                                    bool record_trajectory = true);

}  // namespace multivector::results
