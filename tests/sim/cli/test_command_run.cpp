// `multivector run`: what it prints without recorded votes, and the output folders it refuses.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/test_support.hpp"

using multivector::testing::read_text_file;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;
using multivector::testing::split_lines;
using multivector::testing::WorkingDirectory;

TEST_CASE("run prints the simulated votes of a scenario that names no recorded votes") {
  ScratchDirectory scratch;
  const auto scenario = scratch / "nocw.yaml";
  {
    std::ofstream file(scenario);
    for (const auto& line : split_lines(read_text_file(
             std::filesystem::path(MULTIVECTOR_SOURCE_DIR) / "scenarios/central_asia_2022.yaml"))) {
      if (line.find("compare_with") == std::string::npos) {
        file << line << "\n";
      }
    }
  }
  const auto result = run_command({"run", scenario, "--out", scratch / "run"});
  INFO(result.err);
  REQUIRE(result.status == 0);
  INFO(result.out);
  // One row per vote, the countries as columns, no recorded votes to match.
  CHECK_THAT(result.out,
             Catch::Contains("KAZ") && Catch::Contains("ES-11/1 ") && Catch::Contains("ES-11/6 "));
  CHECK_THAT(result.out, !Catch::Contains("match") && !Catch::Contains("/-") &&
                             !Catch::Contains("equals the recorded vote"));
  CHECK_THAT(result.out, Catch::Contains("statement referendums_statement"));
}

TEST_CASE("run --out . refuses the working directory, and names no builtin: input as a file") {
  ScratchDirectory scratch;
  const WorkingDirectory empty(scratch.path());
  const auto result = run_command({"run", "--out", "."});
  CHECK(result.status == 2);
  CHECK_THAT(result.err, Catch::Contains("it is the working directory"));
  CHECK_THAT(result.err, !Catch::Contains("builtin:"));
  CHECK(std::filesystem::is_empty(scratch.path()));
}
