#include <chrono>

#include "results/atomic_output.hpp"
#include "results/country_codes.hpp"
#include "results/priors.hpp"
#include "results/provenance.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "sim/cli/cli.hpp"
#include "sim/sha256.hpp"

namespace multivector::cli {

void add_derive_priors_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string voeten_dir = "scenarios/data/voeten";
    std::vector<std::string> history;
    std::string before;
    std::string output;
    std::string csv;
    std::vector<std::string> countries;
    std::string exclude;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "derive-priors",
      "Derive each country's orientation and participation priors from votes cast before a date");
  command->footer(
      "orientation.prior = (Y−N count on the recorded votes + 5 × Voeten human-rights line)\n"
      "                    / (votes cast + 5)\n"
      "stay_out          = mean of the Voeten absence rate (last 10 years of data) and the\n"
      "                    not-voting share of the recorded votes (absence rate alone without "
      "them)\n"
      "See docs/priors.md. Example (the world scenario's priors):\n"
      "  multivector derive-priors --before 2014-03-01 -o scenarios/world_2022_priors.yaml\n"
      "  multivector derive-priors --before 2022-02-20 --history scenarios/data/unga/votes.csv \\\n"
      "      --countries KAZ,KGZ,TJK,UZB,TKM -o ca_priors.yaml\n\n"
      "A country with no vote before --before (a state admitted later) gets 0 and 0 by default,\n"
      "not by measurement; a warning names it.\n\n"
      "Exit status: 0 success, 1 failure, 2 bad input (malformed Voeten or history file, bad date\n"
      "or country code, an output that cannot be written; nothing is written) or usage.");
  command
      ->add_option("--voeten-dir", options->voeten_dir,
                   "Folder with un_votes.csv(.gz), un_roll_calls.csv(.gz) and "
                   "un_roll_call_issues.csv")
      ->capture_default_str();
  command->add_option("--history", options->history,
                      "Recorded votes on the scenario's subject (tidy resolution,date,iso3,vote "
                      "CSV or UN Digital Library CSV; repeatable); only rows before --before are "
                      "used");
  command->add_option("--before", options->before, "Use only votes strictly before this date")
      ->required();
  command->add_option("-o,--output", options->output, "YAML file with a countries: section")
      ->required();
  command->add_option(
      "--csv", options->csv,
      "Also write every component as CSV (and NAME.manifest.json: inputs and columns)");
  command->add_option("--exclude", options->exclude,
                      "Recorded-votes CSV (tidy or UN Digital Library) whose resolutions are left "
                      "out of Voeten's roll calls "
                      "(so the votes a scenario is judged on never reach its priors)");
  command
      ->add_option("--countries", options->countries,
                   "ISO3 codes (default: the 193 UN members of 2022)")
      ->delimiter(',');
  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      const auto before = sim::parse_date(options->before);
      if (!before) {
        throw sim::InputError(sim::SourceLocation{"--before " + options->before, 0, 0},
                              "expected a date as YYYY-MM-DD");
      }
      // Checked before Voeten's 870,000 rows are read, so a typo fails at once.
      for (const auto& country : options->countries) {
        if (results::find_country_code(country) == nullptr) {
          throw sim::InputError(sim::SourceLocation{"--countries", 0, 0},
                                "unknown country code '" + country + "'");
        }
      }
      const results::VoetenPaths paths = results::voeten_paths(options->voeten_dir);
      std::vector<std::string> inputs = {paths.votes, paths.roll_calls, paths.issues};
      inputs.insert(inputs.end(), options->history.begin(), options->history.end());
      if (!options->exclude.empty()) {
        inputs.push_back(options->exclude);
      }
      // Before the reading: neither output may replace an input (--csv over a --history file).
      std::vector<std::filesystem::path> outputs_to_write = {options->output};
      if (!options->csv.empty()) {
        outputs_to_write.emplace_back(options->csv);
        outputs_to_write.push_back(results::provenance_path(options->csv));
      }
      results::check_output_files(outputs_to_write, {inputs.begin(), inputs.end()});
      for (const auto& output : outputs_to_write) {
        results::check_not_inside_run_folder(output);
      }
      const auto started = std::chrono::steady_clock::now();
      const results::VoetenData voeten =
          results::load_voeten(paths.votes, paths.roll_calls, paths.issues);
      for (const std::string& message : results::describe_unknown_codes(voeten.unknown_countries)) {
        context.log->warn("{}", message);
      }
      // Read as compare and calibrate read them: unknown country codes are reported.
      const results::VoteHistory history = load_recorded_votes(context, options->history);
      results::PriorSettings settings;
      settings.before = *before;
      if (!options->exclude.empty()) {
        settings.excluded_resolutions = results::load_history(options->exclude).resolutions();
      }
      const auto priors = results::derive_priors(
          voeten, options->history.empty() ? nullptr : &history, settings, options->countries);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::vector<std::string> provenance = {
          "Written by `multivector derive-priors` " + results::program_version() +
              " — do not edit by hand; regenerate with:",
          "  " + results::command_line_text(context.arguments),
          "Votes before " + options->before + " only. Formula: docs/priors.md.",
          "Inputs: " + paths.votes + " (" + std::to_string(voeten.votes.size()) + " votes), " +
              paths.roll_calls + " (" + std::to_string(voeten.roll_calls.size()) +
              " roll calls), " + paths.issues + [&] {
                std::string files;
                for (const auto& file : options->history) {
                  files += ", " + file;
                }
                return files;
              }()};
      // The bytes each figure came from, as sha256sum prints them.
      const std::vector<results::HashedInput> hashed = results::hashed_inputs(inputs);
      provenance.emplace_back("SHA-256 of the inputs (as sha256sum prints them):");
      for (const auto& input : hashed) {
        provenance.push_back("  " + input.sha256 + "  " + input.path);
      }
      std::string no_orientation_data;
      std::string no_absence_data;
      for (const auto& prior : priors) {
        if (prior.human_rights_roll_calls == 0 && prior.recorded_cast == 0) {
          no_orientation_data += (no_orientation_data.empty() ? "" : ", ") + prior.iso3;
        }
        if (prior.window_roll_calls == 0 && prior.recorded_rows == 0) {
          no_absence_data += (no_absence_data.empty() ? "" : ", ") + prior.iso3;
        }
      }
      // Said, because a prior of 0 from no votes reads like a measured neutral lean.
      if (!no_orientation_data.empty()) {
        context.log->warn(
            "no vote before {} to derive an orientation from for {}: their prior is 0 "
            "(neutral) by default, not measured; set it in the scenario from another source",
            options->before, no_orientation_data);
      }
      if (!no_absence_data.empty()) {
        context.log->warn(
            "no roll call before {} to measure absence on for {}: their stay_out is 0 by "
            "default, not measured",
            options->before, no_absence_data);
      }
      std::vector<results::OutputFile> outputs = {
          {options->output, results::priors_yaml(priors, provenance)}};
      if (!options->csv.empty()) {
        outputs.push_back({options->csv, results::priors_csv(priors)});
        results::OutputProvenance csv_provenance;
        csv_provenance.command = "derive-priors";
        csv_provenance.command_line = results::command_line_text(context.arguments);
        csv_provenance.vote_files = hashed;
        csv_provenance.settings["before"] = options->before;
        csv_provenance.settings["countries"] = options->countries;
        csv_provenance.settings["formula"] = "docs/priors.md";
        csv_provenance.columns = results::priors_csv_columns();
        outputs.push_back({results::provenance_path(options->csv),
                           results::provenance_json(csv_provenance, options->csv)});
      }
      results::write_files_atomically(outputs);
      context.out << "derived priors of "
                  << results::counted(static_cast<std::int64_t>(priors.size()), "country",
                                      "countries")
                  << " from " << voeten.votes.size() << " votes on " << voeten.roll_calls.size()
                  << " roll calls in " << seconds << " s; wrote " << options->output;
      if (!options->csv.empty()) {
        context.out << ", " << options->csv << " and "
                    << results::provenance_path(options->csv).string();
      }
      context.out << "\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
