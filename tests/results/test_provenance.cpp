// The record written beside a single CSV output, and the checks every command runs on its
// outputs before the work: none over an input, no two the same file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "results/atomic_output.hpp"
#include "results/provenance.hpp"
#include "results/run_writer.hpp"
#include "sim/sha256.hpp"
#include "tests/test_support.hpp"

using namespace multivector::results;
using multivector::testing::ScratchDirectory;

TEST_CASE("the provenance file takes the output's name with .manifest.json for its extension") {
  CHECK(provenance_path("out/held_out.csv") == std::filesystem::path("out/held_out.manifest.json"));
  CHECK(provenance_path("votes") == std::filesystem::path("votes.manifest.json"));
  CHECK(provenance_path("a.b/votes.tsv") == std::filesystem::path("a.b/votes.manifest.json"));
}

TEST_CASE("the provenance JSON holds the version, inputs, settings and columns in order") {
  OutputProvenance provenance;
  provenance.command = "export-votes";
  provenance.command_line = "multivector export-votes --history v.csv -o out/x.csv";
  provenance.vote_files = {{"v.csv", std::string(64, 'a')}};
  provenance.settings["codes"] = "letters";
  provenance.columns = {{"resolution", "symbol"}, {"date", "day"}, {"iso3", "code"}};
  const auto json = nlohmann::ordered_json::parse(provenance_json(provenance, "out/x.csv"));
  CHECK(json["version"] == program_version());
  CHECK(json["output"] == "x.csv");  // the two files sit together
  CHECK(json["vote_files"][0]["sha256"] == std::string(64, 'a'));
  CHECK(json["seed"].is_null());
  CHECK(json["scenario_files"].empty());
  CHECK_FALSE(json.contains("run_dir"));
  std::string order;
  for (const auto& [column, meaning] : json["columns"].items()) {
    order += column + " ";
  }
  CHECK(order == "resolution date iso3 ");
  provenance.seed = 7;
  provenance.run_dir = "out/run";
  const auto with_run = nlohmann::ordered_json::parse(provenance_json(provenance, "x.csv"));
  CHECK(with_run["seed"] == 7);
  CHECK(with_run["run_dir"] == "out/run");
}

TEST_CASE("hashed inputs carry each file's SHA-256, and a missing file is an input error") {
  ScratchDirectory scratch;
  { std::ofstream(scratch / "a.csv") << "resolution,date,iso3,vote\n"; }
  const auto hashed = hashed_inputs({scratch / "a.csv"});
  REQUIRE(hashed.size() == 1);
  CHECK(hashed[0].sha256 == multivector::sim::sha256_hex("resolution,date,iso3,vote\n"));
  CHECK_THROWS_AS(hashed_inputs({scratch / "missing.csv"}), multivector::sim::InputError);
}

TEST_CASE("outputs are refused over an input, over each other, and where they cannot be made") {
  ScratchDirectory scratch;
  { std::ofstream(scratch / "scenario.yaml") << "scenario: {}\n"; }
  const std::filesystem::path scenario = scratch / "scenario.yaml";
  // The same file under another spelling of its path is still the input.
  const std::filesystem::path respelt = std::filesystem::path(scratch / ".") / "scenario.yaml";
  CHECK_THROWS_WITH(check_output_files({scratch / "params.yaml", respelt}, {scenario}),
                    Catch::Contains("which this command reads"));
  CHECK_THROWS_WITH(check_output_files({scratch / "x.yaml", scratch / "./x.yaml"}, {}),
                    Catch::Contains("they are the same file"));
  CHECK_THROWS_WITH(check_output_files({scratch / "scenario.yaml/inner.csv"}, {}),
                    Catch::Contains("inner.csv"));
  CHECK_NOTHROW(check_output_files({scratch / "params.yaml", scratch / "held.csv"}, {scenario}));
  // Nothing is left behind by the checks.
  CHECK(std::distance(std::filesystem::directory_iterator(scratch.path()),
                      std::filesystem::directory_iterator()) == 1);
}
