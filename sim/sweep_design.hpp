#pragma once
// The design of a sweep: which numeric inputs vary, over which values, how often each point is
// replicated, and the seed of every run. Every value is a pure function of (design, run index),
// so any thread, MPI rank or resumed process computes the same run from its index alone, and a
// design holds no per-run state (its memory does not grow with the number of runs).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/scenario_paths.hpp"

namespace multivector::sim {

enum class SweepDesignKind { Grid, LatinHypercube };

[[nodiscard]] std::string_view sweep_design_name(SweepDesignKind kind);

// One --vary PATH=LO:HI[:STEP], resolved against the scenario.
struct VariedInput {
  std::string spec;  // as the user wrote it
  std::string path;
  double low = 0.0;
  double high = 0.0;
  std::optional<double> step;
  std::int64_t levels = 1;  // grid: how many values this input takes
  NumericInput input;
};

struct SweepDesignOptions {
  SweepDesignKind kind = SweepDesignKind::Grid;
  std::optional<std::int64_t> samples;  // Latin hypercube: number of points
  std::int64_t replications = 1;
  std::uint64_t seed = 0;
};

// Where a run sits in the design.
struct SweepRun {
  std::int64_t index = 0;
  std::int64_t point = 0;
  std::int64_t replication = 0;
  std::uint64_t seed = 0;  // < 2^63, so SQLite stores it as a positive INTEGER
};

// Upper bound on the runs of one sweep: a typo such as an extra zero in a STEP fails at once.
inline constexpr std::int64_t kMaxSweepRuns = 1'000'000'000;

class SweepDesign {
 public:
  // Parses and checks every --vary and the design options; throws InputError listing every
  // problem (unknown path, bad number, range outside what the validator accepts, missing or
  // useless STEP, a design with no points, too many runs).
  SweepDesign(const Scenario& scenario, const std::vector<std::string>& vary_specs,
              const SweepDesignOptions& options);

  [[nodiscard]] const std::vector<VariedInput>& inputs() const { return inputs_; }
  [[nodiscard]] const SweepDesignOptions& options() const { return options_; }
  [[nodiscard]] std::int64_t points() const { return points_; }
  [[nodiscard]] std::int64_t runs() const { return points_ * options_.replications; }

  [[nodiscard]] SweepRun run(std::int64_t index) const;
  // The value of every varied input at `point`, in --vary order.
  void point_values(std::int64_t point, std::vector<double>& values) const;
  // Sets `values` on `scenario`, in --vary order (later paths win where two overlap).
  void apply(Scenario& scenario, const std::vector<double>& values) const;

 private:
  std::vector<VariedInput> inputs_;
  SweepDesignOptions options_;
  std::int64_t points_ = 1;
};

// A pseudo-random permutation of [0, size) keyed by `key`: a balanced Feistel network with cycle
// walking. It gives a Latin hypercube's stratum of any point in O(1) time and memory.
[[nodiscard]] std::uint64_t permute_index(std::uint64_t index, std::uint64_t size,
                                          std::uint64_t key);

}  // namespace multivector::sim
