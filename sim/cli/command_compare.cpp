#include <filesystem>

#include "results/atomic_output.hpp"
#include "results/compare.hpp"
#include "results/history.hpp"
#include "results/provenance.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "sim/cli/cli.hpp"

namespace multivector::cli {

namespace {

constexpr const char* kCompareFooter = R"(
Joins the run's simulated votes with recorded ones on (resolution symbol, country) and scores
the model beside three baselines on the same rows: always Yes; persistence (the country's recorded
vote on the most recent earlier resolution of the same type, else the most recent one); and
China's recorded vote. Writes compare.csv, compare.json and compare_rows.csv (docs/history.md).
With two resolutions or more, 95% intervals of the overall figures come from resampling whole
resolutions (votes on one text share its surprises): how far another set of texts could move them.
They are printed, written to compare.json (overall_intervals) and to the overall rows of
compare.csv (accuracy_low ... model_accuracy_gain_high); --resamples 0 skips them. Accuracy by
resolution and by country comes with its 95% Wilson interval over that scope's rows (the table,
compare.csv rows with interval_method "wilson", accuracy_interval in compare.json), so a figure
over five votes shows how little it pins down.

--history accepts the tidy resolution,date,iso3,vote CSV or the UN Digital Library voting data CSV
(recognised from the header); repeat it to combine files. Without it, the scenario's compare_with
file recorded in the run's manifest is used.

Examples:
  multivector run && multivector compare out/central_asia_2022
  multivector compare out/central_asia_2022 --history my_votes.csv --out out/compare
  multivector compare out/world --history undl_2022.csv --history undl_2023.csv

Exit status: 0 success, 1 failure, 2 bad input (missing or invalid run directory, malformed
history file, an --out that is another run's folder or holds compare files no earlier comparison
wrote) or usage.)";

}  // namespace

void add_compare_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string run_dir;
    std::vector<std::string> history;
    std::string out_dir;
    std::string types = std::string(results::kDefaultResolutionTypes);
    int resamples = results::kDefaultResamples;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "compare", "Score a run's votes against recorded UN votes, beside baselines");
  command->footer(kCompareFooter);
  command->add_option("run_dir", options->run_dir, "Run directory written by `multivector run`")
      ->required();
  command->add_option("--history", options->history,
                      "Recorded votes: tidy CSV or UN Digital Library CSV (repeatable: a vote "
                      "two files give alike is read once; default: the run's compare_with)");
  command->add_option("--out", options->out_dir, "Where to write the files (default: RUN_DIR)");
  command
      ->add_option("--types", options->types,
                   "Resolution types (resolution,type CSV) for the persistence baseline")
      ->capture_default_str();
  command
      ->add_option("--resamples", options->resamples,
                   "Resamples of the joined resolutions for 95% intervals of the overall figures "
                   "(0: none)")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();

  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      const results::RunDirectory run = results::read_run_directory(options->run_dir);
      log_warnings(context, run.warnings);
      std::vector<std::string> history_files = options->history;
      if (history_files.empty()) {
        if (std::string compare_with = results::run_compare_with(run.manifest);
            !compare_with.empty()) {
          history_files.push_back(std::move(compare_with));
        }
      }
      if (history_files.empty()) {
        throw sim::InputError(sim::SourceLocation{options->run_dir, 0, 0},
                              "the run's manifest names no compare_with file; give --history");
      }
      const std::filesystem::path out_dir =
          std::filesystem::path(options->out_dir.empty() ? options->run_dir : options->out_dir);
      // Before the reading: an output over an input (--history DIR/compare.csv with --out DIR)
      // would be replaced by the scores read from it.
      std::vector<std::filesystem::path> read_files = results::run_file_paths(options->run_dir);
      read_files.insert(read_files.end(), history_files.begin(), history_files.end());
      read_files.emplace_back(options->types);
      results::check_output_files(
          {out_dir / "compare.csv", out_dir / "compare.json", out_dir / "compare_rows.csv"},
          read_files);
      results::check_compare_output(out_dir, options->run_dir);
      const results::VoteHistory history = load_recorded_votes(context, history_files);
      const results::ResolutionTypes types = results::load_resolution_types(options->types);
      const results::Comparison comparison =
          results::compare_run(run, history, types, options->resamples);
      for (const auto& line : comparison.unrecorded_resolutions) {
        context.log->warn("{}; its simulated votes are not scored", line);
      }

      if (comparison.rows.empty()) {
        throw sim::InputError(
            sim::SourceLocation{history_files.front(), 0, 0},
            "none of the run's simulated votes has a recorded vote here (joined on resolution "
            "symbol and country), so there is nothing to score: give --history files that "
            "record the run's resolutions, with symbols as the scenario's agenda writes them "
            "(e.g. A/RES/ES-11/1)");
      }
      nlohmann::ordered_json json = results::compare_json(comparison, run, history_files);
      nlohmann::ordered_json history_hashes = nlohmann::ordered_json::array();
      for (const auto& file : results::hashed_inputs(history_files)) {
        history_hashes.push_back(file.sha256);
      }
      json["history_sha256"] = history_hashes;
      results::write_files_atomically(
          {{out_dir / "compare.csv", results::compare_csv(comparison)},
           {out_dir / "compare.json", json.dump(2) + "\n"},
           {out_dir / "compare_rows.csv", results::compare_rows_csv(comparison)}});
      context.out << results::format_comparison(comparison) << "\nwrote " << out_dir.string()
                  << "/{compare.csv,compare.json,compare_rows.csv}\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
