#pragma once
// Writes a run directory: votes.csv, statements.csv, trajectory.csv, events.jsonl, manifest.json.

#include <array>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "results/atomic_output.hpp"
#include "results/recorder.hpp"
#include "sim/engine.hpp"

namespace multivector::results {

struct RunInfo {
  std::uint64_t seed = 0;
  sim::DecisionMode decisions = sim::DecisionMode::Modal;
  std::vector<std::string> command_line;
  double compute_seconds = 0.0;
};

// "0.1.0+<commit>", with "-dirty" when built from uncommitted changes. Generated on every build
// by cmake/write_version.cmake (results/CMakeLists.txt), so it names the commit actually built.
[[nodiscard]] std::string program_version();
[[nodiscard]] std::string utc_now();  // "2024-05-01T12:00:00Z"

// The table texts, exposed so tests and other writers (sweeps, reports) share one format.
[[nodiscard]] std::string votes_csv(const RunRecorder& recorder);
[[nodiscard]] std::string statements_csv(const RunRecorder& recorder);
[[nodiscard]] std::string trajectory_csv(const RunRecorder& recorder);
[[nodiscard]] std::string events_jsonl(const RunRecorder& recorder);
[[nodiscard]] nlohmann::ordered_json parameters_json(const sim::Scenario& scenario);
[[nodiscard]] nlohmann::ordered_json manifest_json(const RunRecorder& recorder,
                                                   const RunInfo& info);

// The files a run directory may hold: the run's own (manifest.json in every one: `--out` naming a
// folder without it is not replaced), and what compare and report write into it by default.
inline constexpr std::array<std::string_view, 8> kRunFolderFiles = {
    "votes.csv",   "statements.csv", "trajectory.csv",   "events.jsonl",
    "compare.csv", "compare.json",   "compare_rows.csv", "report.html"};
inline constexpr OutputFolderKind kRunFolder{"manifest.json", kRunFolderFiles, ""};
// Every file a run directory holds, which the commands that read a run read.
inline constexpr std::array<const char*, 5> kRunFiles = {
    "manifest.json", "votes.csv", "statements.csv", "trajectory.csv", "events.jsonl"};
// kRunFiles inside `run_dir`: what an output of a command that reads the run must not replace.
[[nodiscard]] std::vector<std::filesystem::path> run_file_paths(
    const std::filesystem::path& run_dir);

// Writes every file into `directory` (staged, then swapped into place); an existing directory
// is replaced only if it is empty or an earlier run's (check_replaceable_directory).
void write_run(const RunRecorder& recorder, const RunInfo& info,
               const std::filesystem::path& directory);

}  // namespace multivector::results
