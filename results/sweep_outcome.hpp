#pragma once
// What a sweep keeps of one run: its place in the design, every decision with its probabilities,
// and a summary of each country's trajectory. Workers (threads or MPI ranks) compute outcomes;
// the writer stores them. Outcomes travel between ranks as flat bytes (encode/decode below).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/sweep_design.hpp"

namespace multivector::results {

struct DecisionOutcome {
  std::int32_t item = -1;
  std::int32_t country = -1;
  std::int32_t realised = -1;
  std::int32_t modal = -1;
};

// Per country: orientation at the end and averaged over the steps.
struct CountryOutcome {
  double final_orientation = 0.0;
  double mean_orientation = 0.0;
};

// Per country and power, from the engine's state at every step.
struct PowerOutcome {
  double mean_leverage = 0.0;
  double final_leverage = 0.0;
  double final_credibility = 0.0;  // effective credibility (after protection) at the end
  double costs_borne = 0.0;        // accumulated over the run
};

struct RunOutcome {
  sim::SweepRun run;
  std::vector<double> parameter_values;  // in --vary order
  bool failed = false;
  std::string error;
  std::vector<DecisionOutcome> decisions;  // in the order the engine decided them
  std::vector<double> probabilities;       // each decision's options, concatenated
  std::vector<CountryOutcome> countries;   // scenario order
  std::vector<PowerOutcome> powers;        // countries × powers, row-major
};

// Runs of one chunk of the sweep, in run order (finished runs skipped on resume are absent).
struct OutcomeChunk {
  std::int64_t index = 0;
  std::vector<RunOutcome> runs;
};

// Runs one design point after another on its own copy of the scenario. Not thread-safe: each
// thread has its own worker.
class SweepWorker {
 public:
  SweepWorker(const sim::Scenario& scenario, const sim::SweepDesign& design,
              sim::DecisionMode decisions);
  SweepWorker(const SweepWorker&) = delete;
  SweepWorker& operator=(const SweepWorker&) = delete;
  ~SweepWorker();

  // Runs `run_index` into `outcome`. A run that throws is recorded as failed with its message.
  void run(std::int64_t run_index, RunOutcome& outcome);

 private:
  class Observer;
  sim::Scenario scenario_;  // the base scenario, with the varied inputs overwritten per run
  const sim::SweepDesign& design_;
  sim::DecisionMode decisions_;
  std::unique_ptr<Observer> observer_;
};

// Flat bytes for MPI: the same outcomes on every platform with the same endianness.
void encode_chunk(const OutcomeChunk& chunk, std::vector<char>& bytes);
[[nodiscard]] OutcomeChunk decode_chunk(const std::vector<char>& bytes);

}  // namespace multivector::results
