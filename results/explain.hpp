#pragma once
// Why one country chose what it chose on one agenda item (DESIGN §4): each option's probability,
// every utility term in words — leverage split by the channel it runs through, threats named by
// their event —, the events that moved the decision most, and the smallest change of a single
// input that would have changed the modal choice.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace multivector::results {

struct ExplainRequest {
  std::string country;  // ISO3 id in the scenario
  std::string item;     // agenda item id
  bool rank_events = true;
  bool search_inputs = true;
  int grid_steps = 16;       // probes per direction before bisecting
  int bisection_steps = 40;  // at most; stops when the bracket is 1e-9 of the searched range
  // Called after each event re-run and each input searched: (done, total). The search over a
  // large scenario takes tens of seconds, so the command line draws a bar from it.
  std::function<void(int, int)> progress;
};

// One additive piece of one option's utility.
struct UtilityTerm {
  std::string kind;   // intercept, participation, orientation, persistence, leverage, threat, norm
  std::string power;  // leverage, threat
  std::string channel;  // leverage: a channel id, or "inducements" for η·B
  std::string event;    // threat
  std::string norm;     // norm
  std::string text;     // in words
  double value = 0.0;
};

struct OptionExplanation {
  std::string option;
  double probability = 0.0;
  double utility = 0.0;
  std::vector<UtilityTerm> terms;  // the non-zero ones, largest magnitude first
};

// The state of the country towards one power on the day it decided.
struct PowerState {
  std::string power;
  double vulnerability = 0.0;                                         // V_ik
  double effective_credibility = 0.0;                                 // q̃_ik
  double leverage = 0.0;                                              // L_ik
  double inducement = 0.0;                                            // B_ik
  std::vector<std::pair<std::string, double>> channel_vulnerability;  // w_c·e_c·(1−a_c)
};

// One term's share of the modal option's lead over the runner-up: value(modal) − value(runner-up).
struct MarginTerm {
  std::string label;
  double value = 0.0;
};

struct EventInfluence {
  std::string event;
  std::string kind;
  std::string source;
  std::string date;
  std::string context;
  double chosen_probability_change = 0.0;  // P(chosen | event dropped) − P(chosen)
  std::string modal_without;
  std::vector<double> probability_without;
};

struct FlippingChange {
  std::string input;  // a numeric input path, or "events.ID" for a removal
  bool removal = false;
  double from = 0.0;
  double to = 0.0;
  double low = 0.0;  // the searched range
  double high = 0.0;
  double relative_change = 0.0;  // |to − from| / (high − low); 1 for a removal
  std::string new_modal;
};

struct Explanation {
  std::string country;
  std::string country_name;
  std::string item;
  std::string item_name;
  std::string resolution;
  bool statement = false;
  std::string date;  // the day the decision was taken
  std::string modal;
  std::string realised;
  std::string previous_choice;  // on the most recent similar item, if any
  std::vector<OptionExplanation> options;
  std::string runner_up;                 // the second most likely option
  double margin = 0.0;                   // U(modal) − U(runner-up)
  std::vector<MarginTerm> margin_terms;  // what makes up the margin, largest magnitude first
  std::vector<PowerState> powers;
  std::vector<EventInfluence> events;  // largest |change| first
  std::vector<FlippingChange> flips;   // smallest relative change first
  int inputs_searched = 0;
  int simulations = 0;
  // What the request skipped, so that finding no change is not read as a search that found none.
  bool inputs_search_skipped = false;  // ExplainRequest::search_inputs was false (--no-search)
  bool event_removal_skipped = false;  // ExplainRequest::rank_events was false (--no-events)
};

// Runs the scenario (up to the decision's day) and explains one decision. Throws InputError for
// an unknown country or item.
[[nodiscard]] Explanation explain_decision(const sim::Scenario& scenario,
                                           const sim::RunOptions& options,
                                           const ExplainRequest& request);

[[nodiscard]] std::string format_explanation(const Explanation& explanation, int top = 5);
[[nodiscard]] nlohmann::ordered_json explanation_json(const Explanation& explanation);

}  // namespace multivector::results
