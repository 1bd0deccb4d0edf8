#include <filesystem>

#include "results/atomic_output.hpp"
#include "results/history.hpp"
#include "results/run_pipeline.hpp"
#include "results/run_writer.hpp"
#include "results/vote_table.hpp"
#include "sim/cli/cli.hpp"
#include "sim/input_files.hpp"

namespace multivector::cli {

void add_run_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string scenario;
    std::uint64_t seed = 0;
    std::string out_dir;
    std::string decisions = "modal";
    std::vector<std::string> history;
    bool no_trajectory = false;
    ScenarioOptions scenario_options;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "run", "Run a scenario and write votes, statements, trajectory, events and a manifest");
  command->footer(
      "With no SCENARIO, runs the built-in Central Asia 2022 scenario and prints its simulated\n"
      "votes beside the recorded ones. Outputs go to out/<scenario-id>/ unless --out is given;\n"
      "an existing folder is replaced only if it is empty or an earlier run (has manifest.json).\n"
      "\n"
      "Examples:\n"
      "  multivector run                                  the built-in scenario\n"
      "  multivector run --drop-event rus_note_hrc_2022_04_06 --out out/no_note\n"
      "                                                   what if Russia had not sent its note?\n"
      "  multivector run --set countries.KAZ.exposure.RUS.transit=0.3 --out out/bypass\n"
      "                                                   what if Kazakhstan's oil bypassed "
      "Russia?\n"
      "  multivector run scenarios/world_2022.yaml --params scenarios/world_2022_params.yaml\n"
      "                                                   all 193 members with fitted parameters\n"
      "  multivector run --decisions sample --seed 42     a seeded draw instead of modal choices\n"
      "Then: multivector compare, explain, diff, report (docs/history.md, docs/teaching.md).\n"
      "\n"
      "Exit status: 0 success, 1 failure while running, 2 bad input (scenario, --set,\n"
      "--drop-event, --params, recorded votes, an --out that cannot be used; nothing is written)\n"
      "or usage.");
  command->add_option("scenario", options->scenario,
                      "Scenario YAML (default: the built-in central_asia_2022.yaml)");
  // A negative seed would silently wrap around to a huge one.
  auto* seed =
      command->add_option("--seed", options->seed, "Random seed (default: the scenario's own seed)")
          ->check(whole_number());
  command->add_option("--out", options->out_dir, "Output directory (default out/<scenario-id>)");
  command
      ->add_option("--decisions", options->decisions,
                   "modal: each country takes its most likely option; sample: a seeded draw "
                   "from the choice probabilities")
      ->check(CLI::IsMember({"modal", "sample"}));
  command->add_option(
      "--history", options->history,
      "Recorded votes (tidy resolution,date,iso3,vote CSV or UN Digital Library CSV) to "
      "print beside the simulated ones (default: the scenario's compare_with; repeatable)");
  command->add_flag(
      "--no-trajectory", options->no_trajectory,
      "Record no trajectory and write no trajectory.csv (faster and smaller for large scenarios)");
  options->scenario_options.add_to(*command);

  command->callback([&context, options, seed] {
    context.action = [&context, options, seed]() -> int {
      const std::string path =
          options->scenario.empty() ? std::string(sim::kDefaultScenario) : options->scenario;
      sim::Scenario scenario = sim::load_scenario(path, options->scenario_options.load_options());
      warn_tags_without_intercepts(context, scenario);
      sim::RunOptions run_options;
      run_options.decisions =
          options->decisions == "sample" ? sim::DecisionMode::Sample : sim::DecisionMode::Modal;
      if (seed->count() > 0) {
        run_options.seed = options->seed;
      }
      // Read the comparison file before anything is written: bad input must leave no output.
      const std::vector<std::string> history_files =
          recorded_vote_files(options->history, scenario);
      // Read as compare and calibrate read them: unknown country codes are reported.
      const results::VoteHistory history =
          load_scenario_votes(context, options->history, scenario, path);
      const std::filesystem::path out_dir = options->out_dir.empty()
                                                ? std::filesystem::path("out") / scenario.info.id
                                                : std::filesystem::path(options->out_dir);
      // Before the run, so a folder of other files is refused without waiting for it.
      results::check_replaceable_directory(out_dir, results::kRunFolder,
                                           scenario_input_paths(scenario, history_files));
      context.log->debug("loaded {} ({} countries, {} powers, {} events, {} agenda items)", path,
                         scenario.countries.size(), scenario.powers.size(), scenario.events.size(),
                         scenario.agenda.size());
      results::SimulatedRun run =
          results::simulate(std::move(scenario), run_options, !options->no_trajectory);
      results::RunInfo info;
      info.seed = run.seed;
      info.decisions = run.decisions;
      info.command_line = context.arguments;
      info.compute_seconds = run.compute_seconds;
      results::write_run(*run.recorder, info, out_dir);

      context.out << run.scenario->info.name << " (" << run.scenario->info.id << "), seed "
                  << run.seed << ", " << options->decisions << " decisions";
      if (const std::string& params = run.scenario->applied_params_file(); !params.empty()) {
        context.out << ", fitted parameters from " << params;
      }
      context.out << "\n\n";
      results::VoteTableSummary summary;
      if (const std::string votes = results::format_vote_table(*run.recorder, history, summary);
          !votes.empty()) {
        context.out << votes << "\n";
      }
      const std::string statements = results::format_statement_table(*run.recorder);
      if (!statements.empty()) {
        context.out << statements << "\n";
      }
      context.out << "wrote " << out_dir.string() << "/{votes.csv,statements.csv,"
                  << (options->no_trajectory ? "" : "trajectory.csv,")
                  << "events.jsonl,manifest.json}\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
