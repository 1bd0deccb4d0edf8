#include <chrono>
#include <filesystem>

#include "results/explain.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "sim/cli/cli.hpp"
#include "sim/cli/progress_bar.hpp"

namespace multivector::cli {

namespace {

constexpr const char* kExplainFooter = R"(
Explains one decision: each option's probability; every utility term in words, with leverage split
by the channel it runs through and threats named by their event; the events that moved the
decision most (the run repeated without each one); and the smallest change of a single input —
an exposure, a substitutability, a channel weight, an event's magnitude or credibility, the
item's salience — or the removal of one event that changes the most likely option (searched
within each input's valid range; docs/history.md).

With a RUN_DIR, the run is rebuilt from its manifest (scenario files, overrides, dropped events,
parameters file, seed, decision mode); --set, --drop-event and --params then apply on top.

Examples:
  multivector explain out/central_asia_2022 --country TJK --item ES-11/3
  multivector explain builtin:central_asia_2022.yaml --country KAZ --item ES-11/1 --json
  multivector explain out/central_asia_2022 --country UZB --item ES-11/1 \
      --drop-event rus_uzb_transit_pressure_2022_03
  multivector explain my.yaml --country KGZ --item ES-11/4 --no-search   (faster)

Exit status: 0 success, 1 failure, 2 bad input (unknown country or item, invalid run directory or
scenario) or usage.)";

}  // namespace

void add_explain_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string target;
    std::string country;
    std::string item;
    std::uint64_t seed = 0;
    std::string decisions = "modal";
    bool json = false;
    bool no_search = false;
    bool no_events = false;
    int top = 5;
    ScenarioOptions scenario_options;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("explain", "Explain why a country chose what it chose on one item");
  command->footer(kExplainFooter);
  command->add_option("target", options->target, "A run directory or a scenario YAML")->required();
  command->add_option("--country", options->country, "Country id (ISO 3166-1 alpha-3)")->required();
  command
      ->add_option("--item", options->item,
                   "Agenda item id or resolution symbol, e.g. ES-11/3 or A/RES/ES-11/3")
      ->required();
  auto* seed = command->add_option("--seed", options->seed,
                                   "Random seed (default: the run's or the scenario's own seed)");
  auto* decisions =
      command
          ->add_option("--decisions", options->decisions,
                       "modal or sample (default: the run's mode, or modal for a scenario)")
          ->check(CLI::IsMember({"modal", "sample"}));
  command->add_flag("--json", options->json, "Print the explanation as JSON");
  command->add_flag("--no-search", options->no_search,
                    "Skip the search for the smallest change that flips the choice");
  command->add_flag("--no-events", options->no_events,
                    "Skip re-running without each event (and event removals as flips)");
  command->add_option("--top", options->top, "How many events and changes to print")
      ->capture_default_str()
      ->check(finite_positive_number());
  options->scenario_options.add_to(*command);

  command->callback([&context, options, seed, decisions] {
    context.action = [&context, options, seed, decisions]() -> int {
      sim::LoadOptions load = options->scenario_options.load_options();
      sim::RunOptions run_options;
      std::string scenario_path = options->target;
      std::vector<std::string> recorded_files;
      std::optional<results::RunRecipe> recipe;
      // A folder is read as a run, so that one without a run's files is told so, as compare
      // and diff tell it, rather than that a directory is not a scenario file.
      std::error_code not_a_folder;
      if (results::is_run_directory(options->target) ||
          std::filesystem::is_directory(options->target, not_a_folder)) {
        std::vector<std::string> warnings;
        recipe = results::run_recipe(
            results::read_run_manifest(options->target, warnings),
            (std::filesystem::path(options->target) / "manifest.json").string());
        log_warnings(context, warnings);
        scenario_path = recipe->scenario;
        run_options = recipe->run;
        const sim::LoadOptions extra = load;
        load = recipe->load;
        load.overrides.insert(load.overrides.end(), extra.overrides.begin(), extra.overrides.end());
        load.drop_events.insert(load.drop_events.end(), extra.drop_events.begin(),
                                extra.drop_events.end());
        if (!extra.params_file.empty()) {
          load.params_file = extra.params_file;
        }
      }
      if (seed->count() > 0) {
        run_options.seed = options->seed;
      }
      if (decisions->count() > 0) {
        run_options.decisions =
            options->decisions == "sample" ? sim::DecisionMode::Sample : sim::DecisionMode::Modal;
      }
      const sim::Scenario scenario = sim::load_scenario(scenario_path, load);
      if (recipe) {
        for (const auto& path : results::changed_files(scenario, *recipe)) {
          context.log->warn("{} changed since the run; the explanation uses it as it is now", path);
        }
      }
      results::ExplainRequest request;
      request.country = options->country;
      request.item = options->item;
      request.search_inputs = !options->no_search;
      request.rank_events = !options->no_events;
      // Re-running without each event and searching each input takes tens of seconds on the
      // world scenario: a bar on a terminal, nothing in a log.
      // -q silences it, as it does the sweep's.
      ProgressBar bar(context.err,
                      context.stderr_is_terminal && context.log->level() <= spdlog::level::info,
                      "steps");
      const auto started = std::chrono::steady_clock::now();
      request.progress = [&bar, started](int done, int total) {
        bar.update(
            done, total, done,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      };
      const results::Explanation explanation =
          results::explain_decision(scenario, run_options, request);
      bar.finish();
      if (options->json) {
        nlohmann::ordered_json json = results::explanation_json(explanation);
        // What the explanation was computed from, as a run's manifest records it.
        nlohmann::ordered_json files = nlohmann::ordered_json::array();
        for (const auto& file : scenario.files) {
          files.push_back({{"path", file.path}, {"sha256", file.sha256}});
        }
        json["provenance"] = {
            {"version", results::program_version()},
            {"seed", run_options.seed.value_or(scenario.info.seed)},
            {"decisions", run_options.decisions == sim::DecisionMode::Modal ? "modal" : "sample"},
            {"scenario_files", files},
            {"overrides", scenario.overrides},
            {"dropped_events", scenario.dropped_events},
            {"params_file", scenario.params_file}};
        context.out << json.dump(2) << "\n";
      } else {
        context.out << results::format_explanation(explanation, options->top);
      }
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
