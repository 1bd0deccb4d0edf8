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
      "Every problem is reported as FILE:LINE:COLUMN: error: MESSAGE; exit status 2 "
      "when there is any.");
  command->add_option("scenario", options->scenario, "Scenario YAML")->required();
  options->scenario_options.add_to(*command);
  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      const sim::Scenario scenario =
          sim::load_scenario(options->scenario, options->scenario_options.load_options());
      context.out << options->scenario << ": valid — " << scenario.countries.size()
                  << " countries, " << scenario.powers.size() << " powers, "
                  << scenario.channels.size() << " channels, " << scenario.events.size()
                  << " events, " << scenario.agenda.size() << " agenda items, " << scenario.steps()
                  << " steps of " << scenario.info.step_days << " day(s)\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
