#pragma once
// Records everything a run reports, in memory, for the writers, `explain` and `compare`.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/run_observer.hpp"
#include "sim/scenario.hpp"

namespace multivector::results {

using sim::Index;
using sim::RowMatrix;
using sim::Vector;

struct DecisionRow {
  Index item = -1;
  Index country = -1;
  sim::Date date;
  int step = 0;
  Index realised = 0;
  Index modal = 0;
  Index previous_choice = -1;
  Vector probability;  // options
  Vector utility;      // options
  RowMatrix terms;     // options × agents::TermLayout columns
  RowMatrix features;  // options × agents::FeatureLayout columns (unweighted)
  std::vector<sim::ThreatContribution> threats;
};

// One row per step and country, columns named by trajectory_columns().
struct TrajectoryStep {
  sim::Date date;
  int step = 0;
  RowMatrix values;  // countries × columns
};

class RunRecorder : public sim::RunObserver {
 public:
  explicit RunRecorder(const sim::Scenario& scenario, bool record_trajectory = true);

  [[nodiscard]] bool wants_steps() const override { return record_trajectory_; }
  void on_event(const sim::EventRecord& record) override;
  void on_decision(const sim::DecisionRecord& record) override;
  void on_step(const sim::StepRecord& record) override;

  [[nodiscard]] const sim::Scenario& scenario() const { return scenario_; }
  [[nodiscard]] const std::vector<sim::EventRecord>& events() const { return events_; }
  [[nodiscard]] const std::vector<DecisionRow>& decisions() const { return decisions_; }
  [[nodiscard]] const std::vector<TrajectoryStep>& trajectory() const { return trajectory_; }
  [[nodiscard]] std::vector<std::string> trajectory_columns() const;

  // The decision of `country` on `item`, or nullptr when it was never made.
  [[nodiscard]] const DecisionRow* find_decision(Index item, Index country) const;

 private:
  const sim::Scenario& scenario_;
  bool record_trajectory_;
  std::vector<sim::EventRecord> events_;
  std::vector<DecisionRow> decisions_;
  // (item, country) → row, so that tables looking up every decision take linear time.
  std::unordered_map<std::uint64_t, std::size_t> decision_index_;
  static std::uint64_t decision_key(Index item, Index country) {
    return (static_cast<std::uint64_t>(item) << 32U) ^ static_cast<std::uint64_t>(country);
  }
  std::vector<TrajectoryStep> trajectory_;
};

// Names of the utility term columns (TermLayout order): intercept, participation, orientation,
// persistence, leverage_<POWER>..., threat_<POWER>..., norm_<norm>...
[[nodiscard]] std::vector<std::string> term_names(const sim::Scenario& scenario);

}  // namespace multivector::results
