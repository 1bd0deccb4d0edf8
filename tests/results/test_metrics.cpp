// Agreement metrics against a confusion matrix computed by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>

#include "results/metrics.hpp"

using namespace multivector::results;

namespace {

ScoredRow row(int recorded, int predicted, std::array<double, 4> probability) {
  return ScoredRow{recorded, predicted, probability};
}

}  // namespace

TEST_CASE("metrics of a small confusion matrix match the hand computation") {
  // recorded → predicted: Y→Y, Y→Y, Y→A, N→N, A→A, A→Y
  const std::vector<ScoredRow> rows = {
      row(0, 0, {0.8, 0.1, 0.1, 0.0}), row(0, 0, {0.6, 0.2, 0.2, 0.0}),
      row(0, 2, {0.3, 0.1, 0.6, 0.0}), row(1, 1, {0.1, 0.9, 0.0, 0.0}),
      row(2, 2, {0.2, 0.0, 0.7, 0.1}), row(2, 0, {0.5, 0.0, 0.4, 0.1})};
  const Metrics metrics = compute_metrics(rows);
  CHECK(metrics.rows == 6);
  CHECK(metrics.confusion[0][0] == 2);
  CHECK(metrics.confusion[0][2] == 1);
  CHECK(metrics.confusion[2][0] == 1);
  CHECK(metrics.accuracy == Approx(4.0 / 6.0));
  // recalls: Y 2/3, N 1/1, A 1/2 → mean 13/18 (NV never recorded, so not counted)
  CHECK(metrics.balanced_accuracy == Approx(13.0 / 18.0));
  // p_o = 4/6; recorded marginals Y 3, N 1, A 2; predicted Y 3, N 1, A 2
  // p_e = (3·3 + 1·1 + 2·2) / 36 = 14/36; κ = (24/36 − 14/36) / (22/36) = 10/22
  CHECK(metrics.kappa == Approx(10.0 / 22.0));
  const double log_loss = -(std::log(0.8) + std::log(0.6) + std::log(0.3) + std::log(0.9) +
                            std::log(0.7) + std::log(0.4)) /
                          6.0;
  CHECK(metrics.log_loss == Approx(log_loss));
  // Brier of the first row: 0.2² + 0.1² + 0.1² = 0.06
  const double brier = (0.06 + (0.16 + 0.04 + 0.04) + (0.49 + 0.01 + 0.36) + (0.01 + 0.01) +
                        (0.04 + 0.09 + 0.01) + (0.25 + 0.36 + 0.01)) /
                       6.0;
  CHECK(metrics.brier == Approx(brier));
}

TEST_CASE("a perfect prediction has kappa 1 and a constant one kappa 0") {
  const std::vector<ScoredRow> perfect = {row(0, 0, {1, 0, 0, 0}), row(1, 1, {0, 1, 0, 0})};
  CHECK(compute_metrics(perfect).kappa == Approx(1.0));
  const std::vector<ScoredRow> constant = {row(0, 0, {1, 0, 0, 0}), row(1, 0, {1, 0, 0, 0})};
  CHECK(compute_metrics(constant).kappa == Approx(0.0));
  CHECK(compute_metrics(constant).log_loss == Approx(-std::log(1e-15) / 2.0));
}

TEST_CASE("baselines are scored with their own accuracy as confidence") {
  const Metrics metrics = compute_baseline_metrics({0, 0, 1, 2}, {0, 0, 0, 0});
  CHECK(metrics.accuracy == Approx(0.5));
  // correct rows: p = 0.5; wrong rows: p = 0.5 / 3
  CHECK(metrics.log_loss == Approx(-(2 * std::log(0.5) + 2 * std::log(0.5 / 3.0)) / 4.0));
}

TEST_CASE("vote classes follow Y, N, A, NV") {
  CHECK(vote_class("Y") == 0);
  CHECK(vote_class("NV") == 3);
  CHECK(vote_class("abstain") == -1);
}

TEST_CASE("a cluster bootstrap resamples whole clusters and weighs them by their rows") {
  // Both clusters have mean 0.5: every resample of clusters has mean 0.5, whereas resampling
  // single rows would not.
  const Interval flat = cluster_bootstrap_interval({0, 0, 1, 1}, {1.0, 0.0, 0.0, 1.0}, 500, 7);
  CHECK(flat.low == Approx(0.5));
  CHECK(flat.high == Approx(0.5));

  // Cluster 0 holds three rows of 1, cluster 1 one row of 0. Two draws give mean 1 (p = 1/4),
  // 0 (p = 1/4) or 3/4 (p = 1/2): 3/4, not 1/2, because a mean is over rows, not clusters.
  const std::vector<int> cluster = {0, 0, 0, 1};
  const std::vector<double> value = {1.0, 1.0, 1.0, 0.0};
  const Interval wide = cluster_bootstrap_interval(cluster, value, 4000, 7);
  CHECK(wide.low == Approx(0.0));
  CHECK(wide.high == Approx(1.0));
  const Interval middle = cluster_bootstrap_interval(cluster, value, 4000, 7, 0.4);
  CHECK(middle.low == Approx(0.75));
  CHECK(middle.high == Approx(0.75));

  // Deterministic for a seed.
  const std::vector<int> many = {0, 0, 1, 2, 2, 2, 3, 4};
  const std::vector<double> mixed = {0.1, 0.9, 0.4, 0.0, 0.3, 1.0, 0.7, 0.2};
  const Interval first = cluster_bootstrap_interval(many, mixed, 300, 11);
  const Interval again = cluster_bootstrap_interval(many, mixed, 300, 11);
  CHECK(first.low == again.low);
  CHECK(first.high == again.high);
  CHECK(first.low < first.high);

  CHECK_THROWS_AS(cluster_bootstrap_interval({0}, {1.0, 2.0}, 10, 1), std::invalid_argument);
  CHECK_THROWS_AS(cluster_bootstrap_interval({}, {}, 10, 1), std::invalid_argument);
  CHECK_THROWS_AS(cluster_bootstrap_interval({0}, {1.0}, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(cluster_bootstrap_interval({0}, {1.0}, 10, 1, 1.0), std::invalid_argument);
}

TEST_CASE("resolution intervals resample resolutions, and gains pair the model with a baseline") {
  // R/1: the model is right and persistence wrong on both rows; R/2: both are right. China's
  // vote is missing on one row of R/1, which the copy-China gain leaves out.
  const auto row = [](const std::string& resolution, int persistence, int copy_china) {
    return ResampledRow{resolution, 2, 2, 0.8, {0, persistence, copy_china}};
  };
  const std::vector<ResampledRow> rows = {row("R/1", 0, 2), row("R/1", 3, -1), row("R/2", 2, 0),
                                          row("R/2", 2, 0)};
  const auto intervals = resolution_intervals(rows, 2000);
  REQUIRE(intervals.has_value());
  CHECK(intervals->resolutions == 2);
  CHECK(intervals->resamples == 2000);
  CHECK(intervals->accuracy.low == Approx(1.0));
  CHECK(intervals->accuracy.high == Approx(1.0));
  CHECK(intervals->log_loss.low == Approx(-std::log(0.8)));
  CHECK(intervals->gain[0].low == Approx(1.0));  // always Yes is never right
  // Gain over persistence: 1 when R/1 is drawn twice, 0 when R/2 is, 1/2 otherwise.
  CHECK(intervals->gain[1].low == Approx(0.0));
  CHECK(intervals->gain[1].high == Approx(1.0));
  // Copy China: gain 0 on R/1's one scored row, 1 on R/2's two; a mixed draw gives 2/3.
  CHECK(intervals->gain[2].low == Approx(0.0));
  CHECK(intervals->gain[2].high == Approx(1.0));
  const std::string text = intervals_text(*intervals, "  ");
  CHECK(text.find("95% intervals, resampling the 2 resolutions 2000 times") != std::string::npos);
  CHECK(text.find("persistence +0.000 to +1.000") != std::string::npos);

  // One resolution, or no resamples: no interval rather than a zero-width one.
  CHECK_FALSE(resolution_intervals({row("R/1", 0, 2), row("R/1", 3, 2)}, 2000).has_value());
  CHECK_FALSE(resolution_intervals(rows, 0).has_value());
}

TEST_CASE("Wilson score intervals match published values") {
  // Newcombe (1998), table I: 81 of 263 → 0.2553 to 0.3662; 0 of 10 → 0 to 0.2775.
  const Interval interval = wilson_interval(81, 263);
  CHECK(interval.low == Approx(0.2553).margin(5e-5));
  CHECK(interval.high == Approx(0.3662).margin(5e-5));
  const Interval none = wilson_interval(0, 10);
  CHECK(none.low == 0.0);
  CHECK(none.high == Approx(0.2775).margin(5e-5));
  const Interval all = wilson_interval(10, 10);
  CHECK(all.low == Approx(0.7225).margin(5e-5));
  CHECK(all.high == 1.0);
}

TEST_CASE("an accuracy's Wilson interval counts the rows predicted right") {
  // Three of four right (Y→Y, N→N, A→A, NV→Y): Wilson 0.3006 to 0.9544 for 3 of 4.
  const Metrics metrics = compute_metrics({row(0, 0, {1, 0, 0, 0}), row(1, 1, {0, 1, 0, 0}),
                                           row(2, 2, {0, 0, 1, 0}), row(3, 0, {1, 0, 0, 0})});
  const Interval interval = accuracy_wilson_interval(metrics);
  CHECK(interval.low == Approx(0.3006).margin(5e-5));
  CHECK(interval.high == Approx(0.9544).margin(5e-5));
  const Interval nothing = accuracy_wilson_interval(Metrics{});
  CHECK(nothing.low == 0.0);
  CHECK(nothing.high == 1.0);
}
