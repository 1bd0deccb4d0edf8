// Sweep summaries: Wilson intervals, ranks, correlations, shares and the sensitivity ranking.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <map>

#include "../sweep_test_support.hpp"
#include "../test_support.hpp"
#include "results/sweep_summary.hpp"

using namespace multivector;
using multivector::testing::SmallSweep;
using multivector::testing::TemporaryDirectory;

namespace {

// The share of one option of the item "vote" that every one of `runs` runs chose.
results::OptionShare unanimous_share(const char* country, const char* option, int runs) {
  results::OptionShare share;
  share.item = "vote";
  share.kind = "vote";
  share.date = "2022-03-02";
  share.country = country;
  share.option = option;
  share.runs = share.chosen = runs;
  share.share = 1.0;
  return share;
}

}  // namespace

TEST_CASE("ties share their average rank, and rank correlation sees monotone relations") {
  CHECK(results::average_ranks({3.0, 1.0, 3.0, 2.0}) == std::vector<double>{3.5, 1.0, 3.5, 2.0});
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> cubed = {1, 8, 27, 64, 125};
  CHECK(results::correlation(results::average_ranks(x), results::average_ranks(cubed)) ==
        Approx(1.0));
  const std::vector<double> falling = {5, 4, 3, 2, 1};
  CHECK(results::correlation(x, falling) == Approx(-1.0));
  CHECK(std::isnan(results::correlation(x, {2, 2, 2, 2, 2})));
}

TEST_CASE("a sweep summary gives shares that add up and ranks the parameter that matters") {
  TemporaryDirectory directory;
  const SmallSweep sweep(4);
  const auto database = directory / "sweep.db";
  REQUIRE(sweep.run(database, 2).complete);
  const results::SweepSummary summary = results::summarise_sweep(database);
  CHECK(summary.runs == sweep.design.runs());
  CHECK(summary.done == sweep.design.runs());
  CHECK(summary.failed == 0);
  REQUIRE(summary.parameters.size() == 2);

  std::map<std::string, double> totals;
  for (const auto& share : summary.shares) {
    CHECK(share.runs == summary.done);
    CHECK(share.interval.low <= share.share);
    CHECK(share.share <= share.interval.high);
    totals[share.item + "/" + share.country] += share.share;
  }
  CHECK(totals.size() == std::size_t{6} * 5);
  for (const auto& [outcome, total] : totals) {
    CHECK(total == Approx(1.0));
  }

  // Russia's leverage weight moves the decisions; a US event after the last vote moves none
  // of them (only the sampled history differs between runs), so leverage ranks first.
  int leverage_first = 0;
  int event_first = 0;
  for (const auto& sensitivity : summary.sensitivities) {
    if (sensitivity.rank == 1) {
      (sensitivity.parameter == "parameters.decision.leverage.RUS" ? leverage_first
                                                                   : event_first) += 1;
    }
  }
  CHECK(leverage_first > 9 * event_first);

  const std::string text = results::format_sweep_summary(summary, 2);
  CHECK_THAT(text, Catch::Contains("95% Wilson score interval"));
  CHECK_THAT(text, Catch::Contains("Spearman"));
  CHECK(summary.points_done == 15);
  CHECK_THAT(text, Catch::Contains("With 15 design points finished, |rho| below about 0.52"));
  CHECK_THAT(text, Catch::Contains("ES-11/3 (vote, 2022-04-07)"));
  CHECK_THAT(text, Catch::Contains("moved most by: parameters.decision.leverage.RUS (rho "));

  results::write_sweep_summary_csv(summary, directory / "summary");
  CHECK(std::filesystem::exists(directory / "summary" / "shares.csv"));
  CHECK(std::filesystem::exists(directory / "summary" / "sensitivity.csv"));
  // The export says what it summarises: the sweep's seed and scenario hashes, then its own.
  const std::string manifest = testing::read_text_file(directory / "summary" / "manifest.csv");
  CHECK(manifest.rfind("key,value\n", 0) == 0);
  CHECK_THAT(manifest, Catch::Contains("\nseed,"));
  CHECK_THAT(manifest, Catch::Contains("\nscenario_sha256,"));
  CHECK_THAT(manifest, Catch::Contains("\nsummary_database," + database.string() + "\n"));
  CHECK_THAT(manifest,
             Catch::Contains("\nsummary_runs_done," + std::to_string(sweep.design.runs()) + "\n"));
  CHECK_THAT(manifest, Catch::Contains("\nsummary_program_version,"));
}

TEST_CASE("a parameter that changes no probability is reported as such") {
  results::SweepSummary summary;
  summary.runs = summary.done = 2;
  summary.parameters = {"events.late.magnitude"};
  for (const char* option : {"Y", "N"}) {
    results::OptionShare share;
    share.item = "vote";
    share.kind = "vote";
    share.date = "2022-03-02";
    share.country = "KAZ";
    share.option = option;
    share.runs = 2;
    share.chosen = option == std::string("Y") ? 2 : 0;
    share.share = static_cast<double>(share.chosen) / 2.0;
    summary.shares.push_back(share);
    summary.sensitivities.push_back(
        results::Sensitivity{"vote", "KAZ", option, "events.late.magnitude", std::nan(""), 1});
  }
  const std::string text = results::format_sweep_summary(summary, 1);
  CHECK_THAT(text, Catch::Contains("  KAZ  Y 100.0% [0.0, 100.0]"));
  CHECK_THAT(text, Catch::Contains(
                       "moved most by: no varied parameter moves its probabilities by 0.1 point"));
  // Two points: no correlation could reach significance, and the text says so.
  CHECK_THAT(text, Catch::Contains("no correlation can be told from chance"));
}

TEST_CASE("a perfect rank correlation with a negligible move is not named as moving it") {
  // Interrupted: 4 of the planned points finished, and the threshold is counted from those.
  results::SweepSummary summary;
  summary.runs = 400;
  summary.done = 40;
  summary.points_done = 40;
  summary.manifest = {{"points", "100"}};
  summary.parameters = {"countries.TJK.exposure.RUS.remittances", "events.late.magnitude"};
  summary.shares.push_back(unanimous_share("KAZ", "Y", 40));
  // rho = -1 on a move of 2e-7 (the helper's case) and rho 0.5 on a move of 0.2.
  summary.sensitivities.push_back(results::Sensitivity{
      "vote", "KAZ", "Y", "countries.TJK.exposure.RUS.remittances", -1.0, 1, 2e-7});
  summary.sensitivities.push_back(
      results::Sensitivity{"vote", "KAZ", "Y", "events.late.magnitude", 0.5, 2, 0.2});
  const std::string text = results::format_sweep_summary(summary, 2);
  CHECK_THAT(text, Catch::Contains("With 40 design points finished, |rho| below about 0.31"));
  CHECK_THAT(text, Catch::Contains("moved most by: events.late.magnitude (rho +0.50 on p(Y))"));
  CHECK_THAT(text, !Catch::Contains("remittances (rho"));
  // Below the threshold it is still named, since it is the strongest there is, but marked.
  summary.sensitivities.back().spearman = 0.2;
  CHECK_THAT(results::format_sweep_summary(summary, 2),
             Catch::Contains("events.late.magnitude (rho +0.20 on p(Y), within chance)"));
}

TEST_CASE("among options a parameter moves with equal |rho|, the one it moves most is named") {
  results::SweepSummary summary;
  summary.runs = summary.done = summary.points_done = 100;
  summary.parameters = {"countries.TJK.exposure.RUS.remittances"};
  summary.shares.push_back(unanimous_share("TJK", "N", 100));
  // A monotone parameter: rho -1 on p(Y) (a move of 0.15 points, listed first) and +1 on p(N)
  // (10 points); -0.996 on p(A) prints as 1.00 too.
  const std::string path = "countries.TJK.exposure.RUS.remittances";
  summary.sensitivities.push_back(results::Sensitivity{"vote", "TJK", "Y", path, -1.0, 1, 0.0015});
  summary.sensitivities.push_back(results::Sensitivity{"vote", "TJK", "A", path, -0.996, 1, 0.08});
  summary.sensitivities.push_back(results::Sensitivity{"vote", "TJK", "N", path, 1.0, 1, 0.103});
  const std::string text = results::format_sweep_summary(summary, 1);
  CHECK_THAT(text, Catch::Contains("moved most by: " + path + " (rho +1.00 on p(N))"));
}

TEST_CASE("a grid stopped part way says its correlations cover part of the first range") {
  results::SweepSummary summary;
  summary.runs = 100;
  summary.done = summary.points_done = 40;
  summary.parameters = {"parameters.decision.leverage.RUS", "events.late.magnitude"};
  summary.manifest = {{"design", "grid"}, {"points", "100"}};
  const std::string stopped = results::format_sweep_summary(summary, 1);
  CHECK_THAT(stopped, Catch::Contains("The grid was not finished (40 of 100 points): its "
                                      "finished points cover only part of "
                                      "parameters.decision.leverage.RUS's range"));
  // A Latin hypercube's points are spread over every range however many have run.
  summary.manifest = {{"design", "lhs"}, {"points", "100"}};
  CHECK_THAT(results::format_sweep_summary(summary, 1), !Catch::Contains("not finished"));
  summary.manifest = {{"design", "grid"}, {"points", "40"}};
  CHECK_THAT(results::format_sweep_summary(summary, 1), !Catch::Contains("not finished"));
}

TEST_CASE("a summary with no decisions says why instead of ending after its header") {
  results::SweepSummary summary;
  summary.runs = 4;
  summary.manifest = {{"design", "grid"}, {"points", "4"}};
  CHECK_THAT(results::format_sweep_summary(summary, 1),
             Catch::EndsWith("No run has finished yet, so there is nothing to summarise.\n"));
  summary.done = summary.points_done = 4;
  CHECK_THAT(results::format_sweep_summary(summary, 1),
             Catch::EndsWith("the scenario has no agenda items.\n"));
  summary.shares.push_back(unanimous_share("KAZ", "A", 4));
  CHECK_THAT(results::format_sweep_summary(summary, 1), !Catch::Contains("no agenda items"));
}

TEST_CASE("a summary of replicated modal runs says its intervals are too narrow") {
  results::SweepSummary summary;
  summary.runs = summary.done = 40;
  summary.points_done = 2;
  summary.shares.push_back(unanimous_share("KAZ", "A", 40));
  summary.manifest = {
      {"design", "grid"}, {"points", "2"}, {"replications", "20"}, {"decisions", "modal"}};
  CHECK_THAT(results::format_sweep_summary(summary, 1), Catch::Contains("are too narrow"));
  summary.manifest = {
      {"design", "grid"}, {"points", "2"}, {"replications", "20"}, {"decisions", "sample"}};
  CHECK_THAT(results::format_sweep_summary(summary, 1), !Catch::Contains("too narrow"));
  summary.manifest = {
      {"design", "grid"}, {"points", "2"}, {"replications", "1"}, {"decisions", "modal"}};
  CHECK_THAT(results::format_sweep_summary(summary, 1), !Catch::Contains("too narrow"));
}

TEST_CASE("summarising something that is not a sweep database is an input error") {
  TemporaryDirectory directory;
  CHECK_THROWS_AS(results::summarise_sweep(directory / "missing.db"), sim::InputError);
  {
    results::SqliteDatabase other(directory / "other.db",
                                  results::SqliteDatabase::Mode::ReadWriteCreate);
    other.execute("CREATE TABLE t(x)");
  }
  CHECK_THROWS_AS(results::summarise_sweep(directory / "other.db"), sim::InputError);
  // A file that is no SQLite database at all is named so, not by SQLite's statement error.
  { std::ofstream(directory / "scenario.yaml") << "scenario: {id: x}\n"; }
  CHECK_THROWS_WITH(results::summarise_sweep(directory / "scenario.yaml"),
                    Catch::Contains("not a sweep database: not an SQLite file at all"));
}
