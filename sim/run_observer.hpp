#pragma once
// What the engine reports while it runs. results/ implements observers that record, summarise or
// stream these; the engine itself never does I/O.

#include <string>
#include <vector>

#include "agents/choice.hpp"
#include "agents/world_state.hpp"
#include "sim/scenario.hpp"

namespace multivector::sim {

enum class EventPhase { Fired, Expired, Lapsed };

[[nodiscard]] std::string_view event_phase_name(EventPhase phase);

struct EventRecord {
  Date date;
  int step = 0;
  EventPhase phase = EventPhase::Fired;
  std::string id;
  EventKind kind = EventKind::Threaten;
  Index source = -1;
  std::vector<Index> recipients;
  Index channel = -1;
  double magnitude = 0.0;
  bool scheduled = true;            // from the scenario, or triggered by the run
  std::string cause;                // why it happened (for triggered events and lapses)
  const Event* declared = nullptr;  // the scenario's event, when scheduled
};

// Pressure a threat in force puts on one country's decision.
struct ThreatContribution {
  Index event = -1;  // index into Scenario::events
  Index power = -1;
  std::vector<Index> options;
  double pressure = 0.0;  // m_k · q̃ · credibility · magnitude · V (before γ and salience)
};

struct DecisionRecord {
  Index item = -1;
  Index country = -1;
  Date date;
  int step = 0;
  const agents::Decision* decision = nullptr;
  Index realised = 0;
  Index previous_choice = -1;
  std::vector<ThreatContribution> threats;
};

struct StepRecord {
  Date date;
  int step = 0;
  int days = 0;  // how many days the step covers (steps on events' and items' dates are shorter)
  const agents::WorldState* state = nullptr;
  const RowMatrix* vulnerability = nullptr;
  const RowMatrix* effective_credibility = nullptr;
  const RowMatrix* leverage = nullptr;
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // The engine skips building records nobody asked for, which keeps sweeps fast.
  [[nodiscard]] virtual bool wants_events() const { return true; }
  [[nodiscard]] virtual bool wants_steps() const { return true; }
  virtual void on_event(const EventRecord& /*record*/) {}
  virtual void on_decision(const DecisionRecord& /*record*/) {}
  virtual void on_step(const StepRecord& /*record*/) {}
};

}  // namespace multivector::sim
