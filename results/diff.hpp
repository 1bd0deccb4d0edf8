#pragma once
// What changed between two runs — typically a what-if against its base: every decision whose
// modal option or probabilities moved, by how much, the utility terms that account for the move,
// and the inputs (scenario files, overrides, dropped events, parameters, seed) and events that
// differ between the runs.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/run_directory.hpp"

namespace multivector::results {

struct DiffOptions {
  double threshold = 1e-9;  // a probability or term counts as moved when |Δ| exceeds this
};

// One input that differs: "--drop-event rus_note", "parameters.decision.leverage.RUS", ...
struct InputDifference {
  std::string input;
  std::string in_a;  // "" when absent from A
  std::string in_b;
};

// An event line of events.jsonl present in one run only.
struct EventDifference {
  std::string only_in;  // "A" or "B"; "" for an event in both whose fields differ (`changed`)
  std::string id;
  std::string date;
  std::string phase;
  std::string kind;
  std::string source;
  std::vector<std::string> recipients;
  std::string cause;
  std::vector<std::string> changed;  // "magnitude 0.6 → 0.9" for each field that differs
};

struct TermDelta {
  std::string option;  // the option, or "NEW−OLD" for the margin between two options
  std::string term;
  double delta = 0.0;
};

struct DecisionChange {
  std::string item;
  std::string country;
  std::string date;    // in A
  std::string date_b;  // in B: a what-if may move an agenda item's date
  bool statement = false;
  std::string modal_a;
  std::string modal_b;
  // What each run recorded as chosen: the modal option, or the seeded draw of a sampled run,
  // which can differ between two runs whose probabilities do not.
  std::string realised_a;
  std::string realised_b;
  std::vector<std::string> options;
  std::vector<double> probability_a;
  std::vector<double> probability_b;
  double largest_change = 0.0;      // max over options of |Δp|
  std::vector<TermDelta> terms;     // every moved (option, term), largest |Δ| first
  std::vector<TermDelta> margin;    // modal changed: Δ[U(B's modal) − U(A's modal)] by term
  std::vector<std::string> events;  // differing events addressed to the country by that day
};

struct RunDiff {
  std::string run_a;
  std::string run_b;
  // What A and B, in that order, were made from (each manifest's version, scenario files and
  // hashes, seed, decisions, overrides, dropped events, parameters file), so a saved diff names
  // its runs. A vector, whose move cannot throw, keeps RunDiff's own move from throwing.
  std::vector<nlohmann::json> provenance;
  double threshold = 0.0;
  std::vector<InputDifference> inputs;
  std::vector<EventDifference> events;
  std::vector<DecisionChange> changes;  // changed choices first, then largest |Δp| first
  int decisions_compared = 0;
  int modal_changes = 0;
  int realised_changes = 0;            // decisions whose recorded (drawn) choice differs
  std::vector<std::string> only_in_a;  // "ITEM COUNTRY" decided in A but not in B
  std::vector<std::string> only_in_b;

  [[nodiscard]] bool empty() const {
    return inputs.empty() && events.empty() && changes.empty() && only_in_a.empty() &&
           only_in_b.empty();
  }
};

[[nodiscard]] RunDiff diff_runs(const RunDirectory& a, const RunDirectory& b,
                                const DiffOptions& options = {});

[[nodiscard]] std::string format_diff(const RunDiff& diff, int max_changes = 20);
[[nodiscard]] nlohmann::ordered_json diff_json(const RunDiff& diff);

}  // namespace multivector::results
