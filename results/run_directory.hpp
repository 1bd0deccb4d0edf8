#pragma once
// Reading a run directory back (votes.csv, statements.csv, events.jsonl, manifest.json), for the
// commands that work on finished runs: compare, diff and explain.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/date.hpp"
#include "sim/diagnostics.hpp"
#include "sim/engine.hpp"
#include "sim/scenario_loader.hpp"

namespace multivector::results {

// One decision of one country on one agenda item, as written by the run.
struct SimulatedDecision {
  std::string item;
  std::string resolution;         // UN symbol; empty for statements and unnamed votes
  std::vector<std::string> tags;  // votes only (statements.csv carries none)
  sim::Date date;
  std::string country;
  bool statement = false;
  std::vector<std::string> options;
  std::string realised;
  std::string modal;
  std::vector<double> probability;         // per option
  std::vector<double> utility;             // per option
  std::vector<std::vector<double>> terms;  // per option, per term (RunDirectory::term_names)
  std::string source;                      // FILE:LINE where it was read, for messages

  [[nodiscard]] int option_index(const std::string& option) const;  // −1 when absent
};

// clang-tidy cannot see that nlohmann::json's move constructor, used by the implicit one here,
// does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct RunDirectory {
  std::filesystem::path path;
  nlohmann::json manifest;
  std::vector<std::string> term_names;       // intercept, participation, ..., as in the CSV columns
  std::vector<SimulatedDecision> decisions;  // votes first, then statements, in file order
  std::vector<nlohmann::json> events;        // events.jsonl, one object per line
  // Files whose content differs from what the run wrote though their row count does not, for
  // the command to print (read_run_manifest).
  std::vector<std::string> warnings;

  // The decision of `country` on `item`, or nullptr.
  [[nodiscard]] const SimulatedDecision* find(const std::string& item,
                                              const std::string& country) const;
  [[nodiscard]] std::uint64_t seed() const;
  [[nodiscard]] std::string version() const;
};

// Reads everything a run wrote. A missing directory or file, or a malformed row, is an
// InputError naming the file (and line).
[[nodiscard]] RunDirectory read_run_directory(const std::filesystem::path& directory);

// One file a run wrote, whole (up to 2 GiB; larger, or unreadable, is an InputError).
[[nodiscard]] std::string read_run_file(const std::filesystem::path& path);

// The error for `text` (read from `path`) that nlohmann's parser rejected at byte `byte`, at
// its file:line:column, as every other input error is.
[[nodiscard]] sim::InputError json_error(const std::filesystem::path& path, std::string_view text,
                                         std::size_t byte, const std::string& what);

// manifest.json, after checking each file it records under `outputs` (votes.csv, ...) against
// the file in `directory`, so that every reader of a run finds a damaged one: a file with another
// row count than the manifest records (cut short, or rows added) is an InputError; one with the
// recorded rows but another SHA-256 (edited) adds a warning to `warnings`. A manifest without
// `outputs` (written before they were recorded) is read unchecked.
[[nodiscard]] nlohmann::json read_run_manifest(const std::filesystem::path& directory,
                                               std::vector<std::string>& warnings);
// manifest.json alone, its outputs not checked: for a look at the names it records by a command
// that then reads the run in full (and so checks it) anyway, which would hash every file twice.
[[nodiscard]] nlohmann::json read_run_manifest_unchecked(const std::filesystem::path& directory);

// How to rebuild a run from its manifest: the scenario file it started from, the overrides,
// dropped events and parameters file it was given, its seed and decision mode.
struct RunRecipe {
  std::string scenario;
  sim::LoadOptions load;
  sim::RunOptions run;
  std::vector<std::pair<std::string, std::string>> files;  // path, sha256 as recorded
};
[[nodiscard]] RunRecipe run_recipe(const nlohmann::json& manifest, const std::string& label);

// The recorded votes the run's scenario names in compare_with, as a path that opens from the
// current directory ("" when it names none). The manifest records it as the run resolved it,
// relative to where the run was made; from elsewhere, the recorded absolute path finds the same
// file, or, in a manifest older than that field, the directory the run was made in (the first
// scenario file's absolute path without its recorded relative one). builtin: paths stay as they
// are.
[[nodiscard]] std::string run_compare_with(const nlohmann::json& manifest);

// The files whose content differs from what the run recorded (the rebuilt run may then differ).
[[nodiscard]] std::vector<std::string> changed_files(const sim::Scenario& loaded,
                                                     const RunRecipe& recipe);

// True when `path` is a directory holding a manifest.json (so a command can accept either a run
// directory or a scenario file).
[[nodiscard]] bool is_run_directory(const std::filesystem::path& path);

// Throws OutputError when `output` would land inside a run folder — directly or in any folder
// below one — suggesting a path beside that run folder instead. `run --out` replaces its folder
// as a whole and refuses one holding files it did not write, so an export, priors file or
// calibration saved there would stop the next run into that folder. (report and compare write
// into run folders on purpose and do not call this.)
void check_not_inside_run_folder(const std::filesystem::path& output);

}  // namespace multivector::results
