#pragma once
// The SQLite database of a sweep.
//
//   manifest(key, value)              what determines the results: scenario hashes, program
//                                     version, design, seed, the sweep's canonical command line
//   invocations(invocation, ...)      each time the sweep was started or resumed: the actual
//                                     command line, threads, ranks, times, runs written, outcome
//   parameters(parameter, path, ...)  the varied inputs, in --vary order
//   items(item, ...), countries(country, ...)          the scenario's agenda and countries
//   runs(run_id, point, replication, seed, status, error, <one REAL column per varied path>)
//   votes(run_id, item, country, realised, modal, p_Y, p_N, p_A, p_NV)
//   statements(run_id, item, country, realised, modal, p_<option>...)
//   country_outcomes(run_id, country, final_orientation, mean_orientation,
//                    mean_leverage_<POWER>..., final_leverage_<POWER>...,
//                    final_credibility_<POWER>..., costs_borne_<POWER>...)
//
// Indexes (built when the sweep completes): votes and statements by (item, country),
// country_outcomes by country, runs by point and by status.
//
// A run's rows are written in the same transaction as its `runs` row, so a run is in the
// database whole or not at all; whatever kills the process, `--resume` finds exactly the runs
// that are finished. The contents depend only on the manifest, never on threads, ranks or
// interruptions; only `invocations` records how the sweep was executed.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "results/atomic_output.hpp"
#include "results/sqlite.hpp"
#include "results/sweep_outcome.hpp"
#include "sim/engine.hpp"
#include "sim/sweep_design.hpp"

namespace multivector::results {

using ManifestEntries = std::vector<std::pair<std::string, std::string>>;

// The manifest of a sweep. `scenario_path` is the path as the user gave it.
[[nodiscard]] ManifestEntries sweep_manifest(const sim::Scenario& scenario,
                                             const std::string& scenario_path,
                                             const sim::SweepDesign& design,
                                             sim::DecisionMode decisions);

// The manifest entries a resumed sweep must match (the others only describe, e.g. the path).
[[nodiscard]] bool manifest_key_must_match(const std::string& key);

// What is at `path` before a sweep starts, checked without writing anything. Throws InputError
// when the database exists and `resume` is false, when it holds a different sweep, or when it
// is not a sweep database.
struct SweepDatabaseCheck {
  bool exists = false;
  std::int64_t finished_runs = 0;
};
// The widest tables (a column per power quantity, per varied input, per statement option) within
// SQLite's 2,000 columns; else an InputError that says which count to lower. Creates nothing.
void check_sweep_table_widths(const sim::Scenario& scenario, const sim::SweepDesign& design);

// About how many bytes one run adds to a sweep database: its rows of votes, statements and
// country_outcomes (one per country and item, and per country) and of runs, with the indexes
// built at the end. The sizes per row are measured (docs/sweeps.md): within about a fifth of
// the real growth on the default and the world scenarios.
[[nodiscard]] double estimated_bytes_per_run(const sim::Scenario& scenario,
                                             const sim::SweepDesign& design);

// How the estimated size of a sweep compares with the free space of the disk that holds it.
struct SweepDiskRoom {
  double needed_bytes = 0;  // runs × estimated bytes per run, and a new database's own pages
  std::optional<std::uintmax_t> free_bytes;  // empty where the free space cannot be read
  // The estimate fits, but not with the fifth it can be short by: the disk may fill.
  [[nodiscard]] bool tight() const;
};

// How much the real growth of a database may exceed estimated_bytes_per_run: the estimate is
// within a fifth of it, so the real size can be up to 1 / 0.8 = 1.25 times the estimate.
inline constexpr double kSweepSizeEstimateSlack = 1.25;

// Throws OutputError, before anything is written, when `runs` more runs of `bytes_per_run`
// would not fit in the free space of the disk that holds `path` (a sweep that fills the disk
// stops every other program writing to it, not only itself); otherwise returns how much room
// there is, for a warning where it is tight. Refuses nothing when the free space cannot be read.
// `fixed_bytes`: what a new database takes before its first run (estimated_new_database_bytes).
SweepDiskRoom check_sweep_disk_space(const std::filesystem::path& path, std::int64_t runs,
                                     double bytes_per_run, double fixed_bytes = 0);

// About how many bytes a new sweep database takes before its first run: a page of each of its
// tables and indexes (16 pages of 16 KiB, measured: 256 KiB for one run of the default scenario,
// 4 December 2026) and its manifest.
[[nodiscard]] double estimated_new_database_bytes(const ManifestEntries& manifest);

[[nodiscard]] SweepDatabaseCheck check_sweep_database(const std::filesystem::path& path,
                                                      const ManifestEntries& manifest, bool resume);

// Which runs are already in the database (one bit per run).
class FinishedRuns {
 public:
  FinishedRuns() = default;
  explicit FinishedRuns(std::int64_t runs) : finished_(static_cast<std::size_t>(runs), false) {}
  [[nodiscard]] bool contains(std::int64_t run) const {
    return !finished_.empty() && finished_[static_cast<std::size_t>(run)];
  }
  void add(std::int64_t run) { finished_[static_cast<std::size_t>(run)] = true; }
  [[nodiscard]] std::int64_t count() const { return count_; }
  void set_count(std::int64_t count) { count_ = count; }

 private:
  std::vector<bool> finished_;
  std::int64_t count_ = 0;
};

struct InvocationInfo {
  std::vector<std::string> command_line;
  int threads = 1;
  int ranks = 1;
};

class SweepDatabase {
 public:
  // Creates the database (or opens it to resume), writes schema and manifest, and records this
  // invocation. Call check_sweep_database first: this assumes the check passed.
  SweepDatabase(const std::filesystem::path& path, const sim::Scenario& scenario,
                const sim::SweepDesign& design, const ManifestEntries& manifest,
                const InvocationInfo& invocation);
  SweepDatabase(const SweepDatabase&) = delete;
  SweepDatabase& operator=(const SweepDatabase&) = delete;
  ~SweepDatabase();

  [[nodiscard]] FinishedRuns finished_runs();
  // Writes every run of the chunk in one transaction.
  void write(const OutcomeChunk& chunk);
  // Records how this invocation ended and leaves a single self-contained file.
  void finish(bool complete);

  [[nodiscard]] std::int64_t runs_written() const { return runs_written_; }
  [[nodiscard]] SqliteDatabase& database() { return *database_; }

 private:
  struct Statements;
  class WriterLock;
  const sim::Scenario& scenario_;
  // Declared before the database so that it is released after the database is closed.
  std::unique_ptr<WriterLock> lock_;
  std::unique_ptr<SqliteDatabase> database_;
  std::unique_ptr<Statements> statements_;
  std::vector<int> statement_column_;  // per item and option: its p_ column in `statements`, or −1
  std::vector<std::size_t> option_offset_;  // per item: where its options start in the list
  int statement_option_count_ = 0;
  std::int64_t invocation_ = 0;
  std::int64_t runs_written_ = 0;
  bool finished_ = false;
};

// Every table except `invocations`, each ordered by all its columns, as text. Two sweeps with the
// same manifest give the same dump whatever their threads, ranks or interruptions.
[[nodiscard]] std::string dump_sweep_tables(const std::filesystem::path& path);

// Writes every table as DIR/<table>.csv (RFC 4180, header row, one row per record).
// A CSV export of a sweep: runs.csv in every one (a directory without it is not replaced), and
// one CSV per table of the database.
inline constexpr OutputFolderKind kSweepCsvFolder{"runs.csv", {}, ".csv"};

void export_sweep_csv(const std::filesystem::path& database,
                      const std::filesystem::path& directory);

// The manifest of an existing sweep database, for summaries and checks.
[[nodiscard]] ManifestEntries read_manifest(SqliteDatabase& database);
[[nodiscard]] std::string manifest_value(const ManifestEntries& manifest, const std::string& key);

}  // namespace multivector::results
