#include "results/sweep_executor.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace multivector::results {

void run_chunk(SweepWorker& worker, std::int64_t chunk, std::int64_t chunk_runs,
               std::int64_t total_runs, const FinishedRuns* finished, OutcomeChunk& outcome) {
  outcome.index = chunk;
  const std::int64_t first = chunk * chunk_runs;
  const std::int64_t end = std::min(total_runs, first + chunk_runs);
  std::size_t used = 0;
  for (std::int64_t run = first; run < end; ++run) {
    if (finished != nullptr && finished->contains(run)) {
      continue;
    }
    if (used == outcome.runs.size()) {
      outcome.runs.emplace_back();
    }
    worker.run(run, outcome.runs[used++]);
  }
  outcome.runs.resize(used);
}

namespace {

using Clock = std::chrono::steady_clock;

// The state the writer and the workers share, behind one mutex.
class Coordinator {
 public:
  Coordinator(std::int64_t chunks, std::int64_t chunk_runs, std::int64_t total_runs,
              std::int64_t window, const FinishedRuns& finished)
      : chunks_(chunks),
        chunk_runs_(chunk_runs),
        total_runs_(total_runs),
        window_(window),
        finished_(finished) {}

  // For local threads: waits while the window is full.
  std::optional<std::int64_t> claim_blocking() {
    std::unique_lock lock(mutex_);
    for (;;) {
      const ChunkClaim claim = claim_locked();
      if (claim.kind == ChunkClaim::Kind::Chunk) {
        ++running_;
        return claim.chunk;
      }
      if (claim.kind == ChunkClaim::Kind::Exhausted) {
        return std::nullopt;
      }
      window_opened_.wait(lock);
    }
  }

  // For remote ranks, answered on the writer's thread: never waits.
  ChunkClaim claim_now() {
    std::lock_guard lock(mutex_);
    return claim_locked();
  }

  void deliver(OutcomeChunk&& chunk, bool local) {
    {
      std::lock_guard lock(mutex_);
      if (local) {
        --running_;
      }
      ready_.emplace(chunk.index, std::move(chunk));
    }
    chunk_ready_.notify_one();
  }

  void worker_failed(std::exception_ptr error, bool holding_chunk) {
    {
      std::lock_guard lock(mutex_);
      running_ -= holding_chunk ? 1 : 0;
      if (!error_) {
        error_ = std::move(error);
      }
      stopping_ = true;
    }
    window_opened_.notify_all();
    chunk_ready_.notify_one();
  }

  void request_stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    window_opened_.notify_all();
  }

  // The next chunk to write, waiting up to `timeout` for it. Chunks are written strictly in
  // order, even when stopping (chunks after a gap are dropped and run again on --resume), so
  // the database grows the same way however the sweep is executed or interrupted.
  std::optional<OutcomeChunk> take(Clock::duration timeout) {
    std::unique_lock lock(mutex_);
    const auto available = [&] { return ready_.count(next_write_) > 0; };
    if (!available()) {
      chunk_ready_.wait_for(lock, timeout, available);
    }
    if (!available()) {
      return std::nullopt;
    }
    auto found = ready_.find(next_write_);
    OutcomeChunk chunk = std::move(found->second);
    ready_.erase(found);
    return chunk;
  }

  // Chunks are recycled, so a long sweep reuses the same buffers instead of allocating (and
  // page-faulting in) fresh ones for every chunk.
  OutcomeChunk spare_chunk() {
    std::lock_guard lock(mutex_);
    if (spare_.empty()) {
      return {};
    }
    OutcomeChunk chunk = std::move(spare_.back());
    spare_.pop_back();
    return chunk;
  }
  void recycle(OutcomeChunk&& chunk) {
    std::lock_guard lock(mutex_);
    spare_.push_back(std::move(chunk));
  }

  void written() {
    {
      std::lock_guard lock(mutex_);
      ++next_write_;
    }
    window_opened_.notify_all();
  }

  [[nodiscard]] bool all_written() {
    std::lock_guard lock(mutex_);
    return next_write_ >= chunks_;
  }
  [[nodiscard]] bool stopped_and_idle() {
    std::lock_guard lock(mutex_);
    return stopping_ && running_ == 0;
  }
  [[nodiscard]] std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  ChunkClaim claim_locked() {
    while (!stopping_ && next_claim_ < chunks_) {
      if (next_claim_ >= next_write_ + window_) {
        return {ChunkClaim::Kind::Wait, -1};
      }
      const std::int64_t chunk = next_claim_++;
      if (!fully_finished(chunk)) {
        return {ChunkClaim::Kind::Chunk, chunk};
      }
      ready_.emplace(chunk, OutcomeChunk{chunk, {}});  // nothing to run: written as empty
      chunk_ready_.notify_one();
    }
    return {ChunkClaim::Kind::Exhausted, -1};
  }

  [[nodiscard]] bool fully_finished(std::int64_t chunk) const {
    if (finished_.count() == 0) {
      return false;
    }
    const std::int64_t end = std::min(total_runs_, (chunk + 1) * chunk_runs_);
    for (std::int64_t run = chunk * chunk_runs_; run < end; ++run) {
      if (!finished_.contains(run)) {
        return false;
      }
    }
    return true;
  }

  const std::int64_t chunks_;
  const std::int64_t chunk_runs_;
  const std::int64_t total_runs_;
  const std::int64_t window_;
  const FinishedRuns& finished_;
  std::mutex mutex_;
  std::condition_variable window_opened_;
  std::condition_variable chunk_ready_;
  std::int64_t next_claim_ = 0;
  std::int64_t next_write_ = 0;
  std::int64_t running_ = 0;
  bool stopping_ = false;
  std::map<std::int64_t, OutcomeChunk> ready_;
  std::vector<OutcomeChunk> spare_;
  std::exception_ptr error_;
};

}  // namespace

SweepResult execute_sweep(const sim::Scenario& scenario, const sim::SweepDesign& design,
                          sim::DecisionMode decisions, const FinishedRuns& finished,
                          const SweepExecution& execution,
                          const std::function<void(const OutcomeChunk&)>& write) {
  const std::int64_t total = design.runs();
  const std::int64_t chunk_runs = std::max<std::int64_t>(1, execution.chunk_runs);
  const std::int64_t chunks = (total + chunk_runs - 1) / chunk_runs;
  const int threads = std::max(1, execution.threads);
  const int remote_slots = execution.remote != nullptr ? execution.remote->slots() : 0;
  Coordinator coordinator(chunks, chunk_runs, total, 2 * (threads + remote_slots) + 2, finished);

  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int thread = 0; thread < threads; ++thread) {
    workers.emplace_back([&] {
      bool holding_chunk = false;
      try {
        SweepWorker worker(scenario, design, decisions);
        while (const auto chunk = coordinator.claim_blocking()) {
          holding_chunk = true;
          OutcomeChunk outcome = coordinator.spare_chunk();
          run_chunk(worker, *chunk, chunk_runs, total, &finished, outcome);
          holding_chunk = false;
          coordinator.deliver(std::move(outcome), true);
        }
      } catch (...) {
        coordinator.worker_failed(std::current_exception(), holding_chunk);
      }
    });
  }

  SweepResult result;
  const auto started = Clock::now();
  const auto report = [&] {
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (execution.progress) {
      execution.progress(SweepProgress{finished.count() + result.written, total, result.written,
                                       result.failed, result.seconds});
    }
  };
  const auto write_chunk = [&](const OutcomeChunk& chunk) {
    write(chunk);
    result.written += static_cast<std::int64_t>(chunk.runs.size());
    for (const auto& outcome : chunk.runs) {
      result.failed += outcome.failed ? 1 : 0;
    }
    coordinator.written();
    report();
  };
  const auto claim_for_remote = [&] { return coordinator.claim_now(); };
  const auto deliver_remote = [&](OutcomeChunk&& chunk) {
    // A remote rank does not know which runs an earlier invocation finished: drop them here.
    std::erase_if(chunk.runs,
                  [&](const RunOutcome& run) { return finished.contains(run.run.index); });
    coordinator.deliver(std::move(chunk), false);
  };

  const auto join_all = [&] {
    coordinator.request_stop();
    for (auto& worker : workers) {
      worker.join();
    }
  };
  try {
    report();
    for (;;) {
      if (execution.stop != nullptr && execution.stop->load()) {
        coordinator.request_stop();
      }
      const bool remote_done = execution.remote == nullptr || execution.remote->all_done();
      if (coordinator.all_written() && remote_done) {
        result.complete = true;
        break;
      }
      if (coordinator.stopped_and_idle() && remote_done) {
        while (auto chunk = coordinator.take(Clock::duration::zero())) {
          write_chunk(*chunk);
        }
        result.complete = coordinator.all_written();  // a stop can come after the last chunk
        break;
      }
      if (execution.remote != nullptr) {
        execution.remote->poll(claim_for_remote, deliver_remote);
      }
      // Wake up regularly to notice a stop request and, with remote ranks, to serve them.
      const auto timeout = execution.remote != nullptr ? std::chrono::milliseconds(1)
                                                       : std::chrono::milliseconds(50);
      if (auto chunk = coordinator.take(timeout)) {
        write_chunk(*chunk);
        coordinator.recycle(std::move(*chunk));
      }
    }
  } catch (...) {
    join_all();
    throw;
  }
  join_all();
  if (const auto error = coordinator.error()) {
    std::rethrow_exception(error);
  }
  report();
  return result;
}

}  // namespace multivector::results
