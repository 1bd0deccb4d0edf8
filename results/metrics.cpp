#include "results/metrics.hpp"

#include <algorithm>
#include <cmath>

#include "sim/scenario.hpp"

namespace multivector::results {

int vote_class(const std::string& option) {
  for (int index = 0; index < kVoteClasses; ++index) {
    if (option == sim::kVoteOptions[static_cast<size_t>(index)]) {
      return index;
    }
  }
  return -1;
}

Metrics compute_metrics(const std::vector<ScoredRow>& rows) {
  Metrics metrics;
  metrics.rows = static_cast<int>(rows.size());
  if (rows.empty()) {
    return metrics;
  }
  double log_loss = 0.0;
  double brier = 0.0;
  int correct = 0;
  for (const auto& row : rows) {
    metrics.confusion[static_cast<size_t>(row.recorded)][static_cast<size_t>(row.predicted)] += 1;
    correct += row.recorded == row.predicted ? 1 : 0;
    const double probability =
        std::clamp(row.probability[static_cast<size_t>(row.recorded)], 1e-15, 1.0);
    log_loss -= std::log(probability);
    for (int option = 0; option < kVoteClasses; ++option) {
      const double target = option == row.recorded ? 1.0 : 0.0;
      const double gap = row.probability[static_cast<size_t>(option)] - target;
      brier += gap * gap;
    }
  }
  const double count = static_cast<double>(rows.size());
  metrics.accuracy = correct / count;
  metrics.log_loss = log_loss / count;
  metrics.brier = brier / count;

  double recall_sum = 0.0;
  int classes_present = 0;
  double expected_agreement = 0.0;
  for (int option = 0; option < kVoteClasses; ++option) {
    int recorded_total = 0;
    int predicted_total = 0;
    for (int other = 0; other < kVoteClasses; ++other) {
      recorded_total += metrics.confusion[static_cast<size_t>(option)][static_cast<size_t>(other)];
      predicted_total += metrics.confusion[static_cast<size_t>(other)][static_cast<size_t>(option)];
    }
    if (recorded_total > 0) {
      recall_sum +=
          static_cast<double>(
              metrics.confusion[static_cast<size_t>(option)][static_cast<size_t>(option)]) /
          recorded_total;
      ++classes_present;
    }
    expected_agreement += (recorded_total / count) * (predicted_total / count);
  }
  metrics.balanced_accuracy = classes_present > 0 ? recall_sum / classes_present : 0.0;
  // κ = (p_o − p_e) / (1 − p_e); when chance agreement is total, agreement is perfect by
  // construction and κ is defined as 1 if the predictions match, else 0.
  metrics.kappa = expected_agreement < 1.0
                      ? (metrics.accuracy - expected_agreement) / (1.0 - expected_agreement)
                      : (metrics.accuracy == 1.0 ? 1.0 : 0.0);
  return metrics;
}

std::array<double, kVoteClasses> hard_probabilities(int predicted, double confidence) {
  std::array<double, kVoteClasses> probability{};
  probability.fill((1.0 - confidence) / (kVoteClasses - 1));
  probability[static_cast<size_t>(predicted)] = confidence;
  return probability;
}

Metrics compute_baseline_metrics(const std::vector<int>& recorded,
                                 const std::vector<int>& predicted) {
  int correct = 0;
  for (size_t row = 0; row < recorded.size(); ++row) {
    correct += recorded[row] == predicted[row] ? 1 : 0;
  }
  const double confidence =
      recorded.empty() ? 1.0 : static_cast<double>(correct) / static_cast<double>(recorded.size());
  std::vector<ScoredRow> rows;
  rows.reserve(recorded.size());
  for (size_t row = 0; row < recorded.size(); ++row) {
    rows.push_back(
        ScoredRow{recorded[row], predicted[row], hard_probabilities(predicted[row], confidence)});
  }
  return compute_metrics(rows);
}

}  // namespace multivector::results
