#pragma once
// Simulated against recorded votes (DESIGN §5): joins a run's votes with recorded ones on
// (resolution symbol, country) and scores the model beside three baselines on the same rows —
// always Yes; persistence (the country's recorded vote on the most recent earlier resolution of
// the same type, else on the most recent one); and China's recorded vote on the same resolution.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "results/history.hpp"
#include "results/metrics.hpp"
#include "results/run_directory.hpp"

namespace multivector::results {

inline constexpr std::string_view kDefaultResolutionTypes =
    "builtin:data/unga/resolution_types.csv";
inline constexpr std::string_view kCopiedCountry = "CHN";

// Resolution symbol → type (the first tag), from a `resolution,type,...` CSV.
using ResolutionTypes = std::map<std::string, std::string>;
[[nodiscard]] ResolutionTypes parse_resolution_types(std::string_view text,
                                                     const std::string& label);
[[nodiscard]] ResolutionTypes load_resolution_types(const std::string& path);

// The predictors scored, in the order of every output.
inline constexpr std::array<std::string_view, 4> kPredictors = {"model", "always_yes",
                                                                "persistence", "copy_china"};

struct ComparedRow {
  std::string resolution;
  std::string item;
  sim::Date date;  // the recorded date
  std::string country;
  int recorded = 0;   // vote class (Y, N, A, NV)
  int simulated = 0;  // the run's modal option
  std::array<double, kVoteClasses> probability{};
  std::array<int, 4> prediction{};  // per predictor, kPredictors order (model = simulated)
};

struct PredictorScores {
  std::array<Metrics, 4> metrics;  // kPredictors order
};

struct Comparison {
  std::vector<ComparedRow> rows;
  int simulated_only = 0;
  int recorded_only = 0;
  std::vector<std::string> simulated_only_examples;  // "ITEM COUNTRY (reason)", at most 10
  std::vector<std::string> recorded_only_examples;   // "RESOLUTION COUNTRY", at most 10
  int recorded_only_resolutions = 0;                 // recorded resolutions the run never simulated
  // Simulated resolutions with no recorded vote at all (describe_unrecorded_resolutions lines):
  // usually a symbol spelt differently in the scenario and the file, or a file left out.
  std::vector<std::string> unrecorded_resolutions;
  int persistence_fallbacks = 0;  // rows with no earlier recorded vote: predicted Y
  int copy_china_fallbacks = 0;   // rows without China's recorded vote: predicted Y
  PredictorScores overall;
  std::map<std::string, PredictorScores> per_resolution;
  std::map<std::string, PredictorScores> per_country;
  // Overall figures resampled over the joined resolutions (resolution_intervals); nothing when
  // fewer than two resolutions are joined.
  std::optional<ScoreIntervals> intervals;
};

// `types` supplies the type of resolutions the run does not simulate; those it does take the
// first tag of their agenda item.
[[nodiscard]] Comparison compare_run(const RunDirectory& run, const VoteHistory& history,
                                     const ResolutionTypes& types,
                                     int resamples = kDefaultResamples);

// The three output files (docs/history.md).
[[nodiscard]] std::string compare_csv(const Comparison& comparison);
[[nodiscard]] std::string compare_rows_csv(const Comparison& comparison);
[[nodiscard]] nlohmann::ordered_json compare_json(const Comparison& comparison,
                                                  const RunDirectory& run,
                                                  const std::vector<std::string>& history_files);
[[nodiscard]] nlohmann::ordered_json metrics_json(const Metrics& metrics);

// Throws OutputError unless the three files may be written into `out_dir`: it is not another
// run's folder (whose compare files would then score this run), and any compare.csv, compare.json
// or compare_rows.csv there belongs to an earlier comparison (a compare.json this command wrote),
// not to a user who named a table of their own so.
void check_compare_output(const std::filesystem::path& out_dir,
                          const std::filesystem::path& run_dir);

// The table printed by `multivector compare`.
[[nodiscard]] std::string format_comparison(const Comparison& comparison);

}  // namespace multivector::results
