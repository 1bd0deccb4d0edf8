#pragma once
// `multivector COMMAND ...`: the entry point shared by the program and the tests.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "results/history.hpp"
#include "sim/scenario_loader.hpp"

namespace multivector::cli {

// Exit status: 0 success, 1 the program failed at run time, 2 bad input or usage.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

struct CliContext {
  std::ostream& out;
  std::ostream& err;
  std::shared_ptr<spdlog::logger> log;
  std::vector<std::string> arguments;  // the whole command line, for manifests
  std::function<int()> action;         // set by the chosen command
  bool stderr_is_terminal = false;
};

// Options shared by every command that loads a scenario.
struct ScenarioOptions {
  std::vector<std::string> overrides;
  std::vector<std::string> drop_events;
  std::string params_file;

  void add_to(CLI::App& command);
  [[nodiscard]] sim::LoadOptions load_options() const;
};

// Accepts only 0 to 2^64 − 1 written in digits (a negative seed would otherwise wrap around).
[[nodiscard]] CLI::Validator whole_number();

// A real number above zero (or at zero and above) that is finite: CLI11's PositiveNumber lets
// "nan" through, since no comparison with NaN fails, and a NaN penalty turns a whole fit to NaN.
[[nodiscard]] CLI::Validator finite_positive_number();
[[nodiscard]] CLI::Validator finite_non_negative_number();

// Logs each warning (e.g. a run file edited after the run, RunDirectory::warnings).
void log_warnings(const CliContext& context, const std::vector<std::string>& warnings);

// The recorded votes of --history files, merged; logs unknown country codes (warnings) and
// votes repeated across files (read once).
[[nodiscard]] results::VoteHistory load_recorded_votes(const CliContext& context,
                                                       const std::vector<std::string>& paths);

// The recorded-vote files a command reads for `scenario`: its --history files when any were
// given, else the scenario's compare_with file (if it names one).
[[nodiscard]] std::vector<std::string> recorded_vote_files(const std::vector<std::string>& history,
                                                           const sim::Scenario& scenario);

// The votes of recorded_vote_files(history, scenario): read as load_recorded_votes reads them,
// and a compare_with file as load_compare_with_votes does (named by `scenario_path`).
[[nodiscard]] results::VoteHistory load_scenario_votes(const CliContext& context,
                                                       const std::vector<std::string>& history,
                                                       const sim::Scenario& scenario,
                                                       const std::string& scenario_path);

// The recorded votes of a scenario's compare_with file, as load_recorded_votes reads them; an
// error about the file as a whole (missing, a directory) also says that `named_by`'s
// scenario.compare_with names it, since the user never typed that path.
[[nodiscard]] results::VoteHistory load_compare_with_votes(const CliContext& context,
                                                           const std::string& compare_with,
                                                           const std::string& named_by);

// The files a scenario was read from (its extends chain and --params file; built-in ones left
// out), with `more`: what an output folder replaced as a whole must not contain.
[[nodiscard]] std::vector<std::filesystem::path> scenario_input_paths(
    const sim::Scenario& scenario, const std::vector<std::string>& more = {});

// Warns of each tag on the agenda that the fitted parameters have no intercept for
// (sim::tags_without_intercepts): a new text tagged with a tag of the user's own. Only when the
// parameters came from a file (--params or scenario.params, which calibrate writes): intercepts a
// scenario sets by hand for some tags were never fitted on anything, and its other tags are not
// a gap in a fit.
void warn_tags_without_intercepts(const CliContext& context, const sim::Scenario& scenario);

// Runs the program with `arguments` (argv, including the program name).
int run_cli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

// Command registration, one per file.
void add_run_command(CLI::App& app, CliContext& context);
void add_validate_command(CLI::App& app, CliContext& context);
void add_generate_command(CLI::App& app, CliContext& context);
void add_derive_priors_command(CLI::App& app, CliContext& context);
void add_calibrate_command(CLI::App& app, CliContext& context);
void add_report_command(CLI::App& app, CliContext& context);
void add_serve_command(CLI::App& app, CliContext& context);
void add_sweep_command(CLI::App& app, CliContext& context);
void add_sweep_summary_command(CLI::App& app, CliContext& context);
void add_compare_command(CLI::App& app, CliContext& context);
void add_explain_command(CLI::App& app, CliContext& context);
void add_diff_command(CLI::App& app, CliContext& context);
void add_export_votes_command(CLI::App& app, CliContext& context);

}  // namespace multivector::cli
