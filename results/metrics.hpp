#pragma once
// Agreement between predicted and recorded votes: accuracy, balanced accuracy, Cohen's kappa,
// the confusion matrix, log-loss and the multi-class Brier score (DESIGN §5). Shared by compare,
// calibrate and the reports, so every figure of the project is computed one way.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace multivector::results {

inline constexpr int kVoteClasses = 4;  // Y, N, A, NV in sim::kVoteOptions order

// One compared decision: the recorded option and the predicted probabilities of each option.
struct ScoredRow {
  int recorded = 0;   // 0..3
  int predicted = 0;  // the modal (or realised) option
  std::array<double, kVoteClasses> probability{};
};

struct Metrics {
  int rows = 0;
  double accuracy = 0.0;
  double balanced_accuracy = 0.0;  // mean recall over the options that were recorded
  double kappa = 0.0;              // Cohen's kappa
  double log_loss = 0.0;           // mean −ln p(recorded), p clipped at 1e-15
  double brier = 0.0;              // mean Σ_o (p_o − [o = recorded])², from 0 to 2
  // confusion[recorded][predicted]
  std::array<std::array<int, kVoteClasses>, kVoteClasses> confusion{};
};

[[nodiscard]] Metrics compute_metrics(const std::vector<ScoredRow>& rows);

// −ln p with p clipped at 1e-15, so a confident miss costs a large but finite amount.
[[nodiscard]] double recorded_log_loss(double probability_of_recorded);

// A hard prediction turned into probabilities: the predicted option gets `confidence`, the other
// options share the rest equally.
[[nodiscard]] std::array<double, kVoteClasses> hard_probabilities(int predicted, double confidence);

// Scores a baseline's hard predictions with the most favourable calibration for it: its own
// accuracy on these rows as the confidence of each prediction. Log-loss and Brier of baselines
// are then the best any fixed confidence could give them.
[[nodiscard]] Metrics compute_baseline_metrics(const std::vector<int>& recorded,
                                               const std::vector<int>& predicted);

// A two-sided interval, low ≤ high.
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// The Wilson score interval for `successes` out of `trials` at normal quantile `z` (1.96 for
// 95%). Unlike the normal approximation it stays inside [0, 1] and is sensible at 0 and n;
// with no trials it is the whole of [0, 1].
[[nodiscard]] Interval wilson_interval(std::int64_t successes, std::int64_t trials,
                                       double z = 1.959963984540054);

// The 95% Wilson interval of an accuracy, treating its rows as independent draws: fair for one
// country across texts; for one text across countries it is too narrow where blocs vote
// together, so it reads as a lower bound on the uncertainty.
[[nodiscard]] Interval accuracy_wilson_interval(const Metrics& metrics);

// Percentile interval of a mean over rows, from resampling whole clusters with replacement.
// Rows of one cluster (the votes on one resolution) share that text's surprises, so resampling
// single rows would make the interval too narrow; a text not yet voted on is a new cluster, and
// this interval says how much a figure could move on another set of texts like these. Each of
// `replicates` draws as many clusters as there are and takes the mean value of the rows drawn.
// `cluster[row]` is in [0, clusters); deterministic for a given seed.
[[nodiscard]] Interval cluster_bootstrap_interval(const std::vector<int>& cluster,
                                                  const std::vector<double>& value, int replicates,
                                                  std::uint64_t seed, double level = 0.95);

// One scored decision as resampling sees it: the resolution it belongs to, what was recorded, and
// what the model and the three baselines predicted.
struct ResampledRow {
  std::string resolution;
  int recorded = 0;
  int model = 0;                  // the model's modal option
  double model_probability = 0;   // the model's probability of the recorded option
  std::array<int, 3> baseline{};  // kBaselines order; −1 where a baseline has no prediction
};

inline constexpr std::array<std::string_view, 3> kBaselines = {"always_yes", "persistence",
                                                               "copy_china"};

// How far the figures could move on another set of texts like these: percentile intervals from
// resampling whole resolutions (cluster_bootstrap_interval). A gain is the model's accuracy minus
// a baseline's on the same rows (the rows where the baseline predicts); an interval above zero
// means the model's lead does not hang on a few resolutions.
struct ScoreIntervals {
  int resolutions = 0;
  int resamples = 0;
  double level = 0.95;
  Interval accuracy;
  Interval log_loss;
  std::array<Interval, 3> gain;  // over each baseline, kBaselines order
};

inline constexpr int kDefaultResamples = 2000;

// Nothing when `resamples` is 0 or the rows span fewer than two resolutions: resampling a single
// resolution always draws the same rows, a zero-width interval claiming a certainty the data do
// not give.
[[nodiscard]] std::optional<ScoreIntervals> resolution_intervals(
    const std::vector<ResampledRow>& rows, int resamples, std::uint64_t seed = 1);

// The intervals as lines for a terminal, each starting with `indent`.
[[nodiscard]] std::string intervals_text(const ScoreIntervals& intervals,
                                         const std::string& indent);

// "Y" → 0 … "NV" → 3; −1 for anything else.
[[nodiscard]] int vote_class(const std::string& option);

}  // namespace multivector::results
