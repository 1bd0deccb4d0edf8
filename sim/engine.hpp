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

// Two agenda items are similar — for the persistence and habit terms — when they are of the same
// kind and type, the type being an item's first tag (a country's habit on human-rights texts says
// little about how it votes on security texts, even when both concern the same conflict).
[[nodiscard]] bool items_similar(const AgendaItem& left, const AgendaItem& right);

// The date at which each country's fitted orientation offset holds: the parameters' drift
// reference, else the scenario's start.
[[nodiscard]] Date drift_reference(const Scenario& scenario);

// The offset tags a run applies: the parameters' offset_tags in their order, then any other tag
// a country's offsets name (a parameters file fitted with other tags still applies as fitted).
[[nodiscard]] std::vector<std::string> applied_offset_tags(const DecisionParameters& decision);

// A tag on vote items that decision parameters with fitted tag intercepts give none: no text
// they were fitted on carried it, so they learned nothing about texts of that kind. A user who
// tags a new text with a tag of their own would otherwise not learn that it shifts nothing.
struct TagWithoutIntercept {
  std::string tag;
  std::vector<std::string> items;  // ids of the vote items carrying it, in agenda order
};

// The tags of the vote items in `items` that `decision` has no intercept for, in order of first
// appearance; none when `decision` has no tag intercepts at all (parameters nobody fitted).
[[nodiscard]] std::vector<TagWithoutIntercept> tags_without_intercepts(
    const std::vector<AgendaItem>& items, const DecisionParameters& decision);

// One line for a warning: the tag, its items, the fitted tags to choose from instead.
[[nodiscard]] std::string describe_tag_without_intercept(const TagWithoutIntercept& unfitted,
                                                         const DecisionParameters& decision);

// Years from drift_reference() to `date`: how far a country's fitted orientation has drifted on
// an item of that date.
[[nodiscard]] double drift_years(const Scenario& scenario, Date date);

// Recorded choices imposed instead of the rule's, to replay history: the engine still computes
// every feature and probability, but what a country "did" — and so persistence, retaliation and
// credibility learning — follows the record. −1 leaves a decision to the rule.
struct ReplayChoices {
  Index countries = 0;
  std::vector<Index> option;  // items × countries, row-major by agenda index

  [[nodiscard]] Index at(Index item, Index country) const {
    return option[static_cast<size_t>(item * countries + country)];
  }
};

struct RunOptions {
  DecisionMode decisions = DecisionMode::Modal;
  std::optional<std::uint64_t> seed;      // overrides scenario.seed
  const ReplayChoices* replay = nullptr;  // not owned; must outlive run()
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
    Index event;  // the PROTECT event that declared it
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
  std::vector<Index> event_order_;               // scenario events sorted by date
  std::vector<Index> item_order_;                // agenda items sorted by date
  std::vector<std::vector<Index>> peer_lists_;   // countries sharing a group with each country
  std::vector<agents::CountryOffsets> offsets_;  // per country
  std::vector<std::uint64_t> item_keys_;         // name_key of each agenda item's id
  std::vector<std::uint64_t> country_keys_;      // name_key of each country's id

  agents::WorldState state_;
  RowMatrix vulnerability_;
  RowMatrix effective_credibility_;
  RowMatrix leverage_;
  std::vector<ActiveSanction> sanctions_;
  std::vector<ActiveProtection> protections_;
  std::vector<ActiveThreat> threats_;
  std::vector<TriggeredSanction> triggered_;
  // Every country's choice on each item decided so far (empty until decided), indexed by item so
  // that look-ups cost the same on a long agenda.
  std::vector<std::vector<Index>> decided_;
  // Items fall into buckets of similar items (same kind and type). For each item: its bucket, the
  // most recent earlier item of its bucket and the most recent earlier item of its kind; fixed by
  // the agenda's dates and tags, so worked out once.
  std::vector<Index> bucket_of_;
  std::vector<Index> similar_predecessor_;
  std::vector<Index> recent_predecessor_;
  // Per bucket: how often each country chose each option name so far (the habit term), kept
  // incrementally so a long agenda stays linear.
  struct HabitCounts {
    std::vector<std::string> options;
    RowMatrix counts;         // countries × options
    std::vector<int> totals;  // per country
  };
  std::vector<HabitCounts> habits_;

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
  // The option `country` chose on `earlier`, translated into the options of `item_index`.
  [[nodiscard]] Index choice_on(Index earlier, Index item_index, Index country) const;
  void fill_history_inputs(Index item_index, Index country, agents::CountryInputs& inputs) const;
  void remember_choices(Index item_index, const std::vector<Index>& choices);
};

}  // namespace multivector::sim
