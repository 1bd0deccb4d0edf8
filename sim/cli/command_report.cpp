#include <filesystem>

#include "results/atomic_output.hpp"
#include "results/report.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "sim/cli/cli.hpp"
#include "sim/input_files.hpp"

namespace multivector::cli {

void add_report_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string run_dir;
    std::string compare_dir;
    std::string output;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "report", "Write one self-contained HTML report of a run, with charts, for reading offline");
  command->footer(
      "The report holds the vote matrix (simulated beside recorded, mismatches marked), each\n"
      "country's leverage, credibility and orientation over time with the events, a chart of the\n"
      "utility terms of every decision with a plain-language explanation, and the event log.\n"
      "Recorded votes come from COMPARE_DIR/compare_rows.csv when --compare is given (with the\n"
      "accuracy table against the baselines and, from compare.json, how far resampling the\n"
      "resolutions moves the model's accuracy), else from the scenario's compare_with file.\n"
      "A --compare DIR that scored another run (its seed, scenario files, --set, dropped\n"
      "events or parameters differ) is an error: its accuracy does not describe this run.\n"
      "Example: multivector run && multivector report out/central_asia_2022\n\n"
      "Exit status: 0 success, 1 failure, 2 bad input (a run or comparison that cannot be read,\n"
      "a comparison of another run, an output that cannot be written or would replace a file\n"
      "the report reads: the run's files, its scenario, parameters and compare_with files, the\n"
      "--compare files; or an existing file that is not a web page) or usage.");
  command->add_option("run_dir", options->run_dir, "Run directory written by `multivector run`")
      ->required();
  command->add_option("--compare", options->compare_dir,
                      "Directory written by `multivector compare` (compare.json, "
                      "compare_rows.csv)");
  command->add_option("-o,--output", options->output,
                      "HTML file to write (default: RUN_DIR/report.html)");

  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      if (const std::string missing = results::missing_chart_libraries(); !missing.empty()) {
        context.err << "multivector: error: " << missing << "\n";
        return kExitFailure;
      }
      results::ReportInputs inputs;
      inputs.run_dir = options->run_dir;
      inputs.compare_dir = options->compare_dir;
      const std::filesystem::path output = options->output.empty()
                                               ? inputs.run_dir / "report.html"
                                               : std::filesystem::path(options->output);
      // Checked before the report is built: its output must not replace a file it reads.
      std::vector<std::filesystem::path> read_files = results::run_file_paths(inputs.run_dir);
      if (!inputs.compare_dir.empty()) {
        for (const char* name : {"compare.json", "compare_rows.csv", "compare.csv"}) {
          read_files.push_back(inputs.compare_dir / name);
        }
      }
      // The run's scenario and parameters files too: the report reloads them; and the recorded
      // votes its scenario names in compare_with, which the vote matrix shows.
      if (results::is_run_directory(inputs.run_dir)) {
        // Unchecked here: report_data reads the run in full and says what is wrong with its files.
        const nlohmann::json manifest = results::read_run_manifest_unchecked(inputs.run_dir);
        const results::RunRecipe recipe =
            results::run_recipe(manifest, (inputs.run_dir / "manifest.json").string());
        if (const std::string compare_with = results::run_compare_with(manifest);
            !compare_with.empty() && !sim::is_builtin_path(compare_with)) {
          read_files.emplace_back(compare_with);
        }
        for (const auto& [path, sha256] : recipe.files) {
          if (!sim::is_builtin_path(path)) {
            read_files.emplace_back(path);
          }
        }
        if (!recipe.load.params_file.empty()) {
          read_files.emplace_back(recipe.load.params_file);
        }
      }
      results::check_output_is_not_input(output, read_files);
      results::check_output_path(output);
      results::check_report_output_replaceable(output);
      std::vector<std::string> warnings;
      const nlohmann::ordered_json data = results::report_data(inputs, warnings);
      // The recorded votes as the reloaded scenario names them now (its compare_with may have
      // changed since the run): still nothing written.
      if (const auto source = data.find("recorded_source");
          source != data.end() && source->is_string() &&
          !sim::is_builtin_path(source->get<std::string>())) {
        results::check_output_is_not_input(output, {source->get<std::string>()});
      }
      for (const auto& warning : warnings) {
        context.log->warn("{}", warning);
      }
      const std::string html = results::render_report_html(data);
      results::write_file_atomically(output, html);
      context.out << "wrote " << output.string() << " (" << (html.size() + 512) / 1024
                  << " KiB, self-contained: open it in any browser, no network needed)\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
