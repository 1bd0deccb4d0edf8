// Sweep summaries: Wilson intervals, ranks, correlations, shares and the sensitivity ranking.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <map>

#include "../sweep_test_support.hpp"
#include "../test_support.hpp"
#include "results/sweep_summary.hpp"

using namespace multivector;
using multivector::testing::SmallSweep;
using multivector::testing::TemporaryDirectory;

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
  results::OptionShare share;
  share.item = "vote";
  share.kind = "vote";
  share.date = "2022-03-02";
  share.country = "KAZ";
  share.option = "Y";
  share.runs = share.chosen = 40;
  share.share = 1.0;
  summary.shares.push_back(share);
  // rho = -1 on a move of 2e-7 (the helper's case) and rho 0.5 on a move of 0.2.
  summary.sensitivities.push_back(results::Sensitivity{
      "vote", "KAZ", "Y", "countries.TJK.exposure.RUS.remittances", -1.0, 1, 2e-7});
  summary.sensitivities.push_back(
      results::Sensitivity{"vote", "KAZ", "Y", "events.late.magnitude", 0.5, 2, 0.2});
  const std::string text = results::format_sweep_summary(summary, 2);
  CHECK_THAT(text, Catch::Contains("With 40 design points finished, |rho| below about 0.31"));
  CHECK_THAT(text, Catch::Contains("moved most by: events.late.magnitude (rho +0.50 on p(Y))"));
  CHECK_THAT(text, !Catch::Contains("remittances (rho"));
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
}
