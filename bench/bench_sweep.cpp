// Sweep benchmark: `multivector sweep` of the default scenario (outcome tables only) at 10,000
// and 100,000 runs with 1 and 2 threads: wall time, runs/s, CPU time and peak memory of each.
// Each configuration runs in its own child process, so its peak memory (wait4's ru_maxrss) is
// its own. Also the engine alone (no database) on one thread, to show where the time goes.
//
// Run: cmake --build build --target bench_sweep
//   or build/bench/multivector_bench_sweep [--runs 10000,100000] [--threads 1,2] [--dir DIR]

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_main.hpp"
#include "results/sweep_outcome.hpp"
#include "sim/cli/cli.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The benchmarked sweep: a Latin hypercube over two inputs, 100 sampled replications a point.
std::vector<std::string> sweep_arguments(long runs, long threads, const std::string& database) {
  return {"multivector",
          "-q",
          "sweep",
          "--vary",
          "parameters.decision.leverage.RUS=0:3",
          "--vary",
          "events.rus_note_hrc_2022_04_06.magnitude=0:1",
          "--design",
          "lhs",
          "--samples",
          std::to_string(runs / 100),
          "--replications",
          "100",
          "--decisions",
          "sample",
          "--threads",
          std::to_string(threads),
          "--db",
          database};
}

std::string load_average() {
  double loads[3] = {0, 0, 0};
  if (getloadavg(loads, 3) != 3) {
    return "?";
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f %.2f %.2f", loads[0], loads[1], loads[2]);
  return buffer;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

void engine_only(long runs) {
  const auto scenario =
      multivector::sim::load_scenario(std::string(multivector::sim::kDefaultScenario));
  multivector::sim::SweepDesignOptions options;
  options.kind = multivector::sim::SweepDesignKind::LatinHypercube;
  options.samples = runs / 100;
  options.replications = 100;
  options.seed = scenario.info.seed;
  const multivector::sim::SweepDesign design(
      scenario,
      {"parameters.decision.leverage.RUS=0:3", "events.rus_note_hrc_2022_04_06.magnitude=0:1"},
      options);
  multivector::results::SweepWorker worker(scenario, design,
                                           multivector::sim::DecisionMode::Sample);
  multivector::results::RunOutcome outcome;
  const auto started = Clock::now();
  const double cpu_started = thread_cpu_seconds();
  for (long run = 0; run < runs; ++run) {
    worker.run(run, outcome);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double cpu = thread_cpu_seconds() - cpu_started;
  // CPU time as well as wall time: on a shared machine the wall time includes waiting for a core.
  std::printf(
      "engine + outcome collection alone, 1 thread, no database: %ld runs in %.2f s wall "
      "(%.0f runs/s), %.1f us CPU a run\n",
      runs, seconds, static_cast<double>(runs) / seconds, 1e6 * cpu / static_cast<double>(runs));
}

}  // namespace

namespace {

int run_benchmarks(const std::vector<long>& run_counts, const std::vector<long>& thread_counts,
                   const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  std::printf(
      "multivector sweep of the default scenario, outcome tables only; %u cores, load "
      "average %s\n",
      std::thread::hardware_concurrency(), load_average().c_str());
  std::printf("%9s %8s %9s %9s %10s %10s %9s\n", "runs", "threads", "wall s", "runs/s", "CPU s",
              "peak MiB", "db MiB");
  for (const long runs : run_counts) {
    for (const long threads : thread_counts) {
      const std::string database =
          (directory / ("bench-" + std::to_string(runs) + "-" + std::to_string(threads) + ".db"))
              .string();
      std::filesystem::remove(database);
      const auto started = Clock::now();
      const pid_t child = fork();
      if (child == 0) {
        const int status = multivector::cli::run_cli(sweep_arguments(runs, threads, database),
                                                     std::cout, std::cerr);
        std::_Exit(status);
      }
      int status = 0;
      rusage usage{};
      wait4(child, &status, 0, &usage);
      const double wall = std::chrono::duration<double>(Clock::now() - started).count();
      const double cpu =
          static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::printf("sweep of %ld runs with %ld threads failed\n", runs, threads);
        return 1;
      }
      std::printf("%9ld %8ld %9.2f %9.0f %10.2f %10.1f %9.1f\n", runs, threads, wall,
                  static_cast<double>(runs) / wall, cpu,
                  static_cast<double>(usage.ru_maxrss) / 1024.0,
                  static_cast<double>(std::filesystem::file_size(database)) / (1024.0 * 1024.0));
      std::fflush(stdout);
      std::filesystem::remove(database);
    }
  }
  engine_only(20000);
  std::printf("load average at the end: %s\n", load_average().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> run_counts = {10000, 100000};
  std::vector<long> thread_counts = {1, 2};
  std::filesystem::path directory;
  return multivector::bench::run_benchmark_program(
      "multivector_bench_sweep",
      "Times `multivector sweep` of the default scenario (outcome tables only) for each run count\n"
      "and thread count, each in its own process: wall time, runs/s, CPU time, peak memory and\n"
      "database size; then the engine alone on one thread.",
      argc, argv,
      [&](CLI::App& app) {
        directory = std::filesystem::temp_directory_path() / "multivector-bench";
        app.add_option("--runs", run_counts, "Run counts, comma-separated")
            ->delimiter(',')
            ->check(CLI::Range(1L, 100000000L))
            ->capture_default_str();
        app.add_option("--threads", thread_counts, "Thread counts, comma-separated")
            ->delimiter(',')
            ->check(CLI::Range(1L, 1024L))
            ->capture_default_str();
        app.add_option("--dir", directory, "Folder for the sweep databases")->capture_default_str();
      },
      [&] { return run_benchmarks(run_counts, thread_counts, directory); });
}
