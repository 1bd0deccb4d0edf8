// Same scenario, overrides and seed → byte-identical outputs apart from the run time in the
// manifest; a different seed changes sampled decisions.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/cli/cli.hpp"

using namespace multivector;

namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

// The manifest without the two fields that record when and how long a run took, and without the
// command line (which names the output directory).
std::string stable_manifest(const std::filesystem::path& path) {
  auto manifest = nlohmann::json::parse(slurp(path));
  manifest.erase("created_at");
  manifest.erase("compute_seconds");
  manifest.erase("command_line");
  return manifest.dump();
}

std::filesystem::path run_into(const std::string& name, std::vector<std::string> extra) {
  auto directory = std::filesystem::temp_directory_path() / ("multivector_determinism_" + name);
  std::filesystem::remove_all(directory);
  std::vector<std::string> arguments = {"multivector", "run", "--out", directory.string()};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(cli::run_cli(arguments, out, err) == 0);
  return directory;
}

void require_identical(const std::filesystem::path& left, const std::filesystem::path& right) {
  for (const char* file : {"votes.csv", "statements.csv", "trajectory.csv", "events.jsonl"}) {
    INFO(file);
    CHECK(slurp(left / file) == slurp(right / file));
  }
  CHECK(stable_manifest(left / "manifest.json") == stable_manifest(right / "manifest.json"));
}

}  // namespace

TEST_CASE("modal runs are byte-identical apart from the run time") {
  const std::vector<std::string> what_if = {"--set", "countries.KAZ.exposure.RUS.transit=0.4",
                                            "--seed", "11"};
  require_identical(run_into("modal_a", what_if), run_into("modal_b", what_if));
}

TEST_CASE("sampled runs are byte-identical for one seed and differ across seeds") {
  const auto first = run_into("sample_a", {"--decisions", "sample", "--seed", "5"});
  const auto second = run_into("sample_b", {"--decisions", "sample", "--seed", "5"});
  require_identical(first, second);
  bool any_difference = false;
  for (int seed = 6; seed < 16 && !any_difference; ++seed) {
    const auto other =
        run_into("sample_c", {"--decisions", "sample", "--seed", std::to_string(seed)});
    any_difference = slurp(other / "votes.csv") != slurp(first / "votes.csv");
  }
  CHECK(any_difference);
}

TEST_CASE("the manifest records seed, scenario hashes, overrides and version") {
  const auto directory = run_into("manifest", {"--seed", "9", "--set", "countries.TJK.stay_out=0.5",
                                               "--drop-event", "usa_ericen_2022_09"});
  const auto manifest = nlohmann::json::parse(slurp(directory / "manifest.json"));
  CHECK(manifest["seed"] == 9);
  CHECK(manifest["overrides"][0] == "countries.TJK.stay_out=0.5");
  CHECK(manifest["dropped_events"][0] == "usa_ericen_2022_09");
  CHECK(manifest["scenario"]["files"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(manifest["version"].get<std::string>().rfind("0.", 0) == 0);
  CHECK(manifest["outputs"]["votes.csv"]["rows"] == 25);
}
