// `multivector calibrate` end to end: which resolutions --folds forward scores, what the table and
// the parameters file say, a bad --min-earlier refused before any work, and history files that
// repeat each other's votes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "results/run_writer.hpp"
#include "sim/sha256.hpp"
#include "tests/test_support.hpp"

using multivector::testing::read_text_file;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;

namespace {

const std::string kWorld = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/world_2022.yaml";
const std::string kVotes = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/data/unga/votes.csv";

// `calibrate` of the built-in Central Asia scenario on the repository's votes, holding one
// resolution out, with more arguments after; the run must succeed.
multivector::testing::CommandResult calibrate_central_asia(const std::string& holdout,
                                                           const std::vector<std::string>& more) {
  std::vector<std::string> arguments{
      "calibrate", "builtin:central_asia_2022.yaml", "--history", kVotes, "--holdout", holdout};
  arguments.insert(arguments.end(), more.begin(), more.end());
  auto result = run_command(arguments);
  INFO(result.err);
  REQUIRE(result.status == 0);
  return result;
}

}  // namespace

TEST_CASE("calibrate --folds forward scores only resolutions with enough earlier ones") {
  ScratchDirectory scratch;
  const std::string params = scratch / "params.yaml";
  // Sixteen resolutions, the last two (ES-11/4, ES-11/6) with fourteen or more before them.
  const auto result =
      run_command({"calibrate", kWorld, "--folds", "forward", "--min-earlier", "14", "-o", params});
  REQUIRE(result.status == 0);
  CHECK_THAT(
      result.out,
      Catch::Contains("held out (2 forward folds, each fitted on earlier resolutions only)"));
  CHECK_THAT(result.out, Catch::Contains("not scored (fewer than 14 recorded resolutions before "
                                         "them to fit on): A/RES/68/262 A/RES/71/205"));
  CHECK_THAT(result.out, Catch::Contains("  A/RES/ES-11/4 "));
  CHECK_THAT(result.out, Catch::Contains("  A/RES/ES-11/6 "));
  CHECK_THAT(result.out, !Catch::Contains("  A/RES/ES-11/3 "));
  const std::string yaml = read_text_file(params);
  CHECK_THAT(yaml, Catch::Contains("  held_out:\n    folds: forward\n    unscored: "
                                   "[\"A/RES/68/262\", \"A/RES/71/205\""));
  CHECK_THAT(yaml, Catch::Contains("    model: {rows: 386, accuracy: "));
}

TEST_CASE("calibrate refuses a --min-earlier it cannot honour before fitting anything") {
  ScratchDirectory scratch;
  const std::string params = scratch / "params.yaml";
  const auto below_one =
      run_command({"calibrate", kWorld, "--folds", "forward", "--min-earlier", "0", "-o", params});
  CHECK(below_one.status == 2);
  CHECK_THAT(below_one.err, Catch::Contains("--min-earlier"));
  // Leaving one out skips no resolution, so the option would silently do nothing.
  const auto without_forward =
      run_command({"calibrate", kWorld, "--folds", "loro", "--min-earlier", "3", "-o", params});
  CHECK(without_forward.status == 2);
  CHECK_THAT(without_forward.err,
             Catch::Contains("--min-earlier: only applies with --folds forward"));
  CHECK_FALSE(std::filesystem::exists(params));
}

TEST_CASE("calibrate reads a Library file that repeats votes of the repository's table") {
  const std::string library = std::string(MULTIVECTOR_TEST_DATA_DIR) + "/history/undl_small.csv";
  // Six of its votes are votes.csv's own (KAZ, TKM, UZB, CHN on ES-11/1; KAZ, TKM on ES-11/3).
  const auto result = run_command({"calibrate", kWorld, "--history", kVotes, "--history", library,
                                   "--holdout", "A/RES/ES-11/6", "--resamples", "0"});
  REQUIRE(result.status == 0);
  CHECK_THAT(result.err, Catch::Contains("undl_small.csv: 6 votes repeat an earlier --history "
                                         "file with the same value; read once"));
  CHECK_THAT(result.err, Catch::Contains("unknown country code 'SUN'"));
  CHECK_THAT(result.out, Catch::Contains("held out (--holdout A/RES/ES-11/6):"));
  CHECK_THAT(result.out, Catch::Contains("  model           193 "));
  // A file that changes one of those votes is refused, naming both values.
  ScratchDirectory scratch;
  const std::string changed = scratch / "changed.csv";
  {
    std::ofstream out(changed);
    out << "resolution,date,iso3,vote\nA/RES/ES-11/1,2022-03-02,KAZ,Y\n";
  }
  const auto refused = run_command({"calibrate", kWorld, "--history", kVotes, "--history", changed,
                                    "--holdout", "A/RES/ES-11/6"});
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Catch::Contains("KAZ on A/RES/ES-11/1 is Y here but A in an earlier "
                                          "--history file"));
}

TEST_CASE("calibrate refuses a history with nothing to fit, and scores copy China on every row") {
  ScratchDirectory scratch;
  const std::string params = scratch / "params.yaml";
  const std::string header_only = scratch / "header_only.csv";
  std::ofstream(header_only) << "resolution,date,iso3,vote\n";
  const auto nothing = run_command(
      {"calibrate", "builtin:central_asia_2022.yaml", "--history", header_only, "-o", params});
  CHECK(nothing.status == 2);
  CHECK_THAT(nothing.err, Catch::Contains("nothing to fit"));
  CHECK_FALSE(std::filesystem::exists(params));

  // Without China's recorded votes copy China says Yes, as compare's baseline does, rather than
  // being scored on no rows (which printed as a perfect log-loss of 0).
  const std::string without_china = scratch / "without_china.csv";
  {
    std::ifstream input(kVotes);
    std::ofstream output(without_china);
    for (std::string line; std::getline(input, line);) {
      if (line.find(",CHN,") == std::string::npos) {
        output << line << "\n";
      }
    }
  }
  const std::string predictions = scratch / "held_out.csv";
  const auto scored =
      run_command({"calibrate", "builtin:central_asia_2022.yaml", "--history", without_china,
                   "--holdout", "ES-11/1", "--predictions", predictions, "-o", params});
  INFO(scored.err);
  REQUIRE(scored.status == 0);
  const std::string yaml = read_text_file(params);
  CHECK_THAT(yaml, Catch::Contains("    model: {rows: 5,"));
  CHECK_THAT(yaml, Catch::Contains("    copy_china: {rows: 5,"));
  const std::string rows = read_text_file(predictions);
  CHECK(std::count(rows.begin(), rows.end(), '\n') == 6);
  CHECK(rows.find(",Y\n") != std::string::npos);
  // The parameters file names the exact inputs it was fitted on.
  CHECK_THAT(yaml, Catch::Contains("without_china.csv (sha256 "));
}

TEST_CASE("calibrate and run warn of a tag the fitted parameters know nothing about") {
  ScratchDirectory scratch;
  const std::string params = scratch / "params.yaml";
  // In the built-in scenario only ES-11/3 carries `accountability`: held out, no fitted text does.
  const auto calibrated = calibrate_central_asia("ES-11/3", {"--resamples", "0", "-o", params});
  CHECK_THAT(calibrated.err, Catch::Contains("warning: held out: tag 'accountability' (on "
                                             "ES-11/3) has no fitted intercept"));
  CHECK_THAT(calibrated.err, !Catch::Contains("tag 'emergency_session'"));

  // A new text tagged with a tag of the user's own: run and validate say so, and still run.
  const std::string scenario = scratch / "new_text.yaml";
  std::ofstream(scenario)
      << "extends: " << MULTIVECTOR_SOURCE_DIR
      << "/scenarios/central_asia_2022.yaml\n"
         "agenda:\n"
         "  - {id: new_text, date: 2022-11-14, tags: [reparations, aggression], "
         "yes_points: west, stances: {RUS: N, WEST: Y}}\n";
  const auto ran = run_command({"run", scenario, "--params", params, "--out", scratch / "out"});
  INFO(ran.err);
  REQUIRE(ran.status == 0);
  CHECK_THAT(ran.err, Catch::Contains("warning: tag 'reparations' (on new_text) has no fitted "
                                      "intercept"));
  CHECK_THAT(ran.err, !Catch::Contains("tag 'aggression'"));
  const auto validated = run_command({"validate", scenario, "--params", params});
  CHECK(validated.status == 0);
  CHECK_THAT(validated.err, Catch::Contains("tag 'reparations' (on new_text)"));
  // Without fitted parameters there is no intercept to miss, nor with intercepts set by hand in
  // the scenario itself for some tags: they were fitted on nothing.
  CHECK_THAT(run_command({"validate", scenario}).err, !Catch::Contains("no fitted intercept"));
  const std::string by_hand = scratch / "by_hand.yaml";
  std::ofstream(by_hand) << "extends: " << scenario
                         << "\nparameters:\n  decision:\n    tag_intercepts: {aggression: "
                            "{N: 0.5}}\n";
  const auto hand_set = run_command({"validate", by_hand});
  CHECK(hand_set.status == 0);
  CHECK_THAT(hand_set.err, !Catch::Contains("no fitted intercept"));
}

TEST_CASE("calibrate --predictions writes beside the CSV what it was made from") {
  ScratchDirectory scratch;
  const std::string predictions = scratch / "held_out.csv";
  const auto result =
      calibrate_central_asia("ES-11/1", {"--norm-penalty", "2", "--predictions", predictions});
  CHECK_THAT(result.out, Catch::Contains("wrote " + (scratch / "held_out.manifest.json").string()));
  const auto manifest =
      nlohmann::ordered_json::parse(read_text_file(scratch / "held_out.manifest.json"));
  CHECK(manifest["command"] == "calibrate");
  CHECK(manifest["output"] == "held_out.csv");
  CHECK(manifest["version"] == multivector::results::program_version());
  REQUIRE(manifest["vote_files"].size() == 1);
  CHECK(manifest["vote_files"][0]["path"] == kVotes);
  CHECK(manifest["vote_files"][0]["sha256"] ==
        multivector::sim::sha256_hex(read_text_file(kVotes)));
  CHECK(manifest["scenario_files"][0]["path"] == "builtin:central_asia_2022.yaml");
  CHECK(manifest["scenario_files"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(manifest["settings"]["holdout"] == nlohmann::ordered_json::array({"ES-11/1"}));
  CHECK(manifest["settings"]["norm_penalty"] == 2.0);
  CHECK(manifest["seed"].is_null());  // calibration draws nothing
  // Every column of the CSV is described, in the CSV's order.
  const std::string rows = read_text_file(predictions);
  std::string described;
  for (const auto& [column, meaning] : manifest["columns"].items()) {
    described += (described.empty() ? "" : ",") + column;
  }
  CHECK(rows.substr(0, rows.find('\n')) == described);
}

TEST_CASE("calibrate refuses an output over one of its inputs before the fit") {
  ScratchDirectory scratch;
  const std::string scenario = scratch / "scenario.yaml";
  { std::ofstream(scenario) << "extends: builtin:central_asia_2022.yaml\n"; }
  const std::string before = read_text_file(scenario);
  const auto over_scenario = run_command({"calibrate", scenario, "-o", scenario});
  CHECK(over_scenario.status == 2);
  CHECK_THAT(over_scenario.err, Catch::Contains("which this command reads"));
  CHECK(read_text_file(scenario) == before);
  // The manifest beside the predictions is an output too.
  const auto over_own_manifest =
      run_command({"calibrate", scenario, "--folds", "loro", "--predictions", scratch / "held.csv",
                   "-o", scratch / "held.manifest.json"});
  CHECK(over_own_manifest.status == 2);
  CHECK_THAT(over_own_manifest.err, Catch::Contains("they are the same file"));
  CHECK_FALSE(std::filesystem::exists(scratch / "held.csv"));
}

TEST_CASE(
    "a scenario's own parameters file is read by run, replaced by --params, and not read by "
    "calibrate") {
  ScratchDirectory scratch;
  const std::string scenario = scratch / "fitted.yaml";
  std::ofstream(scenario) << "extends: " << MULTIVECTOR_SOURCE_DIR
                          << "/scenarios/central_asia_2022.yaml\n"
                             "scenario: {params: fitted_params.yaml}\n";
  const std::string params = scratch / "fitted_params.yaml";

  // Before calibrate has written it, a run says how to write it, and writes nothing.
  const auto missing = run_command({"run", scenario, "--out", scratch / "before"});
  CHECK(missing.status == 2);
  CHECK_THAT(missing.err, Catch::Contains("fitted.yaml:2:20: error: scenario.params: there is no "
                                          "file '" +
                                          params + "'; write it with `multivector calibrate"));
  CHECK_FALSE(std::filesystem::exists(scratch / "before"));

  // calibrate fits the parameters the scenario names, so it neither needs nor reads them.
  const std::vector<std::string> calibrate = {"calibrate", scenario,  "--history",   kVotes,
                                              "--holdout", "ES-11/3", "--resamples", "0",
                                              "-o",        params};
  const auto first = run_command(calibrate);
  INFO(first.err);
  REQUIRE(first.status == 0);
  const std::string fitted = read_text_file(params);
  const auto second = run_command(calibrate);
  REQUIRE(second.status == 0);
  CHECK(read_text_file(params) == fitted);

  // run reads them as --params would, says so, and records them.
  const auto with_default = run_command({"run", scenario, "--out", scratch / "default"});
  INFO(with_default.err);
  REQUIRE(with_default.status == 0);
  CHECK_THAT(with_default.out, Catch::Contains("fitted parameters from " + params));
  const auto with_flag =
      run_command({"run", scenario, "--params", params, "--out", scratch / "flag"});
  REQUIRE(with_flag.status == 0);
  const auto without =
      run_command({"run", std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/central_asia_2022.yaml",
                   "--out", scratch / "hand_set"});
  REQUIRE(without.status == 0);
  const std::string default_votes = read_text_file(scratch / "default" / "votes.csv");
  CHECK(default_votes == read_text_file(scratch / "flag" / "votes.csv"));
  CHECK(default_votes != read_text_file(scratch / "hand_set" / "votes.csv"));
  const auto manifest =
      nlohmann::json::parse(read_text_file(scratch / "default" / "manifest.json"));
  CHECK(manifest["scenario_params_file"] == params);
  CHECK(manifest["params_file"] == "");
  CHECK(manifest["scenario"]["files"].dump().find("fitted_params.yaml") != std::string::npos);

  // --params replaces the scenario's file: a broken one is then not read at all.
  std::ofstream(params) << "not: a parameters file\n";
  std::ofstream(scratch / "other_params.yaml") << fitted;
  const auto replaced = run_command(
      {"run", scenario, "--params", scratch / "other_params.yaml", "--out", scratch / "replaced"});
  INFO(replaced.err);
  CHECK(replaced.status == 0);
  CHECK(run_command(calibrate).status == 0);
  // --set cannot name the file: it would apply after the file was read.
  const auto set = run_command({"run", scenario, "--set", "scenario.params=x.yaml"});
  CHECK(set.status == 2);
  CHECK_THAT(set.err, Catch::Contains("pass --params FILE"));
}

TEST_CASE("calibrate refuses a fit its penalties cannot hold, printing and writing nothing") {
  ScratchDirectory scratch;
  const std::string params = scratch / "params.yaml";
  const std::string predictions = scratch / "held.csv";
  // 1e-20 lets tag intercepts run past what run --params accepts; 1e-300 gives NaN.
  for (const std::string penalty : {"1e-20", "1e-300"}) {
    const auto result = run_command({"calibrate",
                                     "builtin:central_asia_2022.yaml",
                                     "--history",
                                     kVotes,
                                     "--folds",
                                     "loro",
                                     "--resamples",
                                     "0",
                                     "--country-penalty",
                                     penalty,
                                     "--tag-penalty",
                                     penalty,
                                     "--norm-penalty",
                                     penalty,
                                     "--drift-penalty",
                                     penalty,
                                     "-o",
                                     params,
                                     "--predictions",
                                     predictions});
    INFO(penalty << "\n" << result.err);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Catch::Contains("calibrate: error: fitted parameters.decision.") &&
                               Catch::Contains(": run --params would refuse it") &&
                               Catch::Contains("nothing was written") &&
                               Catch::Contains("raise them"));
    CHECK(result.out.empty());
    CHECK_FALSE(std::filesystem::exists(params));
    CHECK_FALSE(std::filesystem::exists(predictions));
  }
}

TEST_CASE("calibrate names the agenda votes without recorded votes that its replay simulates") {
  const std::string georgia =
      std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/checks/georgia_idp.yaml";
  const auto unheld = run_command({"calibrate", georgia, "--history", kVotes, "--resamples", "0"});
  REQUIRE(unheld.status == 0);
  CHECK_THAT(unheld.err,
             Catch::Contains("warning: 68/274 (A/RES/68/274): no recorded vote in the --history "
                             "files; the replay simulates it, and those votes shape the fit"));
  CHECK_THAT(unheld.err, Catch::Contains("to keep them out of the fit and predict them, add "
                                         "--holdout A/RES/68/274 --holdout A/RES/69/286 "
                                         "--holdout A/RES/71/290\n"));
  // Held out, they leave the replay: no warning, and the world's own fit of the sixteen texts.
  const auto held =
      run_command({"calibrate", georgia, "--history", kVotes, "--resamples", "0", "--holdout",
                   "68/274", "--holdout", "69/286", "--holdout", "71/290"});
  REQUIRE(held.status == 0);
  CHECK_THAT(held.err, !Catch::Contains("the replay simulates it"));
}

TEST_CASE("calibrate's held-out title counts one fold as one and a text named twice once") {
  const auto result =
      calibrate_central_asia("ES-11/3", {"--holdout", "A/RES/ES-11/3", "--folds", "forward",
                                         "--min-earlier", "3", "--resamples", "0"});
  CHECK_THAT(result.out,
             Catch::Contains("held out (1 forward fold, fitted on earlier resolutions only + "
                             "--holdout ES-11/3):\n"));
}
