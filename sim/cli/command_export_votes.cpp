#include "results/atomic_output.hpp"
#include "results/history.hpp"
#include "results/run_directory.hpp"
#include "results/vote_export.hpp"
#include "sim/cli/cli.hpp"

namespace multivector::cli {

namespace {

constexpr const char* kExportFooter = R"(
Writes votes as resolution,date,iso3,vote CSV: a run's simulated (realised) votes, or recorded
votes read with --history (tidy or UN Digital Library CSV). --codes voeten writes Voeten's
numeric codes (1 yes, 2 abstain, 3 no, 8 absent); --codes letters writes Y, N, A, NV, which
`--history` reads back. Simulated items without a UN symbol keep their item id as resolution.

Examples:
  multivector export-votes out/central_asia_2022 -o simulated_voeten.csv
  multivector export-votes --history undl_votes.csv --codes letters -o tidy_votes.csv
  multivector export-votes out/world --codes letters         (to standard output)

Exit status: 0 success, 1 failure, 2 bad input (invalid run directory or history file, or
neither or both of RUN_DIR and --history) or usage.)";

}  // namespace

void add_export_votes_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string run_dir;
    std::vector<std::string> history;
    std::string codes = "voeten";
    std::string output;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "export-votes", "Write simulated or recorded votes as CSV, with Voeten's codes or letters");
  command->footer(kExportFooter);
  command->add_option("run_dir", options->run_dir, "Run directory whose simulated votes to write");
  command->add_option("--history", options->history,
                      "Recorded votes to write instead (repeatable)");
  command->add_option("--codes", options->codes, "voeten (1/2/3/8) or letters (Y/N/A/NV)")
      ->capture_default_str()
      ->check(CLI::IsMember({"voeten", "letters"}));
  command->add_option("-o,--output", options->output, "Output CSV (default: standard output)");

  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      if (options->run_dir.empty() == options->history.empty()) {
        throw sim::InputError(sim::SourceLocation{"export-votes", 0, 0},
                              "give either a RUN_DIR or --history, not both or neither");
      }
      std::vector<results::RecordedVote> votes;
      if (!options->run_dir.empty()) {
        votes = results::simulated_votes(results::read_run_directory(options->run_dir));
      } else {
        const results::VoteHistory history = load_recorded_votes(context, options->history);
        votes = history.votes();
      }
      const std::string csv = results::exported_votes_csv(
          std::move(votes),
          options->codes == "voeten" ? results::VoteCodes::Voeten : results::VoteCodes::Letters);
      if (options->output.empty() || options->output == "-") {
        context.out << csv;
      } else {
        results::write_file_atomically(options->output, csv);
        context.log->info("wrote {}", options->output);
      }
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
