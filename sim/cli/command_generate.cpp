#include <filesystem>
#include <fstream>

#include "results/atomic_output.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "sim/cli/cli.hpp"
#include "sim/generate.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/source_tree.hpp"

namespace multivector::cli {
namespace {

// A scenario written by hand is work that `generate -o` would destroy for a synthetic one, so
// only a file generate itself wrote (recognised by the comment at its top) is replaced.
void check_generated_output_replaceable(const std::string& output) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(output, error)) {
    return;
  }
  std::ifstream existing(output, std::ios::binary);
  std::string start(4096, '\0');
  existing.read(start.data(), static_cast<std::streamsize>(start.size()));
  start.resize(static_cast<std::size_t>(existing.gcount()));
  if (!sim::is_generated_scenario(start)) {
    throw results::OutputError("cannot write '" + output +
                               "': it is an existing file that `multivector generate` did not "
                               "write, and would be replaced; choose another name, or remove "
                               "that file first");
  }
}

}  // namespace

void add_generate_command(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<sim::GenerateOptions>();
  auto output = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "generate", "Write a synthetic but valid scenario of a given size (for scale tests)");
  command->footer(
      R"(The scenario is random but deterministic in the options, and is checked before it is
written: `validate` and `run` accept it. Sizes whose product is beyond docs/limits.md (file size,
countries x steps, decision values) are refused with exit status 2.

Examples:
  multivector generate -o big.yaml                 193 countries, 1000 days, 500 events, 50 items
  multivector generate --countries 20 --days 365 --events 50 --items 10 -o small.yaml
  multivector run big.yaml --no-trajectory         time the engine at the scale of the UN

An existing file is replaced only if generate wrote it (the comment at its top says so): a
scenario written by hand is never overwritten.

Exit status: 0 success, 1 failure, 2 sizes out of range or beyond the limits, an output that
cannot be written or is an existing file generate did not write, or usage.)");
  command->add_option("--countries", options->countries, "Number of countries (default 193)")
      ->check(CLI::Range(1, 1000));
  command->add_option("--days", options->days, "Length in days (default 1000)")
      ->check(CLI::Range(1, 1000000));
  command->add_option("--events", options->events, "Number of events (default 500)")
      ->check(CLI::Range(0, 100000));
  command
      ->add_option("--items", options->items,
                   "Number of agenda items; every tenth is a statement (default 50)")
      ->check(CLI::Range(0, 100000));
  command->add_option("--powers", options->powers, "Number of powers (default 3)")
      ->check(CLI::Range(1, 1000));
  command->add_option("--channels", options->channels, "Number of channels (default 6)")
      ->check(CLI::Range(1, 100));
  command->add_option("--seed", options->seed, "Seed of the generator (default 1)")
      ->check(whole_number());
  command->add_option("-o,--output", *output, "Output YAML file")->required();
  command->callback([&context, options, output] {
    context.action = [&context, options, output]() -> int {
      results::check_output_path(*output);
      results::check_not_inside_run_folder(*output);
      check_generated_output_replaceable(*output);
      // The version and every size option: the generator's output depends on both.
      const std::string yaml = "# Written by multivector " + results::program_version() + ": " +
                               results::command_line_text(context.arguments) + "\n" +
                               sim::generate_scenario_yaml(*options);
      // "Valid" means what `validate` and `run` accept: the sizes together must stay within the
      // limits of docs/limits.md (file size, countries x steps, decision values), which the
      // options one by one cannot see.
      const sim::ParseLimits limits;
      const auto beyond = [&](const std::string& why) {
        return sim::InputError(sim::SourceLocation{"generate", 0, 0},
                               "these sizes make a scenario beyond the limits of "
                               "docs/limits.md: " +
                                   why + "; choose fewer countries, days, events or items");
      };
      if (yaml.size() > limits.max_bytes) {
        throw beyond("it would be " + std::to_string(yaml.size()) + " bytes, over the " +
                     std::to_string(limits.max_bytes) + " a scenario file may have");
      }
      try {
        (void)sim::load_scenario_from_text(yaml, *output);
      } catch (const sim::InputError& error) {
        throw beyond(error.diagnostics().front().message);
      }
      results::write_file_atomically(*output, yaml);
      context.out << "wrote " << *output << "\n";
      return kExitSuccess;
    };
  });
}

}  // namespace multivector::cli
