#pragma once
// Agreement between predicted and recorded votes: accuracy, balanced accuracy, Cohen's kappa,
// the confusion matrix, log-loss and the multi-class Brier score (DESIGN §5). Shared by compare,
// calibrate and the reports, so every figure of the project is computed one way.

#include <array>
#include <string>
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

// A hard prediction turned into probabilities: the predicted option gets `confidence`, the other
// options share the rest equally.
[[nodiscard]] std::array<double, kVoteClasses> hard_probabilities(int predicted, double confidence);

// Scores a baseline's hard predictions with the most favourable calibration for it: its own
// accuracy on these rows as the confidence of each prediction. Log-loss and Brier of baselines
// are then the best any fixed confidence could give them.
[[nodiscard]] Metrics compute_baseline_metrics(const std::vector<int>& recorded,
                                               const std::vector<int>& predicted);

// "Y" → 0 … "NV" → 3; −1 for anything else.
[[nodiscard]] int vote_class(const std::string& option);

}  // namespace multivector::results
