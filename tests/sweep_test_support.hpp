#pragma once
// Helpers shared by the sweep tests: a scratch directory, a small sweep run through the library,
// and starting the real program as a child process (for signals, kill -9 and mpirun).

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "results/sweep_database.hpp"
#include "results/sweep_executor.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"
#include "tests/test_support.hpp"

extern char** environ;

namespace multivector::testing {

// The sweep tests' name for the shared scratch directory.
using TemporaryDirectory = ScratchDirectory;

inline const sim::Scenario& default_scenario() {
  static const sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario));
  return scenario;
}

// A small sweep of the built-in scenario: by default two inputs and sampled decisions.
struct SmallSweep {
  sim::SweepDesign design;
  sim::DecisionMode decisions;
  results::ManifestEntries manifest;

  explicit SmallSweep(
      std::int64_t replications = 4,
      const std::vector<std::string>& vary = {"parameters.decision.leverage.RUS=0:2:0.5",
                                              "events.usa_blinken_c5_2023_02_28.magnitude=0:1:0.5"},
      sim::DecisionMode decision_mode = sim::DecisionMode::Sample)
      : design(default_scenario(), vary,
               [replications] {
                 sim::SweepDesignOptions options;
                 options.replications = replications;
                 options.seed = 11;
                 return options;
               }()),
        decisions(decision_mode),
        manifest(
            results::sweep_manifest(default_scenario(), "builtin:test", design, decision_mode)) {}

  // Runs (or resumes) the sweep into `database`; returns whether it completed.
  results::SweepResult run(const std::filesystem::path& database, int threads,
                           const std::atomic<bool>* stop = nullptr,
                           std::function<void(const results::SweepProgress&)> progress = {}) const {
    const auto check = results::check_sweep_database(database, manifest, true);
    results::SweepDatabase writer(database, default_scenario(), design, manifest,
                                  results::InvocationInfo{{"test"}, threads, 1});
    const results::FinishedRuns finished =
        check.finished_runs > 0 ? writer.finished_runs() : results::FinishedRuns();
    results::SweepExecution execution;
    execution.threads = threads;
    execution.chunk_runs = 8;
    execution.stop = stop;
    execution.progress = std::move(progress);
    const results::SweepResult result =
        results::execute_sweep(default_scenario(), design, decisions, finished, execution,
                               [&](const results::OutcomeChunk& chunk) { writer.write(chunk); });
    writer.finish(result.complete);
    return result;
  }
};

// The program under test, built beside the tests.
inline std::string program() {
  return MULTIVECTOR_BINARY;
}

// Starts `arguments` (argv[0] is the program) with stdout and stderr sent to `log`.
inline pid_t spawn(const std::vector<std::string>& arguments, const std::filesystem::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (const auto& argument : arguments) {
    argv.push_back(const_cast<char*>(argument.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

// Waits for `pid`; the exit status, or 128 + the signal that ended it.
inline int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

inline int run_program(const std::vector<std::string>& arguments,
                       const std::filesystem::path& log) {
  const pid_t pid = spawn(arguments, log);
  return pid > 0 ? wait_for(pid) : -1;
}

}  // namespace multivector::testing
