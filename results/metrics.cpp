#include "results/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "sim/random.hpp"
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

double recorded_log_loss(double probability_of_recorded) {
  return -std::log(std::clamp(probability_of_recorded, 1e-15, 1.0));
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
    log_loss += recorded_log_loss(row.probability[static_cast<size_t>(row.recorded)]);
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

Interval wilson_interval(std::int64_t successes, std::int64_t trials, double z) {
  if (trials <= 0) {
    return {0.0, 1.0};
  }
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
  const double half = z / (1.0 + z2 / n) * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  // At 0 and n the bounds are exactly 0 and 1; computed, they can miss by a rounding error.
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
          successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

Interval accuracy_wilson_interval(const Metrics& metrics) {
  int correct = 0;
  for (int option = 0; option < kVoteClasses; ++option) {
    correct += metrics.confusion[static_cast<size_t>(option)][static_cast<size_t>(option)];
  }
  return wilson_interval(correct, metrics.rows);
}

Interval cluster_bootstrap_interval(const std::vector<int>& cluster,
                                    const std::vector<double>& value, int replicates,
                                    std::uint64_t seed, double level) {
  if (cluster.size() != value.size() || value.empty() || replicates < 1 || !(level > 0.0) ||
      !(level < 1.0)) {
    throw std::invalid_argument(
        "cluster_bootstrap_interval: needs one cluster per value, at least one row and one "
        "replicate, and a level in (0, 1)");
  }
  const int clusters = *std::max_element(cluster.begin(), cluster.end()) + 1;
  std::vector<double> cluster_sum(static_cast<size_t>(clusters), 0.0);
  std::vector<int> cluster_rows(static_cast<size_t>(clusters), 0);
  for (size_t row = 0; row < value.size(); ++row) {
    if (cluster[row] < 0) {
      throw std::invalid_argument("cluster_bootstrap_interval: a negative cluster index");
    }
    cluster_sum[static_cast<size_t>(cluster[row])] += value[row];
    cluster_rows[static_cast<size_t>(cluster[row])] += 1;
  }
  // Only clusters that have rows are drawn: an index skipped by the caller is not a text.
  std::vector<size_t> drawable;
  for (size_t index = 0; index < cluster_rows.size(); ++index) {
    if (cluster_rows[index] > 0) {
      drawable.push_back(index);
    }
  }
  std::vector<double> means;
  means.reserve(static_cast<size_t>(replicates));
  for (int replicate = 0; replicate < replicates; ++replicate) {
    double sum = 0.0;
    int rows = 0;
    for (size_t draw = 0; draw < drawable.size(); ++draw) {
      const double uniform = sim::random_uniform(seed, sim::RandomStream::kBootstrap,
                                                 static_cast<std::uint64_t>(replicate),
                                                 static_cast<std::uint64_t>(draw));
      const size_t picked =
          drawable[std::min(drawable.size() - 1,
                            static_cast<size_t>(uniform * static_cast<double>(drawable.size())))];
      sum += cluster_sum[picked];
      rows += cluster_rows[picked];
    }
    means.push_back(sum / rows);
  }
  std::sort(means.begin(), means.end());
  // Linear interpolation between order statistics (the usual "type 7" quantile).
  const auto quantile = [&means](double probability) {
    const double position = probability * static_cast<double>(means.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, means.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return means[below] + fraction * (means[above] - means[below]);
  };
  const double tail = (1.0 - level) / 2.0;
  return Interval{quantile(tail), quantile(1.0 - tail)};
}

std::optional<ScoreIntervals> resolution_intervals(const std::vector<ResampledRow>& rows,
                                                   int resamples, std::uint64_t seed) {
  ScoreIntervals intervals;
  intervals.resamples = resamples;
  std::map<std::string, int> resolution_index;
  std::vector<int> cluster;
  std::vector<double> correct;
  std::vector<double> loss;
  std::array<std::vector<int>, 3> gain_cluster;
  std::array<std::vector<double>, 3> gain;
  const auto hit = [](int predicted, int recorded) { return predicted == recorded ? 1.0 : 0.0; };
  for (const auto& row : rows) {
    const auto [entry, inserted] =
        resolution_index.try_emplace(row.resolution, static_cast<int>(resolution_index.size()));
    cluster.push_back(entry->second);
    const double model = hit(row.model, row.recorded);
    correct.push_back(model);
    loss.push_back(recorded_log_loss(row.model_probability));
    for (size_t baseline = 0; baseline < kBaselines.size(); ++baseline) {
      if (row.baseline[baseline] >= 0) {
        gain_cluster[baseline].push_back(entry->second);
        gain[baseline].push_back(model - hit(row.baseline[baseline], row.recorded));
      }
    }
  }
  intervals.resolutions = static_cast<int>(resolution_index.size());
  if (resamples < 1 || intervals.resolutions < 2) {
    return std::nullopt;
  }
  const auto interval = [&](const std::vector<int>& clusters, const std::vector<double>& values) {
    return values.empty()
               ? Interval{}
               : cluster_bootstrap_interval(clusters, values, resamples, seed, intervals.level);
  };
  intervals.accuracy = interval(cluster, correct);
  intervals.log_loss = interval(cluster, loss);
  for (size_t baseline = 0; baseline < kBaselines.size(); ++baseline) {
    intervals.gain[baseline] = interval(gain_cluster[baseline], gain[baseline]);
  }
  return intervals;
}

std::string intervals_text(const ScoreIntervals& intervals, const std::string& indent) {
  const auto range = [](const Interval& interval, bool signed_values) {
    char text[64];
    std::snprintf(text, sizeof text, signed_values ? "%+.3f to %+.3f" : "%.3f to %.3f",
                  interval.low, interval.high);
    return std::string(text);
  };
  char title[160];
  std::snprintf(title, sizeof title, "%.0f%% intervals, resampling the %d resolutions %d times:\n",
                intervals.level * 100.0, intervals.resolutions, intervals.resamples);
  constexpr std::array<const char*, 3> kBaselineNames = {"always Yes", "persistence", "copy China"};
  std::string out = indent + title + indent + "  model accuracy " +
                    range(intervals.accuracy, false) + ", log-loss " +
                    range(intervals.log_loss, false) + "\n" + indent + "  accuracy gain over ";
  for (size_t baseline = 0; baseline < kBaselines.size(); ++baseline) {
    out += std::string(baseline == 0 ? "" : ", ") + kBaselineNames[baseline] + " " +
           range(intervals.gain[baseline], true);
  }
  return out + "\n";
}

}  // namespace multivector::results
