#pragma once
// Fitting the decision rule to recorded votes (DESIGN §4–5). History is replayed through the
// engine — every country "does" what it recorded, so persistence, retaliation and credibility
// follow history — and each decision's features are collected. Because utility is linear in the
// weights, the fit is a penalised conditional logit: concave, solved by Newton's method.
//
// Fitted: the option intercepts (relative to Y), intercepts per item tag, the weights of
// participation, salience, orientation, persistence, each power's leverage and each norm; and,
// penalised towards zero, each country's orientation, participation and norm offsets, the drift of
// its orientation, and its orientation and participation on the items of each offset tag. The
// weights whose sign is their meaning (participation, orientation, persistence, recency, habit,
// each leverage and each norm) are held at zero or above (FitSummary::held_at_zero). Held-out
// resolutions are removed from the replay entirely, so no recorded vote of theirs reaches a fit.

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "results/csv.hpp"
#include "results/history.hpp"
#include "results/metrics.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace multivector::results {

// How the recorded resolutions are held out in turn, beside any --holdout ones.
enum class Folds {
  None,
  // Each resolution predicted by a fit on all the others (earlier and later).
  LeaveOneOut,
  // Each resolution predicted by a fit on the resolutions voted before its date only, as a
  // forecast made the day before would be. Resolutions with fewer than
  // CalibrationOptions::min_earlier recorded resolutions before them are not scored.
  Forward,
};

struct CalibrationOptions {
  std::vector<std::string> holdout;  // resolution symbols (or item ids) kept out of the fit
  Folds folds = Folds::None;
  int min_earlier = 1;  // forward folds: recorded resolutions needed before a scored one
  bool country_offsets = true;
  // Ridge penalties (Gaussian priors). The defaults were chosen by leave-one-resolution-out
  // log-loss and accuracy on the world scenario (docs/validation.md).
  double global_penalty = 0.01;  // towards the scenario's own values
  double tag_penalty = 0.1;      // tag intercepts, towards zero
  double country_penalty = 0.1;  // each country's orientation and participation offsets
  double norm_penalty = 1.0;     // each country's norm offsets
  // Each country's drift of orientation per year. 16 a year is 1 per four years (half the span
  // of the 2014–2022 record): a lean that moves by one unit over four years costs what a norm
  // offset of one does. Held-out figures move by a few rows between 8 and 32 (docs/validation.md).
  double drift_penalty = 16.0;
  // Each country's orientation and participation offsets on the items of an offset tag
  // (parameters.decision.offset_tags): how far its lean and its turnout there may stray from its
  // record elsewhere. Chosen on the world scenario by leave-one-resolution-out log-loss, among the
  // settings that cost no held-out accuracy left out or forward (docs/validation.md).
  double offset_tag_orientation_penalty = 0.2;
  double offset_tag_participation_penalty = 2.0;
  // Resamples of the held-out resolutions for the intervals of the held-out figures; 0 skips.
  int resamples = kDefaultResamples;
  int max_iterations = 100;
  double tolerance = 1e-9;  // on the largest Newton step
  // Called after each fit of a leave-one-out sequence: (done, total, what).
  std::function<void(int, int, const std::string&)> progress;
};

// One recorded decision predicted by a model that never saw its resolution.
struct HeldOutPrediction {
  std::string resolution;
  std::string country;
  int recorded = 0;
  std::array<double, kVoteClasses> probability{};
  int predicted = 0;
  int always_yes = 0;
  int persistence = 0;
  int copy_china = 0;  // China's recorded vote; Yes when it has none, as compare does
};

struct FitSummary {
  int rows = 0;
  int iterations = 0;
  bool converged = false;
  double log_likelihood = 0.0;
  double penalised_log_likelihood = 0.0;
  // Weights whose sign carries their meaning that the fit holds at zero because the data pull
  // them below it, by parameters-file key ("norms.territorial_integrity").
  std::vector<std::string> held_at_zero;
};

struct BaselineComparison {
  Metrics model;
  Metrics always_yes;
  Metrics persistence;
  Metrics copy_china;
};

struct CalibrationResult {
  sim::Parameters parameters;  // the scenario's parameters with the fitted decision weights
  FitSummary fit;              // on every resolution except --holdout ones
  Metrics training;            // in-sample agreement of the final fit
  std::vector<HeldOutPrediction> held_out;  // from --holdout and/or the folds
  Folds fold_kind = Folds::None;            // how `folds` were left out
  std::vector<std::string> folds;           // resolutions left out in turn
  std::vector<FitSummary> fold_fits;        // each fold's own fit, in the order of `folds`
  // Forward folds only: recorded resolutions not scored, having fewer than min_earlier before them.
  std::vector<std::string> unscored;
  // --holdout resolutions with no recorded vote, so nothing to score (describe_unrecorded_
  // resolutions lines: a misspelt symbol or a --history file left out).
  std::vector<std::string> unrecorded_holdout;
  // Agenda votes outside --holdout without a recorded vote, as "ID (SYMBOL): no recorded vote in
  // the --history files ..." lines, with the name --holdout takes for each beside them. The
  // replay simulates them, so their simulated votes feed the persistence and habit terms of
  // later texts in the fit: the fit differs from one that holds them out.
  std::vector<std::pair<std::string, std::string>> unrecorded_items;  // (line, --holdout name)
  // Offset tags that no fitted item with recorded votes carries: their offsets stay at zero.
  std::vector<std::string> idle_offset_tags;
  // Tags of --holdout items that no fitted item carries: the final fit has no intercept for them,
  // so they say nothing about the held-out text (a tag the user made up for a new one).
  std::vector<sim::TagWithoutIntercept> unfitted_holdout_tags;
  std::optional<ScoreIntervals> intervals;  // of the held-out figures (resolution_intervals)
};

[[nodiscard]] CalibrationResult calibrate(const sim::Scenario& scenario, const VoteHistory& history,
                                          const CalibrationOptions& options);

// How many folds held each weight at zero, by parameters-file key, in the order the folds first
// name them: a weight pinned in some folds only is one the data barely push below zero, which a
// reader of the final fit's `held_at_zero` alone would not see.
struct HeldAtZeroCount {
  std::string weight;
  int folds = 0;
};
[[nodiscard]] std::vector<HeldAtZeroCount> held_at_zero_in_folds(const CalibrationResult& result);

// Model and baselines on the same held-out rows, optionally filtered.
[[nodiscard]] BaselineComparison compare_held_out(
    const std::vector<HeldOutPrediction>& predictions,
    const std::function<bool(const HeldOutPrediction&)>& keep = nullptr);

// The held-out figures of each resolution, in the order the predictions first name it.
struct ResolutionComparison {
  std::string resolution;
  BaselineComparison comparison;
};
[[nodiscard]] std::vector<ResolutionComparison> compare_held_out_by_resolution(
    const std::vector<HeldOutPrediction>& predictions);

// held_out_csv's columns in order, each with what it holds.
[[nodiscard]] CsvColumns held_out_csv_columns();

// resolution,country,recorded,predicted,p_Y,p_N,p_A,p_NV,persistence,copy_china
[[nodiscard]] std::string held_out_csv(const std::vector<HeldOutPrediction>& predictions);

// The parameters file that `run --params` accepts, with a `calibration:` section describing the
// fit (`header` lines become comments at the top).
[[nodiscard]] std::string parameters_yaml(const sim::Scenario& scenario,
                                          const CalibrationResult& result,
                                          const std::vector<std::string>& header);

}  // namespace multivector::results
