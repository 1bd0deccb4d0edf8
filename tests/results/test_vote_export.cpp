// Export of recorded and simulated votes with Voeten's codes or letters.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "results/vote_export.hpp"
#include "tests/test_support.hpp"

using namespace multivector::results;
using multivector::testing::read_text_file;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;
using multivector::testing::test_data;

TEST_CASE("Voeten's codes: 1 yes, 2 abstain, 3 no, 8 absent") {
  CHECK(voeten_code("Y") == 1);
  CHECK(voeten_code("A") == 2);
  CHECK(voeten_code("N") == 3);
  CHECK(voeten_code("NV") == 8);
  CHECK(voeten_code("yes") == -1);
}

TEST_CASE("recorded votes export sorted, with codes or letters that read back") {
  const VoteHistory history = load_undl_votes(test_data("history/undl_small.csv"));
  const std::string voeten = exported_votes_csv(history.votes(), VoteCodes::Voeten);
  CHECK(voeten ==
        "resolution,date,iso3,vote\n"
        "A/RES/ES-11/1,2022-03-02,CHN,2\n"
        "A/RES/ES-11/1,2022-03-02,KAZ,2\n"
        "A/RES/ES-11/1,2022-03-02,TKM,8\n"
        "A/RES/ES-11/1,2022-03-02,UZB,8\n"
        "A/RES/ES-11/3,2022-04-07,KAZ,3\n"
        "A/RES/ES-11/3,2022-04-07,SUN,1\n"
        "A/RES/ES-11/3,2022-04-07,TKM,8\n");
  const std::string letters = exported_votes_csv(history.votes(), VoteCodes::Letters);
  const VoteHistory again = parse_history(letters, "letters.csv");
  CHECK(again.votes().size() == history.votes().size());
  CHECK(again.find("A/RES/ES-11/1", "UZB")->vote == "NV");
}

TEST_CASE("export-votes refuses to write into a run folder, which the next run would refuse") {
  ScratchDirectory scratch;
  REQUIRE(run_command({"run", "--out", scratch / "run"}).status == 0);
  const auto inside = run_command(
      {"export-votes", (scratch / "run").string(), "-o", scratch / "run" / "exported.csv"});
  CHECK(inside.status == 2);
  CHECK_THAT(inside.err, Catch::Contains("is a run folder") && Catch::Contains("run_exported.csv"));
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "run" / "exported.csv"));
  CHECK(run_command({"run", "--seed", "2", "--out", scratch / "run"}).status == 0);
}

TEST_CASE("the export-votes command writes a run's simulated votes") {
  ScratchDirectory scratch;
  const auto written =
      run_command({"export-votes", test_data("compare/run"), "-o", scratch / "votes.csv"});
  INFO(written.err);
  REQUIRE(written.status == 0);
  const std::string csv = read_text_file(scratch.path() / "votes.csv");
  CHECK(csv.starts_with("resolution,date,iso3,vote\nR3,2022-03-02,CHN,2\n"));
  CHECK(csv.find("I5,2022-05-01,KAZ,2\n") != std::string::npos);  // no symbol: the item id
  // Beside it, the run it came from: its seed, scenario files and version, and the codes.
  const auto manifest =
      nlohmann::json::parse(read_text_file(scratch.path() / "votes.manifest.json"));
  CHECK(manifest["command"] == "export-votes");
  CHECK(manifest["seed"] == 42);
  CHECK(manifest["scenario_files"][0]["path"] == "hand-written.yaml");
  CHECK(manifest["settings"]["run_version"] == "0.1.0+test");
  CHECK(manifest["settings"]["codes"] == "voeten");
  CHECK_THAT(manifest["columns"]["vote"].get<std::string>(), Catch::Contains("8 absent"));
  const auto neither = run_command({"export-votes"});
  CHECK(neither.status == 2);
  const auto letters = run_command(
      {"export-votes", "--history", test_data("history/tidy_small.csv"), "--codes", "letters"});
  REQUIRE(letters.status == 0);
  CHECK(letters.out.find("A/RES/ES-11/3,2022-04-07,KAZ,N\n") != std::string::npos);
  CHECK(letters.err.find("unknown country code 'XKX'") != std::string::npos);
  // Written to a file, recorded votes name the files they were read from, with their hashes.
  const auto to_file =
      run_command({"export-votes", "--history", test_data("history/tidy_small.csv"), "--codes",
                   "letters", "-o", scratch / "tidy.csv"});
  REQUIRE(to_file.status == 0);
  const auto history_manifest =
      nlohmann::json::parse(read_text_file(scratch.path() / "tidy.manifest.json"));
  CHECK(history_manifest["vote_files"][0]["path"] == test_data("history/tidy_small.csv"));
  CHECK(history_manifest["vote_files"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(history_manifest["seed"].is_null());
  CHECK_THAT(history_manifest["columns"]["vote"].get<std::string>(), Catch::Contains("NV"));
}
