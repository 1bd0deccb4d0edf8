#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "results/atomic_output.hpp"
#include "results/calibration.hpp"
#include "results/provenance.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "sim/cli/cli.hpp"
#include "sim/engine.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"

namespace multivector::cli {
namespace {

std::string metrics_row(const std::string& name, const results::Metrics& metrics) {
  char line[200];
  std::snprintf(line, sizeof line, "  %-12s %6d  %8.3f  %8.3f  %6.3f  %8.3f  %6.3f\n", name.c_str(),
                metrics.rows, metrics.accuracy, metrics.balanced_accuracy, metrics.kappa,
                metrics.log_loss, metrics.brier);
  return line;
}

std::string comparison_table(const std::string& title,
                             const results::BaselineComparison& comparison) {
  std::string out =
      title + "\n  predictor      rows  accuracy  balanced   kappa  log-loss   brier\n";
  out += metrics_row("model", comparison.model);
  out += metrics_row("always Yes", comparison.always_yes);
  out += metrics_row("persistence", comparison.persistence);
  out += metrics_row("copy China", comparison.copy_china);
  return out;
}

// What the held-out rows are: the folds, the --holdout resolutions, or both.
std::string held_out_title(std::size_t folds, results::Folds kind,
                           const std::vector<std::string>& holdout) {
  std::string title;
  if (folds > 0) {
    const char* plural = folds == 1 ? "" : "s";
    title = std::to_string(folds) +
            (kind == results::Folds::Forward
                 ? std::string(" forward fold") + plural +
                       (folds == 1 ? ", fitted" : ", each fitted") + " on earlier resolutions only"
                 : std::string(" leave-one-resolution-out fold") + plural);
  }
  if (!holdout.empty()) {
    title += std::string(title.empty() ? "" : " + ") + "--holdout";
    for (size_t index = 0; index < holdout.size(); ++index) {
      title += (index == 0 ? " " : ", ") + holdout[index];
    }
  }
  return title;
}

// --offset-tag values, checked as the loader checks parameters.decision.offset_tags.
std::vector<std::string> checked_offset_tags(const std::vector<std::string>& tags) {
  std::vector<std::string> checked;
  for (const auto& tag : tags) {
    if (!sim::is_valid_name(tag)) {
      throw sim::InputError(
          sim::SourceLocation{"--offset-tag " + tag, 0, 0},
          "'" + tag + "' is not a valid tag (" + std::string(sim::kNameRule) + ")");
    }
    if (std::find(checked.begin(), checked.end(), tag) == checked.end()) {
      checked.push_back(tag);
    }
  }
  return checked;
}

std::vector<results::HashedInput> scenario_files(const sim::Scenario& scenario) {
  std::vector<results::HashedInput> files;
  files.reserve(scenario.files.size());
  for (const auto& file : scenario.files) {
    files.push_back({file.path, file.sha256});
  }
  return files;
}

// What --predictions' CSV was made from: the inputs with their hashes, and every setting of the
// fit, so that the file can be remade (calibration is deterministic: nothing is drawn).
results::OutputProvenance predictions_provenance(const sim::Scenario& scenario,
                                                 const std::vector<results::HashedInput>& history,
                                                 const std::string& command_line,
                                                 const results::CalibrationOptions& calibration,
                                                 const std::vector<std::string>& holdout) {
  results::OutputProvenance provenance;
  provenance.command = "calibrate";
  provenance.command_line = command_line;
  provenance.scenario_files = scenario_files(scenario);
  provenance.vote_files = history;
  provenance.overrides = scenario.overrides;
  provenance.dropped_events = scenario.dropped_events;
  provenance.params_file = scenario.params_file;
  auto& settings = provenance.settings;
  settings["folds"] = calibration.folds == results::Folds::LeaveOneOut ? "loro"
                      : calibration.folds == results::Folds::Forward   ? "forward"
                                                                       : "none";
  if (calibration.folds == results::Folds::Forward) {
    settings["min_earlier"] = calibration.min_earlier;
  }
  settings["holdout"] = holdout;
  settings["country_offsets"] = calibration.country_offsets;
  settings["global_penalty"] = calibration.global_penalty;
  settings["country_penalty"] = calibration.country_penalty;
  settings["norm_penalty"] = calibration.norm_penalty;
  settings["drift_penalty"] = calibration.drift_penalty;
  settings["tag_penalty"] = calibration.tag_penalty;
  settings["offset_tags"] = scenario.parameters.decision.offset_tags;
  settings["offset_tag_orientation_penalty"] = calibration.offset_tag_orientation_penalty;
  settings["offset_tag_participation_penalty"] = calibration.offset_tag_participation_penalty;
  provenance.columns = results::held_out_csv_columns();
  return provenance;
}

// A fit the penalties cannot hold (tiny ones leave weights a direction the data do not pin) runs
// off to values `run --params` refuses, or to NaN; printed or written, it would look like a
// result. Refused before anything is printed or written.
void check_fit_is_usable(const sim::Scenario& scenario, const results::CalibrationResult& result) {
  constexpr std::size_t kValuesNamed = 10;
  const sim::SourceLocation where{"calibrate", 0, 0};
  sim::Diagnostics diagnostics;
  const std::vector<std::string> refused =
      sim::decision_parameters_out_of_range(scenario, result.parameters.decision);
  for (std::size_t index = 0; index < refused.size() && index < kValuesNamed; ++index) {
    diagnostics.error(where, "fitted " + refused[index] + ": run --params would refuse it");
  }
  if (refused.size() > kValuesNamed) {
    diagnostics.error(where, "... and " + std::to_string(refused.size() - kValuesNamed) +
                                 " more fitted values out of range");
  }
  if (!std::isfinite(result.fit.log_likelihood)) {
    diagnostics.error(where, "the fit's log-likelihood is not a number");
  }
  // A fold's own fit can run off while the final one holds.
  std::set<std::string> runaway_folds;
  for (const auto& prediction : result.held_out) {
    if (!std::all_of(prediction.probability.begin(), prediction.probability.end(),
                     [](double probability) { return std::isfinite(probability); })) {
      runaway_folds.insert(prediction.resolution);
    }
  }
  if (!runaway_folds.empty()) {
    std::string names;
    for (const auto& resolution : runaway_folds) {
      names += (names.empty() ? "" : ", ") + resolution;
    }
    diagnostics.error(where, "the held-out probabilities of " + names + " are not numbers");
  }
  if (diagnostics.empty()) {
    return;
  }
  diagnostics.error(where,
                    "the fit ran off, so nothing was written: the penalties are too small to hold "
                    "these weights; raise them (--country-penalty, --tag-penalty, --norm-penalty, "
                    "--drift-penalty; --help gives their defaults)");
  diagnostics.throw_if_any();
}

}  // namespace

void add_calibrate_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string scenario;
    std::vector<std::string> history;
    std::vector<std::string> holdout;
    std::string folds;
    int min_earlier = results::CalibrationOptions{}.min_earlier;
    std::string output;
    bool no_country_offsets = false;
    double country_penalty = results::CalibrationOptions{}.country_penalty;
    double norm_penalty = results::CalibrationOptions{}.norm_penalty;
    double drift_penalty = results::CalibrationOptions{}.drift_penalty;
    double tag_penalty = results::CalibrationOptions{}.tag_penalty;
    std::vector<std::string> offset_tags;
    bool no_offset_tags = false;
    double offset_tag_orientation_penalty =
        results::CalibrationOptions{}.offset_tag_orientation_penalty;
    double offset_tag_participation_penalty =
        results::CalibrationOptions{}.offset_tag_participation_penalty;
    std::vector<std::string> focus_countries;
    std::string predictions;
    int resamples = results::CalibrationOptions{}.resamples;
    ScenarioOptions scenario_options;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "calibrate", "Fit the decision rule to recorded votes, with held-out validation");
  command->footer(
      "History is replayed through the scenario (every country does what it recorded) and the\n"
      "weights of the decision rule — and, penalised, each country's orientation, participation\n"
      "and norm offsets, the drift of its orientation, and its orientation and participation on\n"
      "the items of each offset tag (parameters.decision.offset_tags, or --offset-tag) — are\n"
      "fitted by maximum likelihood (Newton's method). Weights whose\n"
      "sign is their meaning (participation, orientation, persistence, leverage, norms) stay at\n"
      "zero or above: one the votes pull below zero is held at zero and named. --folds loro\n"
      "leaves each resolution out in turn, fits on the others and predicts it, beside the\n"
      "always-Yes, persistence and copy-China baselines on the same rows, with 95% intervals\n"
      "from resampling the held-out resolutions (how far another set of texts could move\n"
      "the figures). --folds forward predicts each resolution from a fit on the resolutions\n"
      "voted before its date only — a forecast made the day before — so it measures how the\n"
      "model does on texts still to come; the earliest resolution is not scored, nor any with\n"
      "fewer than --min-earlier resolutions before it.\n\n"
      "Examples:\n"
      "  multivector calibrate scenarios/world_2022.yaml --history scenarios/data/unga/votes.csv "
      "\\\n"
      "      --folds loro -o world_params.yaml\n"
      "  multivector calibrate scenarios/world_2022.yaml --folds forward\n"
      "  multivector run --params world_params.yaml scenarios/world_2022.yaml\n\n"
      "Exit status: 0 success, 1 failure, 2 bad input (malformed scenario or history, no recorded\n"
      "vote to fit, unknown --focus country, an output that cannot be written or would replace an\n"
      "input: all found before the fit, and nothing is written) or usage.");
  command->add_option("scenario", options->scenario, "Scenario YAML")->required();
  command->add_option("--history", options->history,
                      "Recorded votes: the tidy resolution,date,iso3,vote CSV or the UN Digital "
                      "Library voting CSV (repeatable: a vote two files give alike is read once); "
                      "default: the scenario's compare_with file");
  command->add_option(
      "--holdout", options->holdout,
      "A resolution (item id or symbol: A/RES/77/229, 77/229) to keep out of the "
      "fit and predict (repeatable; each is predicted knowing the recorded votes on "
      "the others)");
  command
      ->add_option("--folds", options->folds,
                   "loro: leave each resolution out in turn; forward: predict each resolution "
                   "from the earlier ones only")
      ->check(CLI::IsMember({"loro", "forward"}));
  CLI::Option* min_earlier =
      command
          ->add_option("--min-earlier", options->min_earlier,
                       "With --folds forward: score only resolutions with at least this many "
                       "recorded resolutions before them")
          ->check(CLI::Range(1, 1'000'000))
          ->capture_default_str();
  command->add_option("-o,--output", options->output,
                      "Parameters YAML to write (for run --params)");
  command->add_flag("--no-country-offsets", options->no_country_offsets,
                    "Fit only the global weights");
  command
      ->add_option("--country-penalty", options->country_penalty,
                   "Ridge penalty on each country offset")
      ->check(finite_positive_number())
      ->capture_default_str();
  command->add_option("--tag-penalty", options->tag_penalty, "Ridge penalty on tag intercepts")
      ->check(finite_positive_number())
      ->capture_default_str();
  command
      ->add_option("--norm-penalty", options->norm_penalty,
                   "Ridge penalty on each country's norm offsets")
      ->check(finite_positive_number())
      ->capture_default_str();
  command
      ->add_option("--drift-penalty", options->drift_penalty,
                   "Ridge penalty on each country's drift of orientation per year (measured from "
                   "the middle of the record; larger holds each country's lean steadier)")
      ->check(finite_positive_number())
      ->capture_default_str();
  CLI::Option* offset_tag = command->add_option(
      "--offset-tag", options->offset_tags,
      "Fit each country's orientation and participation apart on items with this tag "
      "(repeatable; replaces the scenario's parameters.decision.offset_tags)");
  command
      ->add_flag("--no-offset-tags", options->no_offset_tags,
                 "Fit no offsets by tag, whatever the scenario lists")
      ->excludes(offset_tag);
  command
      ->add_option("--offset-tag-orientation-penalty", options->offset_tag_orientation_penalty,
                   "Ridge penalty on each country's orientation offset on an offset tag's items")
      ->check(finite_positive_number())
      ->capture_default_str();
  command
      ->add_option("--offset-tag-participation-penalty", options->offset_tag_participation_penalty,
                   "Ridge penalty on each country's participation offset on an offset tag's items")
      ->check(finite_positive_number())
      ->capture_default_str();
  command
      ->add_option("--focus", options->focus_countries,
                   "Also report held-out accuracy for these countries (comma-separated ISO3)")
      ->delimiter(',');
  command->add_option("--predictions", options->predictions,
                      "Write every held-out prediction beside the baselines as CSV, with "
                      "NAME.manifest.json beside it (inputs, settings, columns)");
  command
      ->add_option("--resamples", options->resamples,
                   "Resamples of the held-out resolutions for 95% intervals of the held-out "
                   "figures (0: none)")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  options->scenario_options.add_to(*command);
  command->callback([&context, options, min_earlier] {
    // Said rather than ignored: a leave-one-out run does not skip any resolution.
    if (min_earlier->count() > 0 && options->folds != "forward") {
      throw CLI::ValidationError("--min-earlier", "only applies with --folds forward");
    }
    // Without either, nothing is held out and the file would hold a header only.
    if (!options->predictions.empty() && options->folds.empty() && options->holdout.empty()) {
      throw CLI::ValidationError("--predictions",
                                 "writes held-out predictions: add --folds loro, --folds forward "
                                 "or --holdout RESOLUTION");
    }
    context.action = [&context, options]() -> int {
      sim::LoadOptions load = options->scenario_options.load_options();
      // The scenario's own parameters file is what a fit writes, not where it starts: the same
      // inputs must give the same fit however often it is run.
      load.read_scenario_params = false;
      sim::Scenario scenario = sim::load_scenario(options->scenario, load);
      if (!scenario.info.params.empty() && options->scenario_options.params_file.empty()) {
        context.log->info("not reading the scenario's parameters file {}: calibrate fits them",
                          scenario.info.params);
      }
      if (options->no_offset_tags) {
        scenario.parameters.decision.offset_tags.clear();
      } else if (!options->offset_tags.empty()) {
        scenario.parameters.decision.offset_tags = checked_offset_tags(options->offset_tags);
      }
      const std::vector<std::string> history_files =
          recorded_vote_files(options->history, scenario);
      // Found now rather than after a fit of many seconds; no output may replace an input (a
      // parameters file written over the scenario, predictions over the recorded votes).
      std::vector<std::filesystem::path> outputs_to_write;
      if (!options->output.empty()) {
        outputs_to_write.emplace_back(options->output);
      }
      if (!options->predictions.empty()) {
        outputs_to_write.emplace_back(options->predictions);
        outputs_to_write.push_back(results::provenance_path(options->predictions));
      }
      results::check_output_files(outputs_to_write, scenario_input_paths(scenario, history_files));
      for (const auto& output : outputs_to_write) {
        results::check_not_inside_run_folder(output);
      }
      for (const auto& country : options->focus_countries) {
        if (scenario.find_country(country) < 0) {
          std::vector<std::string> ids;
          for (const auto& declared : scenario.countries) {
            ids.push_back(declared.id);
          }
          throw sim::InputError(sim::SourceLocation{"--focus " + country, 0, 0},
                                "the scenario has no country '" + country + "'" +
                                    sim::suggestion(country, ids) +
                                    " (ISO3 codes in capitals, comma-separated, e.g. KAZ,KGZ)");
        }
      }
      if (history_files.empty()) {
        throw sim::InputError(sim::SourceLocation{options->scenario, 0, 0},
                              "no recorded votes: give --history FILE (or compare_with in the "
                              "scenario)");
      }
      // Tidy or UN Digital Library files; a country given two different votes on one resolution
      // across files is an error rather than a silent choice of one.
      const results::VoteHistory history =
          load_scenario_votes(context, options->history, scenario, options->scenario);
      // One text named twice (ES-11/3 and A/RES/ES-11/3) is held out once, and said once in the
      // table's title and the predictions' provenance. An unknown name is kept for calibrate's
      // own error.
      std::vector<std::string> holdout;
      std::set<sim::Index> held_out_items;
      for (const auto& name : options->holdout) {
        const sim::Index item = scenario.find_item_or_resolution(name);
        if (item < 0 || held_out_items.insert(item).second) {
          holdout.push_back(name);
        }
      }
      results::CalibrationOptions calibration;
      calibration.holdout = holdout;
      calibration.folds = options->folds == "loro"      ? results::Folds::LeaveOneOut
                          : options->folds == "forward" ? results::Folds::Forward
                                                        : results::Folds::None;
      calibration.min_earlier = options->min_earlier;
      calibration.country_offsets = !options->no_country_offsets;
      calibration.country_penalty = options->country_penalty;
      calibration.norm_penalty = options->norm_penalty;
      calibration.drift_penalty = options->drift_penalty;
      calibration.tag_penalty = options->tag_penalty;
      calibration.offset_tag_orientation_penalty = options->offset_tag_orientation_penalty;
      calibration.offset_tag_participation_penalty = options->offset_tag_participation_penalty;
      calibration.resamples = options->resamples;
      const bool terminal = context.stderr_is_terminal;
      calibration.progress = [&context, terminal](int done, int total, const std::string& what) {
        if (terminal) {
          context.err << "\rcalibrating: " << done << "/" << total << " fits (" << what << ")   "
                      << (done == total ? "\n" : "") << std::flush;
        } else {
          context.log->debug("fit {}/{} ({})", done, total, what);
        }
      };
      const auto started = std::chrono::steady_clock::now();
      const results::CalibrationResult result = results::calibrate(scenario, history, calibration);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

      if (result.fit.rows == 0) {
        throw sim::InputError(
            sim::SourceLocation{history_files.front(), 0, 0},
            "no recorded vote is on a resolution of the scenario's agenda outside --holdout, so "
            "there is nothing to fit: the history's resolution symbols must match the agenda "
            "items' `resolution:` fields (e.g. A/RES/ES-11/1), and at least one must be left in");
      }
      check_fit_is_usable(scenario, result);
      for (const auto& line : result.unrecorded_holdout) {
        context.log->warn("--holdout {}; nothing to score there", line);
      }
      for (const auto& unfitted : result.unfitted_holdout_tags) {
        context.log->warn("held out: {}", sim::describe_tag_without_intercept(
                                              unfitted, result.parameters.decision));
      }
      if (!result.unrecorded_items.empty()) {
        std::string holdout_options;
        for (const auto& [line, name] : result.unrecorded_items) {
          context.log->warn("{}; the replay simulates it, and those votes shape the fit", line);
          holdout_options += " --holdout " + results::shell_quote(name);
        }
        // Simulated votes feed later texts' persistence and habit terms, so the fit depends on
        // what the model guessed there; a held-out item is removed from the replay instead.
        context.log->warn(
            "agenda votes without recorded votes are simulated inside the replay, where they feed "
            "the persistence and habit terms of later texts; to keep them out of the fit and "
            "predict them, add{}",
            holdout_options);
      }
      for (const auto& tag : result.idle_offset_tags) {
        context.log->warn(
            "offset tag '{}' is on no agenda item with recorded votes, so its offsets stay at "
            "zero (a misspelt tag? the agenda's tags are in the scenario's agenda: items)",
            tag);
      }
      if (!result.fit.converged) {
        // Written all the same: the file says `converged: false`, and the last iterate is often
        // close; but a reader of stdout alone would not know to distrust it.
        context.log->warn(
            "the fit did not converge in {} Newton iterations; the parameters written are its "
            "last iterate (calibration: converged: false); raising the penalties "
            "(--country-penalty, --tag-penalty, --norm-penalty, --drift-penalty) usually helps",
            result.fit.iterations);
      }
      context.out << "fitted on " << result.fit.rows << " recorded decisions in "
                  << result.fit.iterations << " Newton iterations"
                  << (result.fit.converged ? "" : " (NOT converged)") << ", log-likelihood "
                  << result.fit.log_likelihood << "; in-sample accuracy "
                  << result.training.accuracy << "\n";
      if (!result.fit.held_at_zero.empty()) {
        context.out << "held at zero (the data pull them below it, which would turn their term "
                       "around):";
        for (const auto& weight : result.fit.held_at_zero) {
          context.out << " " << weight;
        }
        context.out << "\n";
      }
      if (const auto pinned = results::held_at_zero_in_folds(result); !pinned.empty()) {
        context.out << "held at zero in the folds' own fits (of " << result.fold_fits.size()
                    << "):";
        for (const auto& count : pinned) {
          context.out << " " << count.weight << " " << count.folds;
        }
        context.out << "\n";
      }
      if (const auto unconverged = std::count_if(
              result.fold_fits.begin(), result.fold_fits.end(),
              [](const results::FitSummary& fold_fit) { return !fold_fit.converged; });
          unconverged > 0) {
        context.log->warn(
            "{} of the {} folds' fits did not converge; their held-out figures "
            "come from the last iterate",
            unconverged, result.fold_fits.size());
      }
      if (result.held_out.empty() && calibration.folds == results::Folds::Forward) {
        context.log->warn(
            "no resolution has {} recorded resolution{} before it, so --folds forward scored "
            "nothing; lower --min-earlier",
            options->min_earlier, options->min_earlier == 1 ? "" : "s");
      }
      if (!result.held_out.empty()) {
        context.out << "\n"
                    << comparison_table(
                           "held out (" +
                               held_out_title(result.folds.size(), calibration.folds, holdout) +
                               "):",
                           results::compare_held_out(result.held_out));
        if (!result.unscored.empty()) {
          context.out << "  not scored (fewer than " << options->min_earlier
                      << " recorded resolution" << (options->min_earlier == 1 ? "" : "s")
                      << " before them to fit on):";
          for (const auto& resolution : result.unscored) {
            context.out << " " << resolution;
          }
          context.out << "\n";
        }
        if (result.intervals) {
          context.out << results::intervals_text(*result.intervals, "  ");
        } else if (options->resamples > 0) {
          context.out << "  (no interval: resampling needs two held-out resolutions or more)\n";
        }
        if (!options->focus_countries.empty()) {
          const auto& focus = options->focus_countries;
          context.out << "\n"
                      << comparison_table(
                             "held out, countries " +
                                 [&] {
                                   std::string list;
                                   for (const auto& country : focus) {
                                     list += (list.empty() ? "" : ",") + country;
                                   }
                                   return list;
                                 }() +
                                 ":",
                             results::compare_held_out(
                                 result.held_out, [&](const results::HeldOutPrediction& row) {
                                   return std::find(focus.begin(), focus.end(), row.country) !=
                                          focus.end();
                                 }));
        }
        context.out << "\nheld-out accuracy by resolution (model / persistence; the model's 95% "
                       "Wilson interval over the resolution's votes):\n";
        for (const auto& [resolution, comparison] :
             results::compare_held_out_by_resolution(result.held_out)) {
          const results::Interval interval = results::accuracy_wilson_interval(comparison.model);
          char line[160];
          std::snprintf(line, sizeof line, "  %-16s %6.3f / %6.3f   %.2f-%.2f\n",
                        resolution.c_str(), comparison.model.accuracy,
                        comparison.persistence.accuracy, interval.low, interval.high);
          context.out << line;
        }
      }
      context.out << "\ncalibration took " << seconds << " s\n";
      std::vector<results::OutputFile> outputs;
      const std::string command_line = results::command_line_text(context.arguments);
      const std::vector<results::HashedInput> hashed_history =
          results::hashed_inputs(history_files);
      if (!options->predictions.empty()) {
        outputs.push_back({options->predictions, results::held_out_csv(result.held_out)});
        outputs.push_back(
            {results::provenance_path(options->predictions),
             results::provenance_json(predictions_provenance(scenario, hashed_history, command_line,
                                                             calibration, holdout),
                                      options->predictions)});
      }
      if (!options->output.empty()) {
        std::string history_list;
        for (const auto& file : hashed_history) {
          history_list +=
              (history_list.empty() ? "" : ", ") + file.path + " (sha256 " + file.sha256 + ")";
        }
        std::string scenario_list;
        for (const auto& file : scenario.files) {
          scenario_list +=
              (scenario_list.empty() ? "" : ", ") + file.path + " (sha256 " + file.sha256 + ")";
        }
        // The fit used these inputs, so running with its parameters means the same ones.
        std::string same_inputs;
        for (const auto& argument :
             results::scenario_option_arguments("", scenario.overrides, scenario.dropped_events)) {
          same_inputs += " " + argument;
        }
        std::vector<std::string> header = {
            "Written by `multivector calibrate` " + results::program_version() + ":",
            "  " + command_line, "Scenario: " + scenario_list + ".",
            "Recorded votes: " + history_list + "."};
        if (!scenario.overrides.empty() || !scenario.dropped_events.empty()) {
          header.push_back("Fitted with:" + same_inputs);
        }
        header.push_back("Use with: multivector run --params " +
                         results::shell_quote(options->output) + same_inputs + " " +
                         results::shell_quote(options->scenario));
        outputs.push_back({options->output, results::parameters_yaml(scenario, result, header)});
      }
      results::write_files_atomically(outputs);
      for (const auto& file : outputs) {
        context.out << "wrote " << file.path.string() << "\n";
      }
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
