// compare against a hand-built run directory whose metrics and baselines are worked out by hand
// (tests/data/compare), and end to end on the built-in scenario.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "results/compare.hpp"
#include "tests/test_support.hpp"

using namespace multivector;
using namespace multivector::results;
using multivector::testing::read_text_file;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;
using multivector::testing::test_data;
using multivector::testing::WorkingDirectory;

namespace {

constexpr int kModel = 0;
constexpr int kAlwaysYes = 1;
constexpr int kPersistence = 2;
constexpr int kCopyChina = 3;

Comparison fixture_comparison() {
  const RunDirectory run = read_run_directory(test_data("compare/run"));
  const VoteHistory history = load_history(test_data("compare/history.csv"));
  return compare_run(run, history, load_resolution_types(test_data("compare/types.csv")));
}

const ComparedRow& row_of(const Comparison& comparison, const std::string& resolution,
                          const std::string& country) {
  for (const auto& row : comparison.rows) {
    if (row.resolution == resolution && row.country == country) {
      return row;
    }
  }
  FAIL("no joined row " + resolution + " " + country);
  return comparison.rows.front();
}

}  // namespace

TEST_CASE("compare joins on resolution and country and counts one-sided rows") {
  const Comparison comparison = fixture_comparison();
  CHECK(comparison.rows.size() == 5);
  // I4 UZB has no recorded vote; I5 has no resolution symbol.
  CHECK(comparison.simulated_only == 2);
  // R1 and R2 (3 each) are not in the run; TKM on R4 is not simulated.
  CHECK(comparison.recorded_only == 7);
  CHECK(comparison.recorded_only_resolutions == 2);
  CHECK(comparison.simulated_only_examples.size() == 2);
  REQUIRE(comparison.recorded_only_examples.size() == 7);
  // A gap in a simulated resolution is listed before resolutions the run never simulated.
  CHECK(comparison.recorded_only_examples.front() == "R4 TKM");
  // Every simulated resolution has some recorded vote (I4 lacks only UZB's).
  CHECK(comparison.unrecorded_resolutions.empty());
}

TEST_CASE("a simulated vote a Library file gives two values of is named as such, not as missing") {
  const RunDirectory run = read_run_directory(test_data("compare/run"));
  VoteHistory history = load_history(test_data("compare/history.csv"));
  history.merge(parse_undl_votes("undl_id,ms_code,ms_name,ms_vote,date,resolution\n"
                                 "1,UZB,UZBEKISTAN,Y,2022-04-07,R4\n"
                                 "1,UZB,UZBEKISTAN,N,2022-04-07,R4\n",
                                 "library.csv"),
                "library.csv");
  const Comparison comparison = compare_run(run, history, {});
  CHECK(comparison.simulated_only == 2);
  CHECK(std::find(comparison.simulated_only_examples.begin(),
                  comparison.simulated_only_examples.end(),
                  "R4 UZB (different recorded votes in one file; none is read)") !=
        comparison.simulated_only_examples.end());
  // The fallbacks line gives each baseline's own reason.
  CHECK_THAT(format_comparison(fixture_comparison()),
             Catch::Contains("(Yes predicted where the baseline has no vote to copy: persistence 0 "
                             "rows with no earlier recorded vote, copy_china 2 rows where China "
                             "has no recorded vote)"));
}

TEST_CASE("baselines follow their definitions on the same rows") {
  const Comparison comparison = fixture_comparison();
  // Persistence: R3 is of type ti by the run's tags (types.csv says hr, but the run wins), so
  // KAZ on R3 repeats its R1 vote (Y) and on R4 (hr) its R2 vote (N), not its R3 vote.
  CHECK(row_of(comparison, "R3", "KAZ").prediction[kPersistence] == 0);
  CHECK(row_of(comparison, "R3", "KGZ").prediction[kPersistence] == 2);
  CHECK(row_of(comparison, "R4", "KAZ").prediction[kPersistence] == 1);
  CHECK(row_of(comparison, "R4", "KGZ").prediction[kPersistence] == 3);
  // China did not vote on R4 in the history: Yes is predicted and counted as a fallback.
  CHECK(row_of(comparison, "R3", "KGZ").prediction[kCopyChina] == 2);
  CHECK(row_of(comparison, "R4", "KGZ").prediction[kCopyChina] == 0);
  CHECK(comparison.copy_china_fallbacks == 2);
  CHECK(comparison.persistence_fallbacks == 0);
  for (const auto& row : comparison.rows) {
    CHECK(row.prediction[kAlwaysYes] == 0);
    CHECK(row.prediction[kModel] == row.simulated);
  }
}

TEST_CASE("overall, per-resolution and per-country metrics match the hand computation") {
  const Comparison comparison = fixture_comparison();
  const auto& overall = comparison.overall.metrics;
  CHECK(overall[kModel].rows == 5);
  CHECK(overall[kModel].accuracy == Approx(3.0 / 5.0));
  CHECK(overall[kAlwaysYes].accuracy == Approx(1.0 / 5.0));
  CHECK(overall[kPersistence].accuracy == Approx(3.0 / 5.0));
  CHECK(overall[kCopyChina].accuracy == Approx(4.0 / 5.0));
  const double log_loss =
      -(std::log(0.6) + std::log(0.3) + std::log(0.7) + std::log(0.7) + std::log(0.3)) / 5.0;
  CHECK(overall[kModel].log_loss == Approx(log_loss));
  // Model confusion, recorded by predicted: A→A twice, A→Y, N→N, Y→N.
  CHECK(overall[kModel].confusion[2][2] == 2);
  CHECK(overall[kModel].confusion[2][0] == 1);
  CHECK(overall[kModel].confusion[1][1] == 1);
  CHECK(overall[kModel].confusion[0][1] == 1);

  REQUIRE(comparison.per_resolution.contains("R3"));
  CHECK(comparison.per_resolution.at("R3").metrics[kPersistence].accuracy == Approx(2.0 / 3.0));
  CHECK(comparison.per_resolution.at("R4").metrics[kModel].rows == 2);
  CHECK(comparison.per_country.at("KAZ").metrics[kModel].accuracy == Approx(1.0));
  CHECK(comparison.per_country.at("KGZ").metrics[kModel].accuracy == Approx(0.0));
  CHECK_FALSE(comparison.per_country.contains("UZB"));

  // Two resolutions: a resample draws R3 twice, R4 twice (a quarter of the time each) or one of
  // each, so the 95% interval of accuracy runs from the worse resolution's to the better one's.
  REQUIRE(comparison.intervals.has_value());
  CHECK(comparison.intervals->resolutions == 2);
  const double r3 = comparison.per_resolution.at("R3").metrics[kModel].accuracy;
  const double r4 = comparison.per_resolution.at("R4").metrics[kModel].accuracy;
  CHECK(r3 != Approx(r4));
  CHECK(comparison.intervals->accuracy.low == Approx(std::min(r3, r4)));
  CHECK(comparison.intervals->accuracy.high == Approx(std::max(r3, r4)));
}

TEST_CASE("the compare command writes compare.csv, compare.json and compare_rows.csv") {
  ScratchDirectory scratch;
  const auto result = run_command({"compare", test_data("compare/run"), "--history",
                                   test_data("compare/history.csv"), "--types",
                                   test_data("compare/types.csv"), "--out", scratch / "out"});
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(result.out.find("joined 5 simulated votes") != std::string::npos);
  // The table gives the model's accuracy on R3 (2 of 3) with its Wilson interval.
  CHECK(result.out.find("model 95%") != std::string::npos);
  CHECK(result.out.find("0.667       0.21-0.94") != std::string::npos);

  const std::string csv = read_text_file(scratch.path() / "out" / "compare.csv");
  CHECK(csv.starts_with(
      "scope,key,predictor,rows,accuracy,balanced_accuracy,kappa,log_loss,brier,accuracy_low,"
      "accuracy_high,log_loss_low,log_loss_high,model_accuracy_gain_low,model_accuracy_gain_high,"
      "interval_method\n"
      "overall,,model,5,0.6,"));
  // The overall rows carry the resampled intervals: the model's accuracy runs from R4's 0.5 to
  // R3's 2/3; a baseline's row has the model's gain over it and no interval of its own.
  CHECK(csv.find(",0.384,0.5,0.6666666666666666,") != std::string::npos);
  CHECK(csv.find("\noverall,,model,") != std::string::npos);
  CHECK(csv.find("\noverall,,always_yes,5,0.2,") != std::string::npos);
  CHECK(csv.find(",,,,,0,0.6666666666666666,resolutions_resampled\noverall,,persistence,") !=
        std::string::npos);
  CHECK(csv.find("resolution,R3,persistence,3,") != std::string::npos);
  // A resolution's rows carry the Wilson interval of each predictor's accuracy over its rows:
  // 2 of 3 → 0.2077 to 0.9385 (Newcombe 1998, method 3), nothing resampled.
  const std::string r3_model =
      "resolution,R3,model,3,0.6666666666666666,0.6666666666666666,0,"
      "0.6904911240102197,0.3666666666666667,";
  const auto r3_at = csv.find(r3_model);
  REQUIRE(r3_at != std::string::npos);
  const std::string r3_tail =
      csv.substr(r3_at + r3_model.size(), csv.find('\n', r3_at) - r3_at - r3_model.size());
  CHECK(r3_tail.ends_with(",,,,,wilson"));
  CHECK(std::stod(r3_tail) == Approx(0.2077).margin(5e-5));
  CHECK(std::stod(r3_tail.substr(r3_tail.find(',') + 1)) == Approx(0.9385).margin(5e-5));
  CHECK(csv.find("country,KAZ,copy_china,2,0.5,") != std::string::npos);

  const std::string rows = read_text_file(scratch.path() / "out" / "compare_rows.csv");
  CHECK(
      rows.starts_with("resolution,item,date,country,recorded,simulated,p_Y,p_N,p_A,p_NV,"
                       "always_yes,persistence,copy_china\n"));
  CHECK(rows.find("R4,I4,2022-04-07,KGZ,Y,N,0.3,0.4,0.2,0.1,Y,NV,Y\n") != std::string::npos);

  const auto json = nlohmann::json::parse(read_text_file(scratch.path() / "out" / "compare.json"));
  CHECK(json["run_dir"] == test_data("compare/run"));
  CHECK(json["history_files"][0] == test_data("compare/history.csv"));
  CHECK(json["seed"] == 42);
  CHECK(json["rows"]["joined"] == 5);
  CHECK(json["rows"]["simulated_only"] == 2);
  CHECK(json["rows"]["recorded_only"] == 7);
  CHECK(json["overall"]["copy_china"]["accuracy"] == Approx(0.8));
  CHECK(json["overall"]["model"]["confusion"]["labels"] ==
        nlohmann::json::array({"Y", "N", "A", "NV"}));
  CHECK(json["overall"]["model"]["confusion"]["recorded_by_predicted"][2] ==
        nlohmann::json::array({1, 0, 2, 0}));
  CHECK(json["per_resolution"]["R3"]["always_yes"]["rows"] == 3);
  CHECK(json["per_country"]["KGZ"]["model"]["accuracy"] == Approx(0.0));
  // KGZ: 0 of 2 right → Wilson 0 to 0.6576; the overall scores have no such interval.
  CHECK(json["per_country"]["KGZ"]["model"]["accuracy_interval"][0] == 0.0);
  CHECK(json["per_country"]["KGZ"]["model"]["accuracy_interval"][1].get<double>() ==
        Approx(0.6576).margin(5e-5));
  CHECK_FALSE(json["overall"]["model"].contains("accuracy_interval"));
  CHECK(json["scope_intervals"]["method"] == "wilson");
  CHECK(json["overall_intervals"]["resolutions"] == 2);
  CHECK(json["overall_intervals"]["accuracy"].size() == 2);
  CHECK(json["overall_intervals"]["gain_over_persistence"].size() == 2);
  CHECK(result.out.find("95% intervals, resampling the 2 resolutions 2000 times") !=
        std::string::npos);

  const auto without = run_command(
      {"compare", test_data("compare/run"), "--history", test_data("compare/history.csv"),
       "--types", test_data("compare/types.csv"), "--out", scratch / "plain", "--resamples", "0"});
  REQUIRE(without.status == 0);
  CHECK(nlohmann::json::parse(
            read_text_file(scratch.path() / "plain" / "compare.json"))["overall_intervals"]
            .is_null());
  CHECK(without.out.find("intervals") == std::string::npos);
  // Without resampling the interval columns are still there, empty.
  const std::string plain_csv = read_text_file(scratch.path() / "plain" / "compare.csv");
  CHECK(plain_csv.find("model_accuracy_gain_high,interval_method\noverall,,model,5,0.6,") !=
        std::string::npos);
  CHECK(plain_csv.find(",,,,,,,\noverall,,always_yes,") != std::string::npos);
}

TEST_CASE("compare exits 2 for a missing or invalid run directory") {
  ScratchDirectory scratch;
  const auto missing = run_command({"compare", scratch / "nothing-here"});
  CHECK(missing.status == 2);
  CHECK(missing.err.find("not a run directory") != std::string::npos);
  const auto no_history = run_command({"compare", test_data("compare/run")});
  CHECK(no_history.status == 2);
  CHECK(no_history.err.find("give --history") != std::string::npos);
  const auto bad_history = run_command(
      {"compare", test_data("compare/run"), "--history", test_data("history/tidy_malformed.csv")});
  CHECK(bad_history.status == 2);
  CHECK(bad_history.err.find("tidy_malformed.csv:3:1: error:") != std::string::npos);
}

TEST_CASE("compare writes nothing when nothing can be scored or one output cannot be written") {
  ScratchDirectory scratch;
  // A history that records none of the run's resolutions: no score, rather than a log-loss of 0
  // that reads as perfect.
  const std::string empty_history = scratch / "header_only.csv";
  std::ofstream(empty_history) << "resolution,date,iso3,vote\n";
  const auto nothing = run_command({"compare", test_data("compare/run"), "--history", empty_history,
                                    "--out", scratch / "nothing"});
  CHECK(nothing.status == 2);
  CHECK(nothing.err.find("nothing to score") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "nothing"));

  // compare.json cannot be written (a directory has its name): compare.csv, written first,
  // must not be left behind either.
  std::filesystem::create_directories(scratch.path() / "blocked" / "compare.json");
  const auto blocked =
      run_command({"compare", test_data("compare/run"), "--history",
                   test_data("compare/history.csv"), "--out", scratch / "blocked"});
  CHECK(blocked.status == 2);
  CHECK(blocked.err.find("compare.json") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "blocked" / "compare.csv"));
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "blocked" / "compare_rows.csv"));

  // A probability that is not one (NaN, or above 1) in the run's votes.csv is named, not scored.
  std::filesystem::copy(test_data("compare/run"), scratch.path() / "nan_run");
  std::string votes = read_text_file(scratch.path() / "nan_run" / "votes.csv");
  const std::size_t first_probability = votes.find(",A,A,0.2,") + 5;
  votes.replace(first_probability, 3, "nan");
  std::ofstream(scratch.path() / "nan_run" / "votes.csv", std::ios::trunc) << votes;
  const auto not_a_probability =
      run_command({"compare", scratch / "nan_run", "--history", test_data("compare/history.csv"),
                   "--out", scratch / "nan_out"});
  CHECK(not_a_probability.status == 2);
  CHECK(not_a_probability.err.find("votes.csv:2:") != std::string::npos);
  CHECK(not_a_probability.err.find("'nan' in column 'p_Y' is not a probability") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "nan_out"));

  // Recorded votes kept as DIR/compare.csv are not replaced by the scores read from them.
  std::filesystem::create_directories(scratch.path() / "kept");
  std::filesystem::copy_file(test_data("compare/history.csv"),
                             scratch.path() / "kept" / "compare.csv");
  const std::string kept = read_text_file(scratch.path() / "kept" / "compare.csv");
  const auto over_history =
      run_command({"compare", test_data("compare/run"), "--history",
                   scratch / "kept" / "compare.csv", "--out", scratch / "kept"});
  CHECK(over_history.status == 2);
  CHECK(over_history.err.find("which this command reads") != std::string::npos);
  CHECK(read_text_file(scratch.path() / "kept" / "compare.csv") == kept);
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "kept" / "compare.json"));
}

TEST_CASE("a run records compare_with, which compare uses by default") {
  ScratchDirectory scratch;
  const auto run = run_command({"run", "--out", scratch / "run"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const auto manifest =
      nlohmann::json::parse(read_text_file(scratch.path() / "run" / "manifest.json"));
  CHECK(manifest["compare_with"] == "builtin:data/unga/votes.csv");
  const auto compared = run_command({"compare", scratch / "run"});
  INFO(compared.err);
  REQUIRE(compared.status == 0);
  const auto json = nlohmann::json::parse(read_text_file(scratch.path() / "run" / "compare.json"));
  CHECK(json["history_files"][0] == "builtin:data/unga/votes.csv");
  CHECK(json["rows"]["joined"] == 25);  // five Central Asian states on five ES-11 votes
  CHECK(json["rows"]["simulated_only"] == 0);
}

TEST_CASE("compare --out refuses another run's folder and compare files no comparison wrote") {
  ScratchDirectory scratch;
  REQUIRE(run_command({"run", "--out", scratch / "run"}).status == 0);
  REQUIRE(run_command({"run", "--seed", "3", "--out", scratch / "other"}).status == 0);
  const auto into_other = run_command({"compare", scratch / "run", "--out", scratch / "other"});
  CHECK(into_other.status == 2);
  CHECK_THAT(into_other.err, Catch::Contains("another run's folder"));
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "other" / "compare.json"));

  std::filesystem::create_directories(scratch / "mine");
  { std::ofstream(scratch.path() / "mine" / "compare.csv") << "my,own\n1,2\n"; }
  const auto over_mine = run_command({"compare", scratch / "run", "--out", scratch / "mine"});
  CHECK(over_mine.status == 2);
  CHECK_THAT(over_mine.err, Catch::Contains("not from an earlier `multivector compare`"));
  CHECK(read_text_file(scratch.path() / "mine" / "compare.csv") == "my,own\n1,2\n");

  // An earlier comparison's folder is written again, whichever run it scored.
  REQUIRE(run_command({"compare", scratch / "run", "--out", scratch / "scores"}).status == 0);
  CHECK(run_command({"compare", scratch / "other", "--out", scratch / "scores"}).status == 0);
  CHECK(run_command({"compare", scratch / "run"}).status == 0);
}

TEST_CASE("compare finds the run's compare_with file from another working directory") {
  ScratchDirectory scratch;
  const auto scenarios = std::filesystem::path(MULTIVECTOR_SOURCE_DIR) / "scenarios";
  std::filesystem::create_directories(scratch / "deep/scen/data/unga");
  std::filesystem::copy_file(scenarios / "central_asia_2022.yaml",
                             scratch / "deep/scen/central_asia_2022.yaml");
  std::filesystem::copy_file(scenarios / "data/unga/votes.csv",
                             scratch / "deep/scen/data/unga/votes.csv");
  std::filesystem::create_directories(scratch / "elsewhere");
  {
    // The scenario named relative to the working directory, so the manifest's compare_with is.
    const WorkingDirectory here(scratch.path());
    const auto run = run_command({"run", "deep/scen/central_asia_2022.yaml", "--out", "odeep"});
    INFO(run.err);
    REQUIRE(run.status == 0);
  }
  nlohmann::json manifest =
      nlohmann::json::parse(read_text_file(scratch.path() / "odeep" / "manifest.json"));
  CHECK(manifest["compare_with"] == "deep/scen/data/unga/votes.csv");
  const WorkingDirectory elsewhere(scratch / "elsewhere");
  const auto compared =
      run_command({"compare", scratch / "odeep", "--out", scratch / "cmp", "--resamples", "0"});
  INFO(compared.err);
  CHECK(compared.status == 0);
  CHECK(std::filesystem::exists(scratch / "cmp" / "compare.json"));

  // A manifest written before compare_with_absolute: found from the scenario file's paths.
  manifest.erase("compare_with_absolute");
  CHECK(run_compare_with(manifest) ==
        (scratch.path() / "deep/scen/data/unga/votes.csv").lexically_normal().string());
}

TEST_CASE("run prints recorded votes from several --history files and names unknown codes") {
  ScratchDirectory scratch;
  const auto run = run_command({"run", "--out", scratch / "run", "--history",
                                test_data("history/tidy_small.csv"), "--history",
                                test_data("history/undl_small.csv")});
  INFO(run.err);
  REQUIRE(run.status == 0);
  // Kosovo's code in the tidy file, the USSR's in the Library's, as compare reports them.
  CHECK(run.err.find("unknown country code 'XKX'") != std::string::npos);
  CHECK(run.err.find("unknown country code 'SUN'") != std::string::npos);
  // The two files agree on four votes: read once, not refused.
  CHECK(run.err.find("a second vote") == std::string::npos);
  const auto refused = run_command({"run", "--out", scratch / "refused", "--history",
                                    test_data("history/tidy_small.csv"), "--history",
                                    test_data("history/undl_conflict.csv")});
  CHECK(refused.status == 2);
  CHECK(refused.err.find("in an earlier --history file") != std::string::npos);
  CHECK(!std::filesystem::exists(scratch.path() / "refused"));
}

TEST_CASE("compare names a simulated resolution the history files never record") {
  ScratchDirectory scratch;
  // A what-if that adds the 2021 Crimea human-rights vote with its symbol misspelt: 76/179 was
  // meant. ES-11/4, as close in spelling, is not offered: the scenario already simulates it.
  const std::string scenario = scratch / "misspelt.yaml";
  {
    std::ofstream file(scenario);
    file << "extends: " MULTIVECTOR_SOURCE_DIR
            "/scenarios/central_asia_2022.yaml\n"
            "agenda:\n"
            "  - id: extra\n"
            "    resolution: 76/197\n"
            "    date: 2022-10-12\n"
            "    tags: [human_rights_country]\n"
            "    yes_points: west\n";
  }
  const auto run = run_command({"run", scenario, "--out", scratch / "run", "-q"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const auto compared = run_command({"compare", scratch / "run"});
  INFO(compared.err);
  REQUIRE(compared.status == 0);
  CHECK(compared.err.find("A/RES/76/197: no recorded vote in the --history files (did you mean "
                          "'A/RES/76/179'?)") != std::string::npos);
  const auto json = nlohmann::json::parse(read_text_file(scratch.path() / "run" / "compare.json"));
  REQUIRE(json["rows"]["unrecorded_resolutions"].size() == 1);
  CHECK(json["rows"]["joined"] == 25);
}
