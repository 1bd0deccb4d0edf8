// What a sweep keeps of a run, and how it travels between MPI ranks.
#include <catch2/catch.hpp>

#include "../sweep_test_support.hpp"
#include "results/recorder.hpp"
#include "results/sweep_outcome.hpp"

using namespace multivector;
using multivector::testing::default_scenario;

TEST_CASE("a sweep run keeps every decision and a summary of every country") {
  const sim::SweepDesign design(default_scenario(), {"parameters.decision.leverage.RUS=0:2:1"},
                                sim::SweepDesignOptions{});
  results::SweepWorker worker(default_scenario(), design, sim::DecisionMode::Modal);
  results::RunOutcome outcome;
  worker.run(2, outcome);
  REQUIRE_FALSE(outcome.failed);
  CHECK(outcome.parameter_values == std::vector<double>{2.0});
  const auto& scenario = default_scenario();
  REQUIRE(outcome.decisions.size() == scenario.agenda.size() * scenario.countries.size());
  std::size_t offset = 0;
  for (const auto& decision : outcome.decisions) {
    const auto options = scenario.agenda[static_cast<std::size_t>(decision.item)].options.size();
    double total = 0.0;
    for (std::size_t option = 0; option < options; ++option) {
      total += outcome.probabilities[offset + option];
    }
    CHECK(total == Approx(1.0));
    offset += options;
  }
  CHECK(offset == outcome.probabilities.size());
  CHECK(outcome.countries.size() == scenario.countries.size());
  CHECK(outcome.powers.size() == scenario.countries.size() * scenario.powers.size());

  // The same run through the full recorder: identical choices and probabilities.
  sim::Scenario varied = scenario;
  design.apply(varied, outcome.parameter_values);
  sim::Engine engine(varied, sim::RunOptions{sim::DecisionMode::Modal, outcome.run.seed});
  results::RunRecorder recorder(varied);
  engine.run(recorder);
  REQUIRE(recorder.decisions().size() == outcome.decisions.size());
  for (std::size_t index = 0; index < outcome.decisions.size(); ++index) {
    CHECK(recorder.decisions()[index].realised == outcome.decisions[index].realised);
    CHECK(recorder.decisions()[index].modal == outcome.decisions[index].modal);
  }
  CHECK(recorder.decisions()[3].probability(1) == outcome.probabilities[3 * 4 + 1]);
  const auto& last = recorder.trajectory().back().values;
  CHECK(outcome.countries[1].final_orientation == last(1, 0));
  // Leverage columns follow orientation and the vulnerability block in trajectory.csv.
  const auto powers = static_cast<sim::Index>(scenario.powers.size());
  CHECK(outcome.powers[powers + 0].final_leverage == last(1, 1 + powers));
}

TEST_CASE("a worker gives the same outcome for a run whatever ran before it") {
  sim::SweepDesignOptions options;
  options.replications = 3;
  options.seed = 5;
  const sim::SweepDesign design(default_scenario(), {"parameters.decision.leverage.RUS=0:2:1"},
                                options);
  results::SweepWorker first(default_scenario(), design, sim::DecisionMode::Sample);
  results::SweepWorker second(default_scenario(), design, sim::DecisionMode::Sample);
  results::RunOutcome alone;
  results::RunOutcome after_others;
  first.run(4, alone);
  second.run(5, after_others);
  second.run(0, after_others);
  second.run(4, after_others);
  CHECK(alone.run.seed == after_others.run.seed);
  CHECK(alone.probabilities == after_others.probabilities);
  REQUIRE(alone.decisions.size() == after_others.decisions.size());
  for (std::size_t index = 0; index < alone.decisions.size(); ++index) {
    CHECK(alone.decisions[index].realised == after_others.decisions[index].realised);
  }
  // Another point of the design really changes the probabilities.
  results::RunOutcome other_point;
  first.run(0, other_point);
  CHECK(other_point.probabilities != alone.probabilities);
}

TEST_CASE("outcome chunks survive encoding for MPI byte for byte") {
  const sim::SweepDesign design(default_scenario(), {"parameters.decision.leverage.RUS=0:2:1"},
                                sim::SweepDesignOptions{});
  results::SweepWorker worker(default_scenario(), design, sim::DecisionMode::Modal);
  results::OutcomeChunk chunk;
  chunk.index = 9;
  chunk.runs.resize(3);
  for (std::size_t run = 0; run < 3; ++run) {
    worker.run(static_cast<std::int64_t>(run), chunk.runs[run]);
  }
  chunk.runs[1].failed = true;
  chunk.runs[1].error = "a message, with \"quotes\"";
  std::vector<char> bytes;
  results::encode_chunk(chunk, bytes);
  const results::OutcomeChunk decoded = results::decode_chunk(bytes);
  CHECK(decoded.index == 9);
  REQUIRE(decoded.runs.size() == 3);
  for (std::size_t run = 0; run < 3; ++run) {
    CHECK(decoded.runs[run].run.seed == chunk.runs[run].run.seed);
    CHECK(decoded.runs[run].parameter_values == chunk.runs[run].parameter_values);
    CHECK(decoded.runs[run].probabilities == chunk.runs[run].probabilities);
    CHECK(decoded.runs[run].decisions.size() == chunk.runs[run].decisions.size());
    CHECK(decoded.runs[run].countries.size() == chunk.runs[run].countries.size());
    CHECK(decoded.runs[run].powers.size() == chunk.runs[run].powers.size());
  }
  CHECK(decoded.runs[1].failed);
  CHECK(decoded.runs[1].error == chunk.runs[1].error);
  bytes.resize(bytes.size() / 2);
  CHECK_THROWS(results::decode_chunk(bytes));
}
