#include "results/decision_explanation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "results/text_format.hpp"

namespace multivector::results {
namespace {

// Margins smaller than this are noise for a reader: they move a probability by well under 1%.
constexpr double kNegligible = 0.05;

std::string percent(double probability) {
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", 100.0 * probability);
  return text;
}

std::string name_or_id(const std::map<std::string, std::string>& names, const std::string& id) {
  const auto found = names.find(id);
  return found == names.end() || found->second.empty() ? id : found->second;
}

std::string humanise(std::string option) {
  std::replace(option.begin(), option.end(), '_', ' ');
  return option;
}

}  // namespace

TermLabels term_labels(const sim::Scenario& scenario) {
  TermLabels labels;
  for (const auto& power : scenario.powers) {
    labels.powers[power.id] = power.name;
  }
  for (const auto& norm : scenario.norms) {
    labels.norms[norm.id] = norm.name;
  }
  return labels;
}

std::string term_label(const std::string& term, const TermLabels& labels, TermLabelForm form) {
  const bool short_form = form == TermLabelForm::Short;
  if (term == "intercept") {
    return short_form ? "baseline appeal" : "the baseline appeal of the option";
  }
  if (term == "participation") {
    return short_form ? "participation"
                      : "participation (its habit of staying out, weighed against the vote's "
                        "salience)";
  }
  if (term == "orientation") {
    return short_form ? "orientation" : "its orientation between Moscow and the West";
  }
  if (term == "persistence") {
    return short_form ? "persistence" : "consistency with its previous vote on a similar text";
  }
  if (term.rfind("leverage_", 0) == 0) {
    const std::string power = name_or_id(labels.powers, term.substr(9));
    return short_form ? "leverage: " + power : "fear of offending " + power + " (its leverage)";
  }
  if (term.rfind("threat_", 0) == 0) {
    const std::string power = name_or_id(labels.powers, term.substr(7));
    return short_form ? "threats: " + power : power + "'s explicit threats";
  }
  if (term.rfind("norm_", 0) == 0) {
    const std::string norm = name_or_id(labels.norms, term.substr(5));
    return short_form ? "norm: " + norm : "the norm of " + norm;
  }
  return term;
}

std::string option_past(const std::string& option, bool statement) {
  if (!statement) {
    if (option == "Y")
      return "voted Yes";
    if (option == "N")
      return "voted No";
    if (option == "A")
      return "abstained";
    if (option == "NV")
      return "did not vote";
  }
  return "chose \u201c" + humanise(option) + "\u201d";
}

std::string option_gerund(const std::string& option, bool statement) {
  if (!statement) {
    if (option == "Y")
      return "voting Yes";
    if (option == "N")
      return "voting No";
    if (option == "A")
      return "abstaining";
    if (option == "NV")
      return "not voting";
  }
  return "\u201c" + humanise(option) + "\u201d";
}

Explanation explain_decision(const DecisionView& decision, const TermLabels& labels) {
  Explanation explanation;
  const int options = static_cast<int>(decision.options.size());
  const int chosen = decision.chosen;
  if (options == 0 || chosen < 0 || chosen >= options) {
    explanation.text = decision.country_name + ": no decision recorded.";
    return explanation;
  }
  std::vector<int> alternatives;
  double alternative_mass = 0.0;
  for (int option = 0; option < options; ++option) {
    if (option != chosen) {
      alternatives.push_back(option);
      alternative_mass += decision.probability[option];
    }
  }
  std::sort(alternatives.begin(), alternatives.end(), [&](int left, int right) {
    return decision.probability[left] > decision.probability[right];
  });
  // Each alternative counts by how likely it was, so a term that beats the serious rival outranks
  // one that only beats an option nobody would take. With all mass on the choice, count equally.
  const auto weight = [&](int option) {
    return alternative_mass > 1e-12 ? decision.probability[option] / alternative_mass
                                    : 1.0 / static_cast<double>(alternatives.size());
  };
  std::vector<ExplanationReason> reasons;
  for (std::size_t term = 0; term < decision.term_names.size(); ++term) {
    ExplanationReason reason;
    reason.term = decision.term_names[term];
    reason.label = term_label(reason.term, labels);
    for (int option : alternatives) {
      const double margin = decision.terms[chosen][term] - decision.terms[option][term];
      reason.advantage += weight(option) * margin;
      if (margin > kNegligible) {
        reason.beats.emplace_back(decision.options[option], margin);
      }
    }
    reasons.push_back(std::move(reason));
  }
  std::sort(reasons.begin(), reasons.end(),
            [](const auto& left, const auto& right) { return left.advantage > right.advantage; });

  std::string text =
      decision.country_name + " " + option_past(decision.options[chosen], decision.statement) +
      " on " + decision.item_name + " (probability " + percent(decision.probability[chosen]) + ")";
  if (!alternatives.empty()) {
    explanation.runner_up = decision.options[alternatives.front()];
    text += "; the likeliest alternative was " +
            option_gerund(explanation.runner_up, decision.statement) + " at " +
            percent(decision.probability[alternatives.front()]);
  }
  text += ".";
  for (const auto& reason : reasons) {
    if (explanation.favouring.size() == 3 || reason.advantage <= kNegligible ||
        reason.beats.empty()) {
      break;
    }
    explanation.favouring.push_back(reason);
  }
  if (!explanation.favouring.empty()) {
    text += " What favoured it most: ";
    for (std::size_t index = 0; index < explanation.favouring.size(); ++index) {
      const auto& reason = explanation.favouring[index];
      if (index > 0) {
        text += index + 1 == explanation.favouring.size() ? "; and " : "; ";
      }
      text += reason.label + " (";
      for (std::size_t beat = 0; beat < reason.beats.size(); ++beat) {
        text += (beat > 0 ? ", " : "") + signed_text(reason.beats[beat].second, 2) + " over " +
                option_gerund(reason.beats[beat].first, decision.statement);
      }
      text += ")";
    }
    text += ".";
  } else {
    text += " No single term stood out: the options were close.";
  }
  // The strongest force the other way shows what the choice had to overcome.
  const auto& against = reasons.back();
  if (against.advantage < -2.0 * kNegligible) {
    text += " Against it: " + against.label + " (" + signed_text(against.advantage, 2) + ").";
  }
  explanation.text = std::move(text);
  return explanation;
}

DecisionView decision_view(const RunRecorder& recorder, const DecisionRow& row) {
  const sim::Scenario& scenario = recorder.scenario();
  const sim::AgendaItem& item = scenario.agenda[static_cast<std::size_t>(row.item)];
  const sim::Country& country = scenario.countries[static_cast<std::size_t>(row.country)];
  DecisionView view;
  view.item = item.id;
  view.item_name = item.resolution.empty() ? item.name : item.id + " \u201c" + item.name + "\u201d";
  view.statement = item.kind == sim::ItemKind::Statement;
  view.date = sim::format_date(row.date);
  view.country = country.id;
  view.country_name = country.name.empty() ? country.id : country.name;
  view.options = item.options;
  view.term_names = term_names(scenario);
  view.chosen = static_cast<int>(row.realised);
  for (Index option = 0; option < row.probability.size(); ++option) {
    view.probability.push_back(row.probability(option));
    std::vector<double> terms;
    for (Index term = 0; term < row.terms.cols(); ++term) {
      terms.push_back(row.terms(option, term));
    }
    view.terms.push_back(std::move(terms));
  }
  return view;
}

}  // namespace multivector::results
