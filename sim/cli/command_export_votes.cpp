#include <set>

#include "results/atomic_output.hpp"
#include "results/history.hpp"
#include "results/provenance.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "results/voeten.hpp"
#include "results/vote_export.hpp"
#include "sim/cli/cli.hpp"

namespace multivector::cli {

namespace {

constexpr const char* kExportFooter = R"(
Writes votes as resolution,date,iso3,vote CSV: a run's simulated (realised) votes, recorded
votes read with --history (tidy or UN Digital Library CSV), or the recorded votes on the
resolutions named with --voeten, read from Voeten's roll calls (1946-2019). --codes voeten
writes Voeten's numeric codes (1 yes, 2 abstain, 3 no, 8 absent); --codes letters writes Y, N,
A, NV, which `--history` reads back. Simulated items without a UN symbol keep their item id as
resolution.

--voeten takes the vote on the text as a whole (not on an amendment or a paragraph). Voeten
writes no row for a member that did not vote, nor who was a member: a state that voted on some
roll call of the same session, or of an earlier and of a later session, but not on this one is
written NV (a member in arrears or barred sat whole sessions out); one with no roll call before
or none after that session is left out, as are Syria in 1958-61 and Indonesia in 1965-66, when
they were not members. This is how to score a scenario on earlier recorded texts that are not
in scenarios/data/unga/votes.csv (docs/validation.md).

Examples:
  multivector export-votes out/central_asia_2022 -o simulated_voeten.csv
  multivector export-votes --history undl_votes.csv --codes letters -o tidy_votes.csv
  multivector export-votes out/world --codes letters         (to standard output)
  multivector export-votes --voeten 68/274 --voeten 69/286 --codes letters -o georgia.csv

Exit status: 0 success, 1 failure, 2 bad input (invalid run directory, history file or Voeten
file, a --voeten resolution without a roll call, or not exactly one of RUN_DIR, --history and
--voeten) or usage.)";

// A run's own provenance, from its manifest: the scenario files with their SHA-256, the seed,
// the --set overrides, the dropped events and the parameters file.
void provenance_from_run(const results::RunDirectory& run, results::OutputProvenance& provenance) {
  const results::RunRecipe recipe =
      results::run_recipe(run.manifest, (run.path / "manifest.json").string());
  provenance.run_dir = run.path.string();
  provenance.seed = recipe.run.seed;
  for (const auto& [path, sha256] : recipe.files) {
    provenance.scenario_files.push_back({path, sha256});
  }
  provenance.overrides = recipe.load.overrides;
  provenance.dropped_events = recipe.load.drop_events;
  provenance.params_file = recipe.load.params_file;
  provenance.settings["run_version"] = run.version();
}

}  // namespace

void add_export_votes_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string run_dir;
    std::vector<std::string> history;
    std::vector<std::string> voeten;
    std::string voeten_dir = "scenarios/data/voeten";
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
  command->add_option("--voeten", options->voeten,
                      "Recorded votes on this resolution from Voeten's roll calls instead (68/274, "
                      "A/RES/68/274 or R/68/274; repeatable)");
  command
      ->add_option("--voeten-dir", options->voeten_dir,
                   "Folder with un_votes.csv(.gz), un_roll_calls.csv(.gz) and "
                   "un_roll_call_issues.csv, for --voeten")
      ->capture_default_str();
  command->add_option("--codes", options->codes, "voeten (1/2/3/8) or letters (Y/N/A/NV)")
      ->capture_default_str()
      ->check(CLI::IsMember({"voeten", "letters"}));
  command->add_option("-o,--output", options->output,
                      "Output CSV (default: standard output); NAME.manifest.json beside it "
                      "records where the votes came from");

  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      const int sources = static_cast<int>(!options->run_dir.empty()) +
                          static_cast<int>(!options->history.empty()) +
                          static_cast<int>(!options->voeten.empty());
      if (sources != 1) {
        throw sim::InputError(sim::SourceLocation{"export-votes", 0, 0},
                              "give one of a RUN_DIR, --history or --voeten" +
                                  std::string(sources == 0 ? "" : ", not several"));
      }
      const bool to_file = !options->output.empty() && options->output != "-";
      if (to_file) {
        // Before reading: the output must not replace a file this command reads.
        std::vector<std::filesystem::path> read_files(options->history.begin(),
                                                      options->history.end());
        if (!options->run_dir.empty()) {
          const auto run_files = results::run_file_paths(options->run_dir);
          read_files.insert(read_files.end(), run_files.begin(), run_files.end());
        }
        if (!options->voeten.empty()) {
          const results::VoetenPaths paths = results::voeten_paths(options->voeten_dir);
          read_files.insert(read_files.end(), {paths.votes, paths.roll_calls, paths.issues});
        }
        results::check_output_files({options->output, results::provenance_path(options->output)},
                                    read_files);
        results::check_not_inside_run_folder(options->output);
      }
      // Where the votes came from, written beside an output file (standard output has no
      // beside; the run's or the files' own provenance is then the record).
      results::OutputProvenance provenance;
      provenance.command = "export-votes";
      provenance.command_line = results::command_line_text(context.arguments);
      provenance.settings["codes"] = options->codes;
      std::vector<results::RecordedVote> votes;
      if (!options->run_dir.empty()) {
        const results::RunDirectory run = results::read_run_directory(options->run_dir);
        log_warnings(context, run.warnings);
        votes = results::simulated_votes(run);
        provenance_from_run(run, provenance);
      } else if (!options->voeten.empty()) {
        const results::VoetenPaths paths = results::voeten_paths(options->voeten_dir);
        if (to_file) {
          provenance.vote_files =
              results::hashed_inputs({paths.votes, paths.roll_calls, paths.issues});
        }
        provenance.settings["voeten"] = options->voeten;
        const results::VoetenData voeten =
            results::load_voeten(paths.votes, paths.roll_calls, paths.issues);
        for (const std::string& message :
             results::describe_unknown_codes(voeten.unknown_countries)) {
          context.log->warn("{}", message);
        }
        votes = results::voeten_resolution_votes(voeten, options->voeten, paths.roll_calls);
        std::set<std::string> resolutions;  // a symbol asked twice is written, and counted, once
        for (const results::RecordedVote& vote : votes) {
          resolutions.insert(vote.resolution);
        }
        context.log->info("{} votes on {} resolutions from {}", votes.size(), resolutions.size(),
                          paths.votes);
      } else {
        const results::VoteHistory history = load_recorded_votes(context, options->history);
        votes = history.votes();
        if (to_file) {
          provenance.vote_files = results::hashed_inputs(options->history);
        }
      }
      const std::string csv = results::exported_votes_csv(
          std::move(votes),
          options->codes == "voeten" ? results::VoteCodes::Voeten : results::VoteCodes::Letters);
      if (!to_file) {
        context.out << csv;
      } else {
        provenance.columns = results::exported_votes_columns(
            options->codes == "voeten" ? results::VoteCodes::Voeten : results::VoteCodes::Letters);
        const std::filesystem::path manifest = results::provenance_path(options->output);
        results::write_files_atomically(
            {{options->output, csv},
             {manifest, results::provenance_json(provenance, options->output)}});
        context.log->info("wrote {} and {}", options->output, manifest.string());
      }
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
