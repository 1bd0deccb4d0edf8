#include "results/compare.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include "results/atomic_output.hpp"
#include "results/csv.hpp"
#include "results/persistence.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "sim/diagnostics.hpp"
#include "sim/input_files.hpp"
#include "sim/resolution_symbol.hpp"
#include "sim/scenario.hpp"

namespace multivector::results {

ResolutionTypes parse_resolution_types(std::string_view text, const std::string& label) {
  std::vector<CsvRecord> records;
  std::string error;
  std::size_t error_line = 0;
  const auto at = [&](std::size_t line) {
    return sim::SourceLocation{label, static_cast<int>(line), 1};
  };
  if (!parse_csv(text, records, error, error_line)) {
    throw sim::InputError(at(error_line), error);
  }
  if (records.empty()) {
    throw sim::InputError(at(1), "empty file; expected a header resolution,type");
  }
  const auto& header = records.front().fields;
  const auto resolution = std::find(header.begin(), header.end(), "resolution");
  const auto type = std::find(header.begin(), header.end(), "type");
  if (resolution == header.end() || type == header.end()) {
    throw sim::InputError(at(1), "header must name the columns resolution and type");
  }
  const auto resolution_column = static_cast<size_t>(resolution - header.begin());
  const auto type_column = static_cast<size_t>(type - header.begin());
  ResolutionTypes types;
  sim::Diagnostics diagnostics;
  for (std::size_t index = 1; index < records.size(); ++index) {
    const CsvRecord& record = records[index];
    if (record.fields.size() == 1 && record.fields.front().empty()) {
      continue;
    }
    if (record.fields.size() != header.size()) {
      diagnostics.error(at(record.line), "expected " + std::to_string(header.size()) +
                                             " fields, found " +
                                             std::to_string(record.fields.size()));
      continue;
    }
    const std::string symbol = sim::canonical_resolution_symbol(record.fields[resolution_column]);
    const std::string& kind = record.fields[type_column];
    if (symbol.empty() || kind.empty()) {
      diagnostics.error(at(record.line), "empty resolution or type");
      continue;
    }
    if (!types.emplace(symbol, kind).second) {
      diagnostics.error(at(record.line), "a second type for " + symbol);
    }
  }
  diagnostics.throw_if_any();
  return types;
}

ResolutionTypes load_resolution_types(const std::string& path) {
  const sim::InputFile file =
      sim::read_input_file(path, std::size_t{64} * 1024 * 1024, sim::SourceLocation{path, 0, 0});
  return parse_resolution_types(file.content, file.label);
}

namespace {

constexpr std::size_t kMaxExamples = 10;
constexpr int kModel = 0;
constexpr int kAlwaysYes = 1;
constexpr int kPersistence = 2;
constexpr int kCopyChina = 3;
// compare.csv puts the gain over kBaselines[i] on the row of kPredictors[i + 1].
static_assert(kPredictors[1] == kBaselines[0] && kPredictors[2] == kBaselines[1] &&
              kPredictors[3] == kBaselines[2]);

PredictorScores score(const std::vector<const ComparedRow*>& rows) {
  PredictorScores scores;
  std::vector<ScoredRow> model;
  std::vector<int> recorded;
  std::array<std::vector<int>, 4> predicted;
  for (const ComparedRow* row : rows) {
    model.push_back(ScoredRow{row->recorded, row->simulated, row->probability});
    recorded.push_back(row->recorded);
    for (int predictor = 0; predictor < 4; ++predictor) {
      predicted[static_cast<size_t>(predictor)].push_back(
          row->prediction[static_cast<size_t>(predictor)]);
    }
  }
  scores.metrics[kModel] = compute_metrics(model);
  for (int predictor = 1; predictor < 4; ++predictor) {
    scores.metrics[static_cast<size_t>(predictor)] =
        compute_baseline_metrics(recorded, predicted[static_cast<size_t>(predictor)]);
  }
  return scores;
}

void add_example(std::vector<std::string>& examples, std::string text) {
  if (examples.size() < kMaxExamples) {
    examples.push_back(std::move(text));
  }
}

}  // namespace

Comparison compare_run(const RunDirectory& run, const VoteHistory& history,
                       const ResolutionTypes& types, int resamples) {
  Comparison comparison;

  // The run's type of each resolution it simulates: the first tag of its agenda item.
  std::map<std::string, std::string> type_of;
  std::set<std::pair<std::string, std::string>> simulated_keys;
  std::set<std::string> simulated_resolutions;
  for (const auto& decision : run.decisions) {
    if (decision.statement || decision.resolution.empty()) {
      continue;
    }
    if (!decision.tags.empty() && !type_of.contains(decision.resolution)) {
      type_of[decision.resolution] = decision.tags.front();
    }
    if (!simulated_keys.emplace(decision.resolution, decision.country).second) {
      throw sim::InputError(sim::SourceLocation{decision.source, 0, 0},
                            "a second simulated vote of " + decision.country + " on " +
                                decision.resolution +
                                " (two agenda items share one resolution symbol)");
    }
    simulated_resolutions.insert(decision.resolution);
  }
  for (const auto& [resolution, kind] : types) {
    type_of.emplace(resolution, kind);  // keeps the run's own type where it has one
  }
  // The baseline reads the resolutions the run simulates and those of the types table, whatever
  // else the history files hold.
  std::map<std::string, std::string> read_by_persistence = type_of;
  for (const auto& resolution : simulated_resolutions) {
    read_by_persistence.emplace(resolution, std::string());
  }
  const PersistenceBaseline persistence(history, read_by_persistence);

  for (const auto& decision : run.decisions) {
    if (decision.statement) {
      continue;
    }
    if (decision.resolution.empty()) {
      ++comparison.simulated_only;
      add_example(comparison.simulated_only_examples,
                  decision.item + " " + decision.country + " (item has no resolution symbol)");
      continue;
    }
    const RecordedVote* recorded = history.find(decision.resolution, decision.country);
    if (recorded == nullptr) {
      ++comparison.simulated_only;
      // A vote a Library file gives two values of was set aside, not missing: the reader would
      // otherwise look for a gap in the file rather than the disagreement the log named.
      const bool conflicting = std::any_of(history.conflicts().begin(), history.conflicts().end(),
                                           [&](const ConflictingVote& conflict) {
                                             return conflict.resolution == decision.resolution &&
                                                    conflict.country == decision.country;
                                           });
      add_example(comparison.simulated_only_examples,
                  decision.resolution + " " + decision.country +
                      (conflicting ? " (different recorded votes in one file; none is read)"
                                   : " (no recorded vote)"));
      continue;
    }
    ComparedRow row;
    row.resolution = decision.resolution;
    row.item = decision.item;
    row.date = recorded->date;
    row.country = decision.country;
    row.recorded = vote_class(recorded->vote);
    row.simulated = vote_class(decision.modal);
    for (int option = 0; option < kVoteClasses; ++option) {
      row.probability[static_cast<size_t>(option)] =
          decision.probability[static_cast<size_t>(option)];
    }
    row.prediction[kModel] = row.simulated;
    row.prediction[kAlwaysYes] = sim::kYes;
    int persisted = persistence.predict(decision.country, decision.resolution, recorded->date);
    if (persisted < 0) {
      ++comparison.persistence_fallbacks;
      persisted = sim::kYes;
    }
    row.prediction[kPersistence] = persisted;
    const RecordedVote* china = history.find(decision.resolution, std::string(kCopiedCountry));
    if (china == nullptr) {
      ++comparison.copy_china_fallbacks;
    }
    row.prediction[kCopyChina] =
        china == nullptr ? static_cast<int>(sim::kYes) : vote_class(china->vote);
    comparison.rows.push_back(std::move(row));
  }

  // Examples: first the countries missing from resolutions the run does simulate (a gap in the
  // run), then the resolutions it does not simulate at all (usually just a wider history file).
  std::set<std::string> unsimulated_resolutions;
  std::vector<std::string> other_examples;
  for (const auto& vote : history.votes()) {
    if (simulated_keys.contains({vote.resolution, vote.country})) {
      continue;
    }
    ++comparison.recorded_only;
    const std::string example = vote.resolution + " " + vote.country;
    if (simulated_resolutions.contains(vote.resolution)) {
      add_example(comparison.recorded_only_examples, example);
    } else {
      unsimulated_resolutions.insert(vote.resolution);
      add_example(other_examples, example);
    }
  }
  for (auto& example : other_examples) {
    add_example(comparison.recorded_only_examples, std::move(example));
  }
  comparison.recorded_only_resolutions = static_cast<int>(unsimulated_resolutions.size());
  const std::vector<std::string> simulated_symbols(simulated_resolutions.begin(),
                                                   simulated_resolutions.end());
  comparison.unrecorded_resolutions =
      describe_unrecorded_resolutions(history, simulated_symbols, simulated_symbols);

  std::vector<const ComparedRow*> all;
  std::map<std::string, std::vector<const ComparedRow*>> by_resolution;
  std::map<std::string, std::vector<const ComparedRow*>> by_joined_country;
  for (const auto& row : comparison.rows) {
    all.push_back(&row);
    by_resolution[row.resolution].push_back(&row);
    by_joined_country[row.country].push_back(&row);
  }
  comparison.overall = score(all);
  for (const auto& [resolution, rows] : by_resolution) {
    comparison.per_resolution[resolution] = score(rows);
  }
  for (const auto& [country, rows] : by_joined_country) {
    comparison.per_country[country] = score(rows);
  }
  std::vector<ResampledRow> resampled;
  for (const auto& row : comparison.rows) {
    resampled.push_back(ResampledRow{
        row.resolution,
        row.recorded,
        row.simulated,
        row.probability[static_cast<size_t>(row.recorded)],
        {row.prediction[kAlwaysYes], row.prediction[kPersistence], row.prediction[kCopyChina]}});
  }
  comparison.intervals = resolution_intervals(resampled, resamples);
  return comparison;
}

namespace {

// The interval columns of one compare.csv row, and the method that gave them. The overall scope
// has the intervals from resampling whole resolutions: the model's row carries its accuracy and
// log-loss intervals, each baseline's row the interval of the model's accuracy gain over that
// baseline. A single resolution or country cannot be resampled by resolution, so its rows carry
// the Wilson interval of each predictor's accuracy over its rows (accuracy_wilson_interval).
// Every other cell is left empty, which pandas and R read as missing.
std::array<std::string, 7> interval_cells(const std::optional<ScoreIntervals>& intervals,
                                          size_t predictor) {
  std::array<std::string, 7> cells;
  if (!intervals) {
    return cells;
  }
  if (predictor == static_cast<size_t>(kModel)) {
    cells[0] = format_double(intervals->accuracy.low);
    cells[1] = format_double(intervals->accuracy.high);
    cells[2] = format_double(intervals->log_loss.low);
    cells[3] = format_double(intervals->log_loss.high);
  } else {
    // kPredictors lists the model first, then the baselines in kBaselines order.
    const Interval& gain = intervals->gain[predictor - 1];
    cells[4] = format_double(gain.low);
    cells[5] = format_double(gain.high);
  }
  cells[6] = "resolutions_resampled";
  return cells;
}

std::array<std::string, 7> wilson_cells(const Metrics& metrics) {
  const Interval accuracy = accuracy_wilson_interval(metrics);
  return {format_double(accuracy.low), format_double(accuracy.high), "", "", "", "", "wilson"};
}

enum class Scope { kOverall, kSubset };

void append_scores(std::string& out, const std::string& scope, const std::string& key,
                   const PredictorScores& scores, Scope kind,
                   const std::optional<ScoreIntervals>& intervals = std::nullopt) {
  for (size_t predictor = 0; predictor < kPredictors.size(); ++predictor) {
    const Metrics& metrics = scores.metrics[predictor];
    std::vector<std::string> fields = {scope,
                                       key,
                                       std::string(kPredictors[predictor]),
                                       std::to_string(metrics.rows),
                                       format_double(metrics.accuracy),
                                       format_double(metrics.balanced_accuracy),
                                       format_double(metrics.kappa),
                                       format_double(metrics.log_loss),
                                       format_double(metrics.brier)};
    const auto cells =
        kind == Scope::kOverall ? interval_cells(intervals, predictor) : wilson_cells(metrics);
    fields.insert(fields.end(), cells.begin(), cells.end());
    append_csv_row(out, fields);
  }
}

// A resolution's or a country's scores also carry each predictor's accuracy_interval (Wilson,
// 95%; scope_intervals in compare.json says so); the overall scores have overall_intervals.
nlohmann::ordered_json scores_json(const PredictorScores& scores, Scope kind) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (size_t predictor = 0; predictor < kPredictors.size(); ++predictor) {
    nlohmann::ordered_json metrics = metrics_json(scores.metrics[predictor]);
    if (kind == Scope::kSubset) {
      const Interval accuracy = accuracy_wilson_interval(scores.metrics[predictor]);
      metrics["accuracy_interval"] = nlohmann::ordered_json::array({accuracy.low, accuracy.high});
    }
    json[std::string(kPredictors[predictor])] = metrics;
  }
  return json;
}

const std::string& option_name(int vote) {
  static const std::array<std::string, 4> names = {"Y", "N", "A", "NV"};
  return names[static_cast<size_t>(vote)];
}

}  // namespace

nlohmann::ordered_json metrics_json(const Metrics& metrics) {
  nlohmann::ordered_json json;
  json["rows"] = metrics.rows;
  json["accuracy"] = metrics.accuracy;
  json["balanced_accuracy"] = metrics.balanced_accuracy;
  json["kappa"] = metrics.kappa;
  json["log_loss"] = metrics.log_loss;
  json["brier"] = metrics.brier;
  nlohmann::ordered_json labels = nlohmann::ordered_json::array();
  for (const auto option : sim::kVoteOptions) {
    labels.push_back(std::string(option));
  }
  nlohmann::ordered_json matrix = nlohmann::ordered_json::array();
  for (const auto& recorded : metrics.confusion) {
    nlohmann::ordered_json line = nlohmann::ordered_json::array();
    for (const int count : recorded) {
      line.push_back(count);
    }
    matrix.push_back(line);
  }
  json["confusion"] = {{"labels", labels}, {"recorded_by_predicted", matrix}};
  return json;
}

std::string compare_csv(const Comparison& comparison) {
  std::string out;
  append_csv_row(
      out, {"scope", "key", "predictor", "rows", "accuracy", "balanced_accuracy", "kappa",
            "log_loss", "brier", "accuracy_low", "accuracy_high", "log_loss_low", "log_loss_high",
            "model_accuracy_gain_low", "model_accuracy_gain_high", "interval_method"});
  append_scores(out, "overall", "", comparison.overall, Scope::kOverall, comparison.intervals);
  for (const auto& [resolution, scores] : comparison.per_resolution) {
    append_scores(out, "resolution", resolution, scores, Scope::kSubset);
  }
  for (const auto& [country, scores] : comparison.per_country) {
    append_scores(out, "country", country, scores, Scope::kSubset);
  }
  return out;
}

std::string compare_rows_csv(const Comparison& comparison) {
  std::string out;
  append_csv_row(out, {"resolution", "item", "date", "country", "recorded", "simulated", "p_Y",
                       "p_N", "p_A", "p_NV", "always_yes", "persistence", "copy_china"});
  for (const auto& row : comparison.rows) {
    append_csv_row(
        out,
        {row.resolution, row.item, sim::format_date(row.date), row.country,
         option_name(row.recorded), option_name(row.simulated), format_double(row.probability[0]),
         format_double(row.probability[1]), format_double(row.probability[2]),
         format_double(row.probability[3]), option_name(row.prediction[kAlwaysYes]),
         option_name(row.prediction[kPersistence]), option_name(row.prediction[kCopyChina])});
  }
  return out;
}

nlohmann::ordered_json compare_json(const Comparison& comparison, const RunDirectory& run,
                                    const std::vector<std::string>& history_files) {
  nlohmann::ordered_json json;
  json["run_dir"] = run.path.string();
  json["history_files"] = history_files;
  json["version"] = program_version();
  json["seed"] = run.seed();
  // What the scored run was made from, copied from its manifest: the scenario files with their
  // SHA-256, the --set overrides, the dropped events and the parameters file.
  for (const char* field : {"overrides", "dropped_events", "params_file"}) {
    json[field] = run.manifest.contains(field) ? run.manifest[field] : nlohmann::json(nullptr);
  }
  json["scenario_files"] =
      run.manifest.contains("scenario") && run.manifest["scenario"].contains("files")
          ? run.manifest["scenario"]["files"]
          : nlohmann::json::array();
  json["rows"] = {{"joined", comparison.rows.size()},
                  {"simulated_only", comparison.simulated_only},
                  {"recorded_only", comparison.recorded_only},
                  {"simulated_only_examples", comparison.simulated_only_examples},
                  {"recorded_only_examples", comparison.recorded_only_examples},
                  {"unrecorded_resolutions", comparison.unrecorded_resolutions}};
  json["overall"] = scores_json(comparison.overall, Scope::kOverall);
  json["overall_intervals"] = nullptr;
  if (comparison.intervals) {
    const ScoreIntervals& intervals = *comparison.intervals;
    const auto range = [](const Interval& interval) {
      return nlohmann::ordered_json::array({interval.low, interval.high});
    };
    nlohmann::ordered_json resampled;
    resampled["level"] = intervals.level;
    resampled["resamples"] = intervals.resamples;
    resampled["resolutions"] = intervals.resolutions;
    resampled["accuracy"] = range(intervals.accuracy);
    resampled["log_loss"] = range(intervals.log_loss);
    for (size_t baseline = 0; baseline < kBaselines.size(); ++baseline) {
      resampled["gain_over_" + std::string(kBaselines[baseline])] = range(intervals.gain[baseline]);
    }
    json["overall_intervals"] = resampled;
  }
  json["scope_intervals"] = {
      {"method", "wilson"},
      {"level", 0.95},
      {"of", "accuracy_interval of each predictor in per_resolution and per_country"},
      {"caveat",
       "rows taken as independent: too narrow for one resolution where blocs vote "
       "together"}};
  nlohmann::ordered_json per_resolution = nlohmann::ordered_json::object();
  for (const auto& [resolution, scores] : comparison.per_resolution) {
    per_resolution[resolution] = scores_json(scores, Scope::kSubset);
  }
  json["per_resolution"] = per_resolution;
  nlohmann::ordered_json per_country = nlohmann::ordered_json::object();
  for (const auto& [country, scores] : comparison.per_country) {
    per_country[country] = scores_json(scores, Scope::kSubset);
  }
  json["per_country"] = per_country;
  return json;
}

namespace {

// The model's accuracy is followed by its Wilson interval, so a reader sees how little a figure
// over one resolution's or one country's few rows pins down.
std::string accuracy_line(const std::string& key, std::size_t width,
                          const PredictorScores& scores) {
  std::string line = pad_to(key, width) + pad_to(std::to_string(scores.metrics[0].rows), 6);
  for (size_t predictor = 0; predictor < scores.metrics.size(); ++predictor) {
    line += pad_to(fixed_text(scores.metrics[predictor].accuracy, 3), 12);
    if (predictor == static_cast<size_t>(kModel)) {
      const Interval interval = accuracy_wilson_interval(scores.metrics[predictor]);
      line += pad_to(fixed_text(interval.low, 2) + "-" + fixed_text(interval.high, 2), 12);
    }
  }
  return line + "\n";
}

}  // namespace

void check_compare_output(const std::filesystem::path& out_dir,
                          const std::filesystem::path& run_dir) {
  std::error_code error;
  if (is_run_directory(out_dir) && !std::filesystem::equivalent(out_dir, run_dir, error)) {
    throw OutputError("cannot write the comparison into '" + out_dir.string() +
                      "': it is another run's folder, and its compare files would then score "
                      "this run (" +
                      run_dir.string() + "); choose another --out, or compare that run instead");
  }
  bool earlier_comparison = false;
  if (std::ifstream earlier(out_dir / "compare.json"); earlier) {
    const nlohmann::json json = nlohmann::json::parse(earlier, nullptr, false);
    earlier_comparison = json.is_object() && json.contains("run_dir") &&
                         json.contains("history_files") && json.contains("overall");
  }
  if (earlier_comparison) {
    return;
  }
  for (const char* name : {"compare.csv", "compare.json", "compare_rows.csv"}) {
    if (std::filesystem::exists(out_dir / name, error)) {
      throw OutputError("cannot write '" + (out_dir / name).string() +
                        "': it exists and is not from an earlier `multivector compare` (no "
                        "compare.json of one beside it), so the comparison would replace it; "
                        "choose another --out, or remove the file");
    }
  }
}

std::string format_comparison(const Comparison& comparison) {
  std::string out;
  out += "joined " + std::to_string(comparison.rows.size()) + " simulated votes with recorded ones";
  out += "; simulated only: " + std::to_string(comparison.simulated_only);
  out += "; recorded only: " + std::to_string(comparison.recorded_only);
  if (comparison.recorded_only > 0) {
    out += " (" + std::to_string(comparison.recorded_only_resolutions) +
           " recorded resolutions are not in the run; the rest are countries it does not "
           "simulate)";
  }
  out += "\n\n";
  out += pad_to("predictor", 13) + pad_to("rows", 7) + pad_to("accuracy", 10) +
         pad_to("balanced", 10) + pad_to("kappa", 8) + pad_to("log-loss", 10) + "brier\n";
  for (size_t predictor = 0; predictor < kPredictors.size(); ++predictor) {
    const Metrics& metrics = comparison.overall.metrics[predictor];
    out += pad_to(std::string(kPredictors[predictor]), 13) +
           pad_to(std::to_string(metrics.rows), 7) + pad_to(fixed_text(metrics.accuracy, 3), 10) +
           pad_to(fixed_text(metrics.balanced_accuracy, 3), 10) +
           pad_to(fixed_text(metrics.kappa, 3), 8) + pad_to(fixed_text(metrics.log_loss, 3), 10) +
           fixed_text(metrics.brier, 3) + "\n";
  }
  if (comparison.intervals) {
    out += intervals_text(*comparison.intervals, "");
  }
  if (comparison.persistence_fallbacks > 0 || comparison.copy_china_fallbacks > 0) {
    out += "(Yes predicted where the baseline has no vote to copy: persistence " +
           std::to_string(comparison.persistence_fallbacks) +
           " rows with no earlier recorded vote, copy_china " +
           std::to_string(comparison.copy_china_fallbacks) +
           " rows where China has no recorded vote)\n";
  }
  std::string header;
  for (const auto predictor : kPredictors) {
    header += pad_to(std::string(predictor), 12);
    if (predictor == kPredictors[kModel]) {
      header += pad_to("model 95%", 12);
    }
  }
  std::size_t width = 12;
  for (const auto& [resolution, scores] : comparison.per_resolution) {
    width = std::max(width, resolution.size() + 2);
  }
  out += "\naccuracy by resolution\n" + pad_to("resolution", width) + pad_to("rows", 6) + header +
         "\n";
  for (const auto& [resolution, scores] : comparison.per_resolution) {
    out += accuracy_line(resolution, width, scores);
  }
  constexpr std::size_t kMaxCountryLines = 30;
  if (comparison.per_country.size() <= kMaxCountryLines) {
    out += "\naccuracy by country\n" + pad_to("country", width) + pad_to("rows", 6) + header + "\n";
    for (const auto& [country, scores] : comparison.per_country) {
      out += accuracy_line(country, width, scores);
    }
  } else {
    out += "\n(" + std::to_string(comparison.per_country.size()) +
           " countries: per-country figures are in compare.csv and compare.json)\n";
  }
  out +=
      "(model 95%: Wilson interval over the rows of that resolution or country, taken as "
      "independent; for a resolution it is too narrow where blocs vote together)\n";
  return out;
}

}  // namespace multivector::results
