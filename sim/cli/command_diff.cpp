#include "results/diff.hpp"
#include "results/run_directory.hpp"
#include "sim/cli/cli.hpp"

namespace multivector::cli {

namespace {

constexpr const char* kDiffFooter = R"(
Compares two run directories, typically a what-if (B) against its base (A): the inputs that
differ (scenario files, --set overrides, dropped events, parameters, seed), the events that
happened in one run only (a dropped event, a retaliation that was or was not triggered), and every
decision whose most likely option or probabilities moved, with the utility terms that account for
the move (for a changed choice: the change in the margin of the new option over the old one) and
the differing events addressed to that country before it decided.

Examples:
  multivector run --out out/base
  multivector run --drop-event rus_note_hrc_2022_04_06 --out out/no_note
  multivector diff out/base out/no_note
  multivector diff out/base out/no_note --json > diff.json
  multivector diff out/base out/tweak --threshold 0.01     only moves of more than 1 point

Exit status: 0 success (whether or not the runs differ), 1 failure, 2 bad input (a missing or
invalid run directory) or usage.)";

}  // namespace

void add_diff_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string run_a;
    std::string run_b;
    double threshold = 1e-9;
    bool json = false;
    int max_changes = 20;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("diff", "Show which decisions moved between two runs, and why");
  command->footer(kDiffFooter);
  command->add_option("run_a", options->run_a, "The base run directory")->required();
  command->add_option("run_b", options->run_b, "The run to compare with it (e.g. a what-if)")
      ->required();
  command
      ->add_option("--threshold", options->threshold,
                   "A probability or utility term counts as moved when it changes by more")
      ->capture_default_str()
      ->check(finite_non_negative_number());
  command->add_flag("--json", options->json, "Print the differences as JSON");
  command->add_option("--max", options->max_changes, "How many moved decisions to print")
      ->capture_default_str()
      ->check(finite_positive_number());

  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      const results::RunDirectory run_a = results::read_run_directory(options->run_a);
      const results::RunDirectory run_b = results::read_run_directory(options->run_b);
      log_warnings(context, run_a.warnings);
      log_warnings(context, run_b.warnings);
      results::DiffOptions diff_options;
      diff_options.threshold = options->threshold;
      const results::RunDiff diff = results::diff_runs(run_a, run_b, diff_options);
      if (options->json) {
        context.out << results::diff_json(diff).dump(2) << "\n";
      } else {
        context.out << results::format_diff(diff, options->max_changes);
      }
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
