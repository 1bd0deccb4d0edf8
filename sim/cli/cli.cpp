#include "sim/cli/cli.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <exception>

#include "results/atomic_output.hpp"
#include "results/run_writer.hpp"
#include "sim/diagnostics.hpp"
#include "sim/engine.hpp"
#include "sim/input_files.hpp"
#include "sim/sha256.hpp"

namespace multivector::cli {

void ScenarioOptions::add_to(CLI::App& command) {
  command.add_option("--set", overrides,
                     "Override one value before running: PATH=VALUE, e.g. "
                     "countries.TJK.exposure.RUS.remittances=0.2 (repeatable)");
  command.add_option("--drop-event", drop_events,
                     "Remove an event by id, for a counterfactual (repeatable)");
  command.add_option("--params", params_file,
                     "Parameters YAML written by `multivector calibrate`, merged over the "
                     "scenario's parameters");
}

CLI::Validator whole_number() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        // Compared as digits: a value past 2^64 - 1 would otherwise be read as 2^64 - 1, and two
        // different seeds typed would run the same sweep.
        static const std::string largest = "18446744073709551615";
        const auto first_significant = text.find_first_not_of('0');
        const std::string digits =
            first_significant == std::string::npos ? "0" : text.substr(first_significant);
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
            digits.size() > largest.size() ||
            (digits.size() == largest.size() && digits > largest)) {
          return "expected a whole number from 0 to " + largest + ", got '" + text + "'";
        }
        return "";
      },
      "N");
}

namespace {

CLI::Validator finite_number_at_least(bool zero_allowed) {
  return CLI::Validator(
      [zero_allowed](const std::string& text) -> std::string {
        const std::string wanted =
            zero_allowed ? "a finite number, 0 or more" : "a finite number above 0";
        double number = 0.0;
        std::size_t used = std::string::npos;  // stays so when the text is no number at all
        try {
          number = std::stod(text, &used);
        } catch (const std::exception&) {
        }
        if (used != text.size() || !std::isfinite(number) || number < 0.0 ||
            (number == 0.0 && !zero_allowed)) {
          return "expected " + wanted + ", got '" + text + "'";
        }
        return "";
      },
      "NUMBER");
}

}  // namespace

CLI::Validator finite_positive_number() {
  return finite_number_at_least(false);
}

CLI::Validator finite_non_negative_number() {
  return finite_number_at_least(true);
}

std::vector<std::filesystem::path> scenario_input_paths(const sim::Scenario& scenario,
                                                        const std::vector<std::string>& more) {
  std::vector<std::filesystem::path> paths;
  for (const auto& file : scenario.files) {
    if (!sim::is_builtin_path(file.path)) {
      paths.emplace_back(file.path);
    }
  }
  if (!scenario.params_file.empty()) {
    paths.emplace_back(scenario.params_file);
  }
  paths.insert(paths.end(), more.begin(), more.end());
  return paths;
}

void warn_tags_without_intercepts(const CliContext& context, const sim::Scenario& scenario) {
  if (scenario.applied_params_file().empty()) {
    return;
  }
  const sim::DecisionParameters& decision = scenario.parameters.decision;
  for (const auto& unfitted : sim::tags_without_intercepts(scenario.agenda, decision)) {
    context.log->warn("{}", sim::describe_tag_without_intercept(unfitted, decision));
  }
}

results::VoteHistory load_recorded_votes(const CliContext& context,
                                         const std::vector<std::string>& paths) {
  results::VoteHistory history = results::load_histories(paths);
  for (const auto& line : results::describe_unknown_codes(history)) {
    context.log->warn("{}", line);
  }
  for (const auto& line : results::describe_conflicts(history)) {
    context.log->warn("{}", line);
  }
  for (const auto& line : results::describe_misdated(history)) {
    context.log->warn("{}", line);
  }
  for (const auto& line : results::describe_countries_by_name(history)) {
    context.log->info("{}", line);
  }
  for (const auto& line : results::describe_repeated_votes(history)) {
    context.log->info("{}", line);
  }
  return history;
}

void log_warnings(const CliContext& context, const std::vector<std::string>& warnings) {
  for (const auto& warning : warnings) {
    context.log->warn("{}", warning);
  }
}

results::VoteHistory load_compare_with_votes(const CliContext& context,
                                             const std::string& compare_with,
                                             const std::string& named_by) {
  try {
    return load_recorded_votes(context, {compare_with});
  } catch (const sim::InputError& error) {
    std::vector<sim::Diagnostic> diagnostics = error.diagnostics();
    if (diagnostics.size() == 1 && diagnostics.front().location.line == 0) {
      diagnostics.front().message +=
          " (named by scenario.compare_with in " + named_by + ", relative to that file)";
    }
    throw sim::InputError(std::move(diagnostics));
  }
}

std::vector<std::string> recorded_vote_files(const std::vector<std::string>& history,
                                             const sim::Scenario& scenario) {
  if (history.empty() && !scenario.info.compare_with.empty()) {
    return {scenario.info.compare_with};
  }
  return history;
}

results::VoteHistory load_scenario_votes(const CliContext& context,
                                         const std::vector<std::string>& history,
                                         const sim::Scenario& scenario,
                                         const std::string& scenario_path) {
  if (history.empty() && !scenario.info.compare_with.empty()) {
    return load_compare_with_votes(context, scenario.info.compare_with, scenario_path);
  }
  return load_recorded_votes(context, history);
}

sim::LoadOptions ScenarioOptions::load_options() const {
  sim::LoadOptions options;
  options.overrides = overrides;
  options.drop_events = drop_events;
  options.params_file = params_file;
  return options;
}

namespace {

constexpr const char* kFooter = R"(Examples:
  multivector run                                  the built-in Central Asia 2022 scenario
  multivector run --drop-event rus_note_hrc_2022_04_06 --out out/no_note
                                                   what if Russia had not sent its note?
  multivector run --set countries.KAZ.exposure.RUS.transit=0.3 --out out/kaz_bypass
                                                   what if Kazakhstan's oil bypassed Russia?
  multivector validate my_scenario.yaml            check a scenario without running it
  multivector generate --countries 193 --days 1000 --events 500 --items 50 -o big.yaml
  multivector compare out/central_asia_2022        score a run against recorded votes
  multivector explain out/central_asia_2022 --country TJK --item ES-11/3
                                                   why Tajikistan voted No (docs/history.md)
  multivector diff out/central_asia_2022 out/no_note
                                                   what a what-if changed, and why

Exit status: 0 success, 1 failure while running, 2 bad input or usage.
Docs: README.md, docs/scenario-format.md.)";

}  // namespace

int run_cli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err);
  sink->set_pattern("%^%l%$: %v");
  CliContext context{out,       err,     std::make_shared<spdlog::logger>("multivector", sink),
                     arguments, nullptr, ::isatty(STDERR_FILENO) == 1};
  context.log->set_level(spdlog::level::info);

  CLI::App app{
      "Multivector: an agent-based simulator of geopolitical pressure and of how "
      "countries vote at the UN General Assembly under it.",
      "multivector"};
  app.footer(kFooter);
  app.require_subcommand(1);
  // -v and -q work after the command name too (multivector run -v), where users type them.
  app.fallthrough();
  app.set_version_flag("--version", "multivector " + results::program_version());
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "More log output (repeat for debug detail)");
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr");

  add_run_command(app, context);
  add_validate_command(app, context);
  add_generate_command(app, context);
  add_derive_priors_command(app, context);
  add_calibrate_command(app, context);
  add_report_command(app, context);
  add_serve_command(app, context);
  add_sweep_command(app, context);
  add_sweep_summary_command(app, context);
  add_compare_command(app, context);
  add_explain_command(app, context);
  add_diff_command(app, context);
  add_export_votes_command(app, context);

  // CLI11 reports an unknown command as a missing one; name it and suggest the nearest.
  if (arguments.size() > 1 && !arguments[1].empty() && arguments[1].front() != '-') {
    std::vector<std::string> commands;
    for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
      commands.push_back(command->get_name());
    }
    if (std::find(commands.begin(), commands.end(), arguments[1]) == commands.end()) {
      err << "multivector: error: unknown command '" << arguments[1] << "'"
          << sim::suggestion(arguments[1], commands) << "\n"
          << "Run 'multivector --help' for the commands.\n";
      return kExitBadInput;
    }
  }
  // No option or file of this program means anything when empty, and CLI11 would take `--db ''`
  // as the option left out: the default database would be written without a word.
  for (std::size_t index = 1; index < arguments.size(); ++index) {
    if (arguments[index].empty()) {
      err << "multivector: error: argument " << index << " is empty"
          << (index > 1 ? " (after " + arguments[index - 1] + ")" : std::string())
          << "; give a value, or leave the option out for its default\n"
          << "Run 'multivector --help' (or 'multivector COMMAND --help') for usage.\n";
      return kExitBadInput;
    }
  }
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  if (!reversed.empty()) {
    reversed.pop_back();  // the program name
  }
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& help) {
    out << app.help();
    return kExitSuccess;
  } catch (const CLI::CallForAllHelp& help) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitSuccess;
  } catch (const CLI::CallForVersion& version) {
    out << "multivector " << results::program_version() << "\n";
    return kExitSuccess;
  } catch (const CLI::ParseError& error) {
    err << "multivector: error: " << error.what() << "\n"
        << "Run 'multivector --help' (or 'multivector COMMAND --help') for usage.\n";
    return kExitBadInput;
  }
  if (quiet) {
    context.log->set_level(spdlog::level::err);
  } else if (verbosity >= 2) {
    context.log->set_level(spdlog::level::trace);
  } else if (verbosity == 1) {
    context.log->set_level(spdlog::level::debug);
  }
  if (!context.action) {
    err << app.help();
    return kExitBadInput;
  }
  try {
    return context.action();
  } catch (const sim::InputError& error) {
    // Already capped where they were collected (sim::Diagnostics::kMaxReported), with a last line
    // that counts the rest: cutting the list again here would miscount them.
    for (const auto& diagnostic : error.diagnostics()) {
      err << diagnostic.to_string() << "\n";
    }
    return kExitBadInput;
  } catch (const results::OutputError& error) {
    err << "multivector: error: " << error.what() << "\n";
    // A full disk or an I/O error is the machine failing the command, not the user's input.
    return error.failed_while_running() ? kExitFailure : kExitBadInput;
  } catch (const std::exception& error) {
    err << "multivector: internal error: " << error.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace multivector::cli
