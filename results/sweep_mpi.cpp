#include "results/sweep_mpi.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#ifdef MULTIVECTOR_HAVE_MPI
#include <mpi.h>
#endif

namespace multivector::results {

int launched_ranks() {
  // Open MPI, MPICH/Hydra and PMIx launchers each export the size of the job.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* value = std::getenv(name)) {
      const int ranks = std::atoi(value);
      return ranks > 0 ? ranks : 1;
    }
  }
  return 1;
}

#ifndef MULTIVECTOR_HAVE_MPI

bool mpi_supported() {
  return false;
}

MpiSession::MpiSession() {
  throw std::runtime_error(
      "this multivector was built without MPI; install libopenmpi-dev (scripts/setup.sh "
      "--sweeps) and rebuild to use mpirun");
}

MpiSession::~MpiSession() = default;

int MpiSession::agree(int status) const {
  return status;
}

std::string MpiSession::broadcast(const std::string& text) const {
  return text;
}

void MpiSession::abort(int status) const {
  std::exit(status);
}

std::unique_ptr<RemoteRanks> MpiSession::remote_ranks(int /*threads_per_rank*/) const {
  return nullptr;
}

void MpiSession::serve(const sim::Scenario& /*scenario*/, const sim::SweepDesign& /*design*/,
                       sim::DecisionMode /*decisions*/, int /*threads*/,
                       std::int64_t /*chunk_runs*/) const {}

#else

namespace {

enum Tag : int { kRequest = 1, kAssign = 2, kResult = 3, kDone = 4 };
constexpr std::int64_t kNoMoreWork = -1;

class MpiRemoteRanks : public RemoteRanks {
 public:
  MpiRemoteRanks(int ranks, int threads_per_rank)
      : ranks_(ranks), threads_per_rank_(threads_per_rank) {}

  bool poll(const std::function<ChunkClaim()>& claim,
            const std::function<void(OutcomeChunk&&)>& deliver) override {
    bool active = answer_waiting(claim);
    for (;;) {
      int arrived = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
      if (arrived == 0) {
        break;
      }
      active = true;
      const int source = status.MPI_SOURCE;
      if (status.MPI_TAG == kResult) {
        int size = 0;
        MPI_Get_count(&status, MPI_BYTE, &size);
        buffer_.resize(static_cast<std::size_t>(size));
        MPI_Recv(buffer_.data(), size, MPI_BYTE, source, kResult, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        deliver(decode_chunk(buffer_));
      } else if (status.MPI_TAG == kRequest) {
        MPI_Recv(nullptr, 0, MPI_BYTE, source, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        waiting_.push_back(source);
        answer_waiting(claim);
      } else {
        MPI_Recv(nullptr, 0, MPI_BYTE, source, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        ++done_;
      }
    }
    return active;
  }

  [[nodiscard]] bool all_done() const override { return done_ == ranks_ - 1; }
  [[nodiscard]] int slots() const override { return (ranks_ - 1) * 2 * threads_per_rank_; }

 private:
  // Requests wait (in arrival order) while the window is full; a rank waiting for an answer
  // keeps sending the outcomes it has, so nothing blocks.
  bool answer_waiting(const std::function<ChunkClaim()>& claim) {
    bool answered = false;
    while (!waiting_.empty()) {
      const ChunkClaim next = claim();
      if (next.kind == ChunkClaim::Kind::Wait) {
        break;
      }
      const std::int64_t assignment =
          next.kind == ChunkClaim::Kind::Chunk ? next.chunk : kNoMoreWork;
      MPI_Send(&assignment, 1, MPI_INT64_T, waiting_.front(), kAssign, MPI_COMM_WORLD);
      waiting_.pop_front();
      answered = true;
    }
    return answered;
  }

  int ranks_;
  int threads_per_rank_;
  int done_ = 0;
  std::deque<int> waiting_;
  std::vector<char> buffer_;
};

}  // namespace

bool mpi_supported() {
  return true;
}

MpiSession::MpiSession() {
  int provided = 0;
  // Only the main thread calls MPI; worker threads compute.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

int MpiSession::agree(int status) const {
  int agreed = 0;
  MPI_Allreduce(&status, &agreed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return agreed;
}

std::string MpiSession::broadcast(const std::string& text) const {
  std::uint64_t size = text.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::string received = rank_ == 0 ? text : std::string(size, '\0');
  MPI_Bcast(received.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
  return received;
}

void MpiSession::abort(int status) const {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);
}

std::unique_ptr<RemoteRanks> MpiSession::remote_ranks(int threads_per_rank) const {
  return std::make_unique<MpiRemoteRanks>(size_, threads_per_rank);
}

void MpiSession::serve(const sim::Scenario& scenario, const sim::SweepDesign& design,
                       sim::DecisionMode decisions, int threads, std::int64_t chunk_runs) const {
  threads = std::max(1, threads);
  std::mutex mutex;
  std::condition_variable work_arrived;
  std::condition_variable outcome_ready;
  std::deque<std::int64_t> inbox;
  std::deque<OutcomeChunk> outbox;
  bool closed = false;

  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int thread = 0; thread < threads; ++thread) {
    workers.emplace_back([&] {
      SweepWorker worker(scenario, design, decisions);
      for (;;) {
        std::int64_t chunk = 0;
        {
          std::unique_lock lock(mutex);
          work_arrived.wait(lock, [&] { return closed || !inbox.empty(); });
          if (inbox.empty()) {
            return;
          }
          chunk = inbox.front();
          inbox.pop_front();
        }
        OutcomeChunk outcome;
        run_chunk(worker, chunk, chunk_runs, design.runs(), nullptr, outcome);
        {
          std::lock_guard lock(mutex);
          outbox.push_back(std::move(outcome));
        }
        outcome_ready.notify_one();
      }
    });
  }

  // Keep two chunks per thread in hand, so threads never wait for a round trip to rank 0.
  const int in_hand_limit = 2 * threads;
  int in_hand = 0;
  bool asking = false;
  bool no_more_work = false;
  std::int64_t assignment = 0;
  MPI_Request answer = MPI_REQUEST_NULL;
  std::vector<char> bytes;
  while (!(no_more_work && in_hand == 0)) {
    if (!asking && !no_more_work && in_hand < in_hand_limit) {
      MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
      MPI_Irecv(&assignment, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, &answer);
      asking = true;
    }
    if (asking) {
      int answered = 0;
      MPI_Test(&answer, &answered, MPI_STATUS_IGNORE);
      if (answered != 0) {
        asking = false;
        std::lock_guard lock(mutex);
        if (assignment == kNoMoreWork) {
          no_more_work = true;
          closed = true;
        } else {
          inbox.push_back(assignment);
          ++in_hand;
        }
        work_arrived.notify_all();
        continue;
      }
    }
    std::optional<OutcomeChunk> finished;
    {
      std::unique_lock lock(mutex);
      outcome_ready.wait_for(lock, std::chrono::microseconds(500), [&] { return !outbox.empty(); });
      if (!outbox.empty()) {
        finished = std::move(outbox.front());
        outbox.pop_front();
      }
    }
    if (finished) {
      encode_chunk(*finished, bytes);
      MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, kResult, MPI_COMM_WORLD);
      --in_hand;
    }
  }
  {
    std::lock_guard lock(mutex);
    closed = true;
  }
  work_arrived.notify_all();
  for (auto& worker : workers) {
    worker.join();
  }
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kDone, MPI_COMM_WORLD);
}

#endif

}  // namespace multivector::results
