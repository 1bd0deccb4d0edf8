#include "results/atomic_output.hpp"
#include "results/sweep_summary.hpp"
#include "sim/cli/cli.hpp"

namespace multivector::cli {

void add_sweep_summary_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string database;
    int top = 2;
    std::string csv;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "sweep-summary",
      "Summarise a sweep database: how often each option was chosen, with 95% intervals, and "
      "which varied parameters move each outcome most");
  command->footer(
      R"(Shares count the realised option of every finished run, per agenda item and country, with
the 95% Wilson score interval. Sensitivity is Spearman's rank correlation, across runs, between
each varied parameter and each option's probability; a parameter's strength for an item and
country is its largest |rho| over the options. Grid and Latin hypercube designs vary the
parameters independently, so each correlation is not confounded by the others.

Examples:
  multivector sweep-summary out/central_asia_2022-sweep.db
  multivector sweep-summary sweep.db --top 3 --csv out/summary
      also writes shares.csv, sensitivity.csv and manifest.csv (the sweep's seed, scenario
      hashes and overrides, and how many runs had finished) in out/summary

Exit status: 0 success, 1 failure, 2 a file that is not a sweep database, a --csv folder that
cannot be used, or usage.)");
  command->add_option("database", options->database, "Database written by `multivector sweep`")
      ->required();
  command
      ->add_option("--top", options->top,
                   "How many parameters to name for each item and country (default 2)")
      ->check(CLI::Range(1, 1000));
  command->add_option("--csv", options->csv,
                      "Also write DIR/shares.csv and DIR/sensitivity.csv (every option and "
                      "parameter), and DIR/manifest.csv (what was summarised)");

  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      if (!options->csv.empty()) {
        // Before the summary is printed: a bad --csv leaves standard output empty.
        results::check_replaceable_directory(options->csv, results::kSweepSummaryCsvFolder,
                                             {options->database});
      }
      const results::SweepSummary summary = results::summarise_sweep(options->database);
      context.out << results::format_sweep_summary(summary, options->top);
      if (!options->csv.empty()) {
        results::write_sweep_summary_csv(summary, options->csv);
        context.out << "\nwrote " << options->csv << "/{shares.csv,sensitivity.csv,manifest.csv}\n";
      }
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
