#pragma once
// Plain-language explanations of single decisions for the report and the what-if page, built from
// the utility terms a run records: the option chosen, how likely it was, and the two or three
// terms that favoured it most over the alternatives (with the alternatives each one beat).
// Deliberately small: the full `explain` command lives elsewhere; this is the one-paragraph
// version a student reads beside a chart.

#include <map>
#include <string>
#include <vector>

#include "results/recorder.hpp"

namespace multivector::results {

// One decision as the explanation sees it, whether it was read back from a run directory or taken
// from a RunRecorder in memory.
struct DecisionView {
  std::string item;       // agenda item id
  std::string item_name;  // its title, or the id when unknown
  bool statement = false;
  std::string date;
  std::string country;       // ISO alpha-3
  std::string country_name;  // or the code when unknown
  std::vector<std::string> options;
  std::vector<double> probability;         // per option
  std::vector<std::string> term_names;     // intercept, participation, leverage_RUS, ...
  std::vector<std::vector<double>> terms;  // options × term_names
  int chosen = 0;                          // the realised option
};

// Readable names of the scenario's powers and norms, for term labels.
struct TermLabels {
  std::map<std::string, std::string> powers;  // id → name
  std::map<std::string, std::string> norms;   // id → name
};

[[nodiscard]] TermLabels term_labels(const sim::Scenario& scenario);

// Long: "fear of offending Russia (its leverage)", for sentences; short: "leverage: Russia", for
// chart legends.
enum class TermLabelForm { Long, Short };
[[nodiscard]] std::string term_label(const std::string& term, const TermLabels& labels,
                                     TermLabelForm form = TermLabelForm::Long);
// "abstained" / "abstaining" for votes; "“silence”" for statement options.
[[nodiscard]] std::string option_past(const std::string& option, bool statement);
[[nodiscard]] std::string option_gerund(const std::string& option, bool statement);

struct ExplanationReason {
  std::string term;
  std::string label;
  double advantage = 0.0;  // probability-weighted margin over the alternatives
  std::vector<std::pair<std::string, double>> beats;  // alternative option → margin
};

struct Explanation {
  std::string text;
  std::vector<ExplanationReason> favouring;  // at most three, strongest first
  std::string runner_up;                     // the likeliest alternative
};

[[nodiscard]] Explanation explain_decision(const DecisionView& decision, const TermLabels& labels);

// The view of a decision recorded in memory (votes and statements alike).
[[nodiscard]] DecisionView decision_view(const RunRecorder& recorder, const DecisionRow& row);

}  // namespace multivector::results
