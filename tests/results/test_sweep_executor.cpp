// Executing sweeps: the same database whatever the threads, in-order writes, stop and resume.
#include <catch2/catch.hpp>

#include "../sweep_test_support.hpp"
#include "results/sweep_executor.hpp"

using namespace multivector;
using multivector::testing::default_scenario;
using multivector::testing::SmallSweep;
using multivector::testing::TemporaryDirectory;

TEST_CASE("one, two and three threads write identical databases") {
  TemporaryDirectory directory;
  const SmallSweep sweep(6);
  REQUIRE(sweep.run(directory / "one.db", 1).complete);
  REQUIRE(sweep.run(directory / "two.db", 2).complete);
  REQUIRE(sweep.run(directory / "three.db", 3).complete);
  const std::string one = results::dump_sweep_tables(directory / "one.db");
  CHECK(one == results::dump_sweep_tables(directory / "two.db"));
  CHECK(one == results::dump_sweep_tables(directory / "three.db"));
}

TEST_CASE("chunks reach the writer in order, each run once") {
  const SmallSweep sweep(5);
  results::SweepExecution execution;
  execution.threads = 3;
  execution.chunk_runs = 4;
  std::vector<std::int64_t> chunks;
  std::vector<std::int64_t> runs;
  const results::SweepResult result = results::execute_sweep(
      default_scenario(), sweep.design, sim::DecisionMode::Modal, results::FinishedRuns(),
      execution, [&](const results::OutcomeChunk& chunk) {
        chunks.push_back(chunk.index);
        for (const auto& outcome : chunk.runs) {
          runs.push_back(outcome.run.index);
        }
      });
  CHECK(result.complete);
  CHECK(result.written == sweep.design.runs());
  CHECK(result.failed == 0);
  REQUIRE(static_cast<std::int64_t>(runs.size()) == sweep.design.runs());
  for (std::size_t index = 0; index < runs.size(); ++index) {
    CHECK(runs[index] == static_cast<std::int64_t>(index));
  }
  for (std::size_t index = 0; index < chunks.size(); ++index) {
    CHECK(chunks[index] == static_cast<std::int64_t>(index));
  }
}

TEST_CASE("a stopped sweep resumes to the same contents as an uninterrupted one") {
  TemporaryDirectory directory;
  const SmallSweep sweep(6);
  REQUIRE(sweep.run(directory / "whole.db", 2).complete);

  // Stop as soon as the first chunks are written, as a signal handler would.
  std::atomic<bool> stop{false};
  const auto stop_early = [&](const results::SweepProgress& progress) {
    if (progress.written_now >= 16) {
      stop.store(true);
    }
  };
  const results::SweepResult first = sweep.run(directory / "resumed.db", 2, &stop, stop_early);
  CHECK_FALSE(first.complete);
  CHECK(first.written >= 16);
  CHECK(first.written < sweep.design.runs());

  stop.store(false);
  const results::SweepResult second = sweep.run(directory / "resumed.db", 1, &stop);
  CHECK(second.complete);
  CHECK(first.written + second.written == sweep.design.runs());
  CHECK(results::dump_sweep_tables(directory / "whole.db") ==
        results::dump_sweep_tables(directory / "resumed.db"));

  // Resuming a complete sweep runs nothing.
  const results::SweepResult third = sweep.run(directory / "resumed.db", 2);
  CHECK(third.complete);
  CHECK(third.written == 0);
  results::SqliteDatabase reader(directory / "resumed.db", results::SqliteDatabase::Mode::ReadOnly);
  CHECK(reader
            .query_text("SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM "
                        "invocations ORDER BY invocation)")
            .value() == "interrupted,complete,complete");
}
