#pragma once
// Runs a sweep's runs on threads (and, through RemoteRanks, on other MPI ranks) and hands the
// finished chunks to one writer in chunk order.
//
// Runs are grouped in fixed chunks of consecutive run indices. Workers claim chunks; the writer
// (the calling thread) takes them back in order, so the database receives the same rows in the
// same order whatever the number of threads or ranks. Workers may run at most a fixed window of
// chunks ahead of the writer, which keeps memory constant however many runs the sweep has.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "results/sweep_database.hpp"
#include "results/sweep_outcome.hpp"

namespace multivector::results {

inline constexpr std::int64_t kSweepChunkRuns = 128;

struct SweepProgress {
  std::int64_t finished = 0;  // runs in the database, including those of earlier invocations
  std::int64_t total = 0;
  std::int64_t written_now = 0;  // by this invocation
  std::int64_t failed_now = 0;
  double seconds = 0.0;  // since this invocation started running
};

// What a claim for work gets: a chunk to run, nothing yet (the window is full), or nothing ever
// again (every chunk is handed out, or the sweep is stopping).
struct ChunkClaim {
  enum class Kind { Chunk, Wait, Exhausted };
  Kind kind = Kind::Exhausted;
  std::int64_t chunk = -1;
};

// Rank 0's view of the other MPI ranks: they claim chunks and return outcomes through messages
// that `poll` serves. Implemented in sweep_mpi.cpp.
class RemoteRanks {
 public:
  virtual ~RemoteRanks() = default;
  // Answers requests for work with `claim` and passes every chunk received to `deliver`.
  // Returns whether anything happened.
  virtual bool poll(const std::function<ChunkClaim()>& claim,
                    const std::function<void(OutcomeChunk&&)>& deliver) = 0;
  // Every remote rank has finished and said so.
  [[nodiscard]] virtual bool all_done() const = 0;
  [[nodiscard]] virtual int slots() const = 0;  // chunks the remote ranks work on at once
};

struct SweepExecution {
  int threads = 1;
  std::int64_t chunk_runs = kSweepChunkRuns;
  const std::atomic<bool>* stop = nullptr;  // set (by a signal handler) to stop early
  std::function<void(const SweepProgress&)> progress;
  RemoteRanks* remote = nullptr;
};

struct SweepResult {
  std::int64_t written = 0;
  std::int64_t failed = 0;
  bool complete = false;  // false when stopped before every run was written
  double seconds = 0.0;
};

// Runs every run of `design` that `finished` does not hold and passes each chunk, in order, to
// `write` (on the calling thread).
SweepResult execute_sweep(const sim::Scenario& scenario, const sim::SweepDesign& design,
                          sim::DecisionMode decisions, const FinishedRuns& finished,
                          const SweepExecution& execution,
                          const std::function<void(const OutcomeChunk&)>& write);

// The runs of one chunk, skipping those already finished (when `finished` is given).
void run_chunk(SweepWorker& worker, std::int64_t chunk, std::int64_t chunk_runs,
               std::int64_t total_runs, const FinishedRuns* finished, OutcomeChunk& outcome);

}  // namespace multivector::results
