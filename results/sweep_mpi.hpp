#pragma once
// Sweeps over MPI ranks. Rank 0 validates, owns the database and writes every run; the other
// ranks claim chunks of runs from it, compute them on their own threads and send the outcomes
// back. Each run is a pure function of its index, so the database is the same whichever rank ran
// what. Nothing here needs mpi.h: a build without MPI compiles the single-rank fallback.

#include <cstdint>
#include <memory>
#include <string>

#include "results/sweep_executor.hpp"

namespace multivector::results {

// True when the program was built with MPI support.
[[nodiscard]] bool mpi_supported();

// The number of ranks mpirun/mpiexec started (from the launcher's environment), or 1 when the
// program runs on its own. Does not initialise MPI.
[[nodiscard]] int launched_ranks();

class MpiSession {
 public:
  // Initialises MPI. Throws std::runtime_error when the program was built without MPI.
  MpiSession();
  // Defined out of line: with MPI it calls MPI_Finalize; without, it is empty.
  ~MpiSession();  // NOLINT(performance-trivially-destructible)
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }

  // The largest status of all ranks (0 when every rank is ready): a collective every rank calls.
  [[nodiscard]] int agree(int status) const;
  // Rank 0's `text`, on every rank.
  [[nodiscard]] std::string broadcast(const std::string& text) const;
  // Ends every rank at once, for failures that would leave the others waiting.
  [[noreturn]] void abort(int status) const;

  // Rank 0: the other ranks, to pass to execute_sweep.
  [[nodiscard]] std::unique_ptr<RemoteRanks> remote_ranks(int threads_per_rank) const;
  // Ranks other than 0: serve rank 0 until it has no more work.
  void serve(const sim::Scenario& scenario, const sim::SweepDesign& design,
             sim::DecisionMode decisions, int threads, std::int64_t chunk_runs) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace multivector::results
