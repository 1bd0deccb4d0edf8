#include "results/atomic_output.hpp"
#include "sim/cli/cli.hpp"
#include "sim/generate.hpp"

namespace multivector::cli {

void add_generate_command(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<sim::GenerateOptions>();
  auto output = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "generate", "Write a synthetic but valid scenario of a given size (for scale tests)");
  command->add_option("--countries", options->countries, "Number of countries")
      ->check(CLI::Range(1, 1000));
  command->add_option("--days", options->days, "Length in days")->check(CLI::Range(1, 1000000));
  command->add_option("--events", options->events, "Number of events")
      ->check(CLI::Range(0, 1000000));
  command->add_option("--items", options->items, "Number of agenda items")
      ->check(CLI::Range(0, 100000));
  command->add_option("--powers", options->powers, "Number of powers")->check(CLI::Range(1, 1000));
  command->add_option("--channels", options->channels, "Number of channels")
      ->check(CLI::Range(1, 100));
  command->add_option("--seed", options->seed, "Seed of the generator")->check(whole_number());
  command->add_option("-o,--output", *output, "Output YAML file")->required();
  command->callback([&context, options, output] {
    context.action = [&context, options, output]() -> int {
      results::write_file_atomically(*output, sim::generate_scenario_yaml(*options));
      context.out << "wrote " << *output << "\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
