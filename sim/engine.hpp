#pragma once
// The stepping engine: fires events, updates every country's state by the rules in agents/,
// decides the agenda items due each day and lets powers retaliate as they threatened.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agents/choice.hpp"
#include "agents/dynamics.hpp"
#include "sim/run_observer.hpp"
#include "sim/scenario.hpp"

namespace multivector::sim {

enum class DecisionMode { Modal, Sample };

// Two agenda items are similar — for the persistence term κ — when they are of the same kind and
// share at least half of all the tags either carries.
[[nodiscard]] bool items_similar(const AgendaItem& left, const AgendaItem& right);

struct RunOptions {
  DecisionMode decisions = DecisionMode::Modal;
  std::optional<std::uint64_t> seed;  // overrides scenario.seed
};

// Everything the decision rule needs about one item, prepared once per run.
struct PreparedItem {
  agents::ItemFeatures features;
  Vector intercept;  // α_o, including the item's tag intercepts
};

class Engine {
 public:
  Engine(const Scenario& scenario, RunOptions options);

  // Runs the scenario from its start to its end, reporting to `observer`. Each call starts from
  // the scenario's initial state, so one Engine can run many times.
  void run(RunObserver& observer);

  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] const agents::WorldState& state() const { return state_; }
  [[nodiscard]] const std::vector<PreparedItem>& items() const { return prepared_items_; }

 private:
  struct ActiveSanction {
    Index power;
    Index country;
    Index channel;  // −1: every channel
    double magnitude;
    std::int64_t end_day;
    std::string id;
  };
  struct ActiveProtection {
    Index country;
    Index against;
    double strength;
    std::int64_t end_day;
  };
  struct ActiveThreat {
    Index event;
    std::int64_t end_day;
  };
  struct TriggeredSanction {
    std::int64_t day;
    Index power;
    Index country;
    Index channel;
    double magnitude;
    std::string id;
    std::string cause;
  };

  const Scenario& scenario_;
  RunOptions options_;
  std::uint64_t seed_;
  agents::PowerProfile powers_;
  agents::PeerStructure peers_;
  agents::OrientationWeights orientation_weights_;
  agents::DecisionWeights decision_weights_;
  std::vector<PreparedItem> prepared_items_;
  std::vector<Index> event_order_;              // scenario events sorted by date
  std::vector<Index> item_order_;               // agenda items sorted by date
  std::vector<std::vector<Index>> peer_lists_;  // countries sharing a group with each country
  Vector orientation_offset_;
  Vector participation_offset_;

  agents::WorldState state_;
  RowMatrix vulnerability_;
  RowMatrix effective_credibility_;
  RowMatrix leverage_;
  std::vector<ActiveSanction> sanctions_;
  std::vector<ActiveProtection> protections_;
  std::vector<ActiveThreat> threats_;
  std::vector<TriggeredSanction> triggered_;
  // Every country's choice on each item decided so far (empty until decided), for the κ term's
  // "previous similar item". Indexed by item so the look-up costs the same on a long agenda.
  std::vector<std::vector<Index>> decided_;
  // For each item, the most recent earlier similar item (index into the agenda) or −1; fixed by
  // the agenda's dates and tags, so it is worked out once.
  std::vector<Index> similar_predecessor_;

  void prepare();
  void reset();
  void step_events(std::int64_t day, int step, RunObserver& observer);
  void fire_scheduled(const Event& event, Index event_index, std::int64_t day, int step,
                      RunObserver& observer);
  void fire_sanction(Index power, const std::vector<Index>& recipients, Index channel,
                     double magnitude, bool ambiguous, std::int64_t end_day, const std::string& id);
  void learn_from_coercion(Index power, const std::vector<Index>& recipients, double observation);
  void decide_item(Index item_index, std::int64_t day, int step, RunObserver& observer);
  [[nodiscard]] bool threat_covers(const Event& threat, Index item_index) const;
  [[nodiscard]] Index previous_choice(Index item_index, Index country) const;
};

}  // namespace multivector::sim
