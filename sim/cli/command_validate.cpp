#include <string>
#include <vector>

#include "results/text_format.hpp"
#include "sim/cli/cli.hpp"

namespace multivector::cli {

void add_validate_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string scenario;
    ScenarioOptions scenario_options;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "validate", "Check a scenario (types, ranges, references, dates) without running it");
  command->footer(
      "Every problem is reported as FILE:LINE:COLUMN: error: MESSAGE; exit status 2 when there\n"
      "is any. The recorded votes named by scenario.compare_with are read too (each row checked,\n"
      "unknown country codes reported), so that `run` does not stop on them later. With\n"
      "fitted parameters (--params, or the file scenario.params names), a tag on a vote that\n"
      "they have no intercept for is warned of (docs/scenario-format.md, \"Tags of the world\n"
      "scenario\").\n"
      "\n"
      "Examples:\n"
      "  multivector validate scenarios/central_asia_2022.yaml\n"
      "  multivector validate my_whatif.yaml --set countries.KAZ.exposure.RUS.transit=0.3\n"
      "                                   the scenario as `run` would see it with that change\n"
      "  multivector validate scenarios/world_2022.yaml --params scenarios/world_2022_params.yaml\n"
      "                                   with a parameters file from `multivector calibrate`\n"
      "\n"
      "Exit status: 0 valid, 1 an unexpected failure, 2 any problem in the scenario, its\n"
      "parameters or its recorded votes, or usage.");
  command->add_option("scenario", options->scenario, "Scenario YAML")->required();
  options->scenario_options.add_to(*command);
  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      const sim::Scenario scenario =
          sim::load_scenario(options->scenario, options->scenario_options.load_options());
      warn_tags_without_intercepts(context, scenario);
      std::size_t recorded_votes = 0;
      if (!scenario.info.compare_with.empty()) {
        recorded_votes =
            load_compare_with_votes(context, scenario.info.compare_with, options->scenario)
                .votes()
                .size();
      }
      const auto count_of = [](std::size_t count, std::string_view singular,
                               std::string_view plural) {
        return results::counted(static_cast<std::int64_t>(count), singular, plural);
      };
      context.out << options->scenario << ": valid — "
                  << count_of(scenario.countries.size(), "country", "countries") << ", "
                  << count_of(scenario.powers.size(), "power", "powers") << ", "
                  << count_of(scenario.channels.size(), "channel", "channels") << ", "
                  << count_of(scenario.events.size(), "event", "events") << ", "
                  << count_of(scenario.agenda.size(), "agenda item", "agenda items") << ", "
                  << results::counted(scenario.steps(), "step", "steps") << " of "
                  << results::counted(scenario.info.step_days, "day", "days");
      const std::int64_t span = scenario.info.end.days - scenario.info.start.days;
      const std::int64_t step_days = scenario.info.step_days;
      std::vector<std::string> shorter;
      if (span % step_days != 0) {
        // Say so: the last step covers fewer days, and its decay and costs are scaled to them.
        shorter.push_back("the last " + results::counted(span % step_days, "day", "days") +
                          ", on the end date");
      }
      if (const int between = scenario.steps() - scenario.regular_steps(); between > 0) {
        // And that events and items between step days are not moved to the next one.
        shorter.push_back(results::counted(between, "shorter step", "shorter steps") +
                          " on the dates of events and items between them");
      }
      for (std::size_t index = 0; index < shorter.size(); ++index) {
        context.out << (index == 0 ? " (" : "; ") << shorter[index];
      }
      if (!shorter.empty()) {
        context.out << ")";
      }
      if (!scenario.info.compare_with.empty()) {
        context.out << "; " << count_of(recorded_votes, "recorded vote", "recorded votes") << " in "
                    << scenario.info.compare_with;
      }
      context.out << "\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
