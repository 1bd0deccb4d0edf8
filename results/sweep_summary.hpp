#pragma once
// What a sweep says, per agenda item and country: how often each option was chosen across runs
// (with a 95% Wilson score interval) and which varied parameter moves each option's probability
// most (Spearman's rank correlation across runs).

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "results/metrics.hpp"
#include "results/sweep_database.hpp"

namespace multivector::results {

// Ranks 1..n with ties given their average rank.
[[nodiscard]] std::vector<double> average_ranks(const std::vector<double>& values);

// Pearson's correlation of two equally long series; NaN when either is constant.
[[nodiscard]] double correlation(const std::vector<double>& left, const std::vector<double>& right);

struct OptionShare {
  std::string item;
  std::string kind;  // vote or statement
  std::string date;
  std::string country;
  std::string option;
  std::int64_t chosen = 0;  // runs that chose the option
  std::int64_t runs = 0;    // runs that decided the item
  double share = 0.0;
  Interval interval{0.0, 1.0};  // Wilson score interval of the share; unknown: all of [0, 1]
  double mean_probability = 0.0;
};

struct Sensitivity {
  std::string item;
  std::string country;
  std::string option;
  std::string parameter;
  double spearman = 0.0;  // NaN when the option's probability never changes
  int rank = 0;           // 1 = the parameter that moves this option most
  // Largest minus smallest probability of the option over the finished runs: a rank
  // correlation ignores size, so |rho| = 1 can describe a move of 1e-7.
  double probability_range = 0.0;
};

// Below this range of an option's probability over the runs (0.1 percentage point), no parameter
// is said to move it, whatever the correlation.
inline constexpr double kNegligibleProbabilityRange = 1e-3;

struct SweepSummary {
  std::string database;  // the path it was read from
  ManifestEntries manifest;
  std::int64_t runs = 0;  // in the design
  std::int64_t done = 0;
  std::int64_t failed = 0;
  // Design points with a finished run (an interrupted sweep has fewer than planned).
  std::int64_t points_done = 0;
  std::vector<std::string> parameters;
  std::vector<OptionShare> shares;         // item (by date), country, option (item's order)
  std::vector<Sensitivity> sensitivities;  // item, country, option, rank
};

// Reads a sweep database (complete or not: only finished runs count).
[[nodiscard]] SweepSummary summarise_sweep(const std::filesystem::path& database);

// The summary as text; `top` parameters are named for each item and country.
[[nodiscard]] std::string format_sweep_summary(const SweepSummary& summary, int top);

// A summary export: shares.csv in every one (a folder holding it may be replaced by the next
// one), beside sensitivity.csv and manifest.csv.
inline constexpr std::array<std::string_view, 2> kSweepSummaryCsvFiles = {"sensitivity.csv",
                                                                          "manifest.csv"};
inline constexpr OutputFolderKind kSweepSummaryCsvFolder{"shares.csv", kSweepSummaryCsvFiles, ""};

// shares.csv, sensitivity.csv and manifest.csv in `directory`. manifest.csv is the sweep's own
// manifest (seed, scenario files and their SHA-256, overrides, design, version) followed by the
// summary's: the database read, how many runs had finished, and the summarising program's version
// — the figures of an interrupted sweep change when it is resumed.
void write_sweep_summary_csv(const SweepSummary& summary, const std::filesystem::path& directory);

}  // namespace multivector::results
