#include "results/explain.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "agents/choice.hpp"
#include "agents/dynamics.hpp"
#include "results/text_format.hpp"
#include "sim/diagnostics.hpp"
#include "sim/scenario_paths.hpp"

namespace multivector::results {
namespace {

using sim::Index;
using sim::RowMatrix;
using sim::Vector;

// Captures one country's decision on one item and, when asked, its state on that day.
class DecisionProbe : public sim::RunObserver {
 public:
  DecisionProbe(Index item, Index country, bool capture_state)
      : item_(item), country_(country), capture_state_(capture_state) {}

  [[nodiscard]] bool wants_events() const override { return false; }
  [[nodiscard]] bool wants_steps() const override { return capture_state_; }

  void on_decision(const sim::DecisionRecord& record) override {
    if (record.item != item_ || record.country != country_) {
      return;
    }
    found = true;
    step = record.step;
    date = record.date;
    decision = *record.decision;
    realised = record.realised;
    previous_choice = record.previous_choice;
    threats = record.threats;
  }

  void on_step(const sim::StepRecord& record) override {
    if (!found || state_captured || record.step != step) {
      return;
    }
    // The step record comes after the day's decisions, but vulnerability, credibility and
    // leverage were computed before them and are what the decision used.
    state_captured = true;
    const agents::WorldState& state = *record.state;
    const Index powers = state.dims.powers;
    const Index channels = state.dims.channels;
    vulnerability = record.vulnerability->row(country_).transpose();
    effective_credibility = record.effective_credibility->row(country_).transpose();
    leverage = record.leverage->row(country_).transpose();
    inducement = state.inducement.row(country_).transpose();
    channel_vulnerability.resize(powers, channels);
    for (Index power = 0; power < powers; ++power) {
      for (Index channel = 0; channel < channels; ++channel) {
        channel_vulnerability(power, channel) =
            agents::channel_vulnerability(state, country_, power, channel);
      }
    }
    norm_sensitivity =
        (state.norm_sensitivity.row(country_) * (1.0 + state.alarm.row(country_))).transpose();
    orientation = state.orientation(country_);
  }

  bool found = false;
  bool state_captured = false;
  int step = -1;
  sim::Date date;
  agents::Decision decision;
  Index realised = -1;
  Index previous_choice = -1;
  std::vector<sim::ThreatContribution> threats;
  Vector vulnerability;
  Vector effective_credibility;
  Vector leverage;
  Vector inducement;
  RowMatrix channel_vulnerability;  // powers × channels
  Vector norm_sensitivity;
  double orientation = 0.0;

 private:
  Index item_;
  Index country_;
  bool capture_state_;
};

struct Outcome {
  Index modal = 0;
  Vector probability;
};

// Everything the searches need to re-run the decision cheaply.
class Rerun {
 public:
  Rerun(sim::Scenario scenario, const sim::RunOptions& options, Index item, Index country)
      : scenario_(std::move(scenario)), options_(options), item_(item), country_(country) {}

  sim::Scenario& scenario() { return scenario_; }

  Outcome run() {
    ++simulations_;
    DecisionProbe probe(item_, country_, false);
    sim::Engine engine(scenario_, options_);
    engine.run(probe);
    return Outcome{probe.decision.modal, probe.decision.probability};
  }

  [[nodiscard]] int simulations() const { return simulations_; }

 private:
  sim::Scenario scenario_;
  sim::RunOptions options_;
  Index item_;
  Index country_;
  int simulations_ = 0;
};

std::string significant4(double value) {
  return significant_text(value, 4);
}

// The value that flips the choice, in 4 significant digits rounded away from the current value:
// rounded to the nearest, about half of them would land just short of the tipping point, and a
// user who types the printed value into --set would see nothing change. Falls back to more
// digits where rounding away would leave the input's range.
std::string flip_value_text(double from, double to, double low, double high) {
  if (to == 0.0 || !std::isfinite(to)) {
    return significant4(to);
  }
  const double step = std::pow(10.0, std::floor(std::log10(std::fabs(to))) - 3.0);
  // A tipping point already on the 4-digit grid stays there (0.04 is not printed as 0.03999
  // because 0.04 / 1e-5 comes out a hair below 4000).
  const double steps = to / step;
  const double nearest = std::round(steps);
  const double rounded = (std::fabs(steps - nearest) < 1e-6 ? nearest
                          : to > from                       ? std::ceil(steps)
                                                            : std::floor(steps)) *
                         step;
  if (rounded >= low && rounded <= high) {
    return significant4(rounded);
  }
  for (int digits = 5; digits <= 17; ++digits) {
    std::array<char, 40> plain{};
    std::snprintf(plain.data(), plain.size(), "%.*g", digits, to);
    if (std::strtod(plain.data(), nullptr) == to) {
      return significant_text(to, digits);
    }
  }
  return significant_text(to, 17);
}

std::string power_label(const sim::Power& power) {
  return power.name.empty() ? power.id : power.name;
}

std::string norm_label(const sim::Norm& norm) {
  return norm.name.empty() ? norm.id : norm.name;
}

std::string describe_lean(double lean) {
  if (lean > 0.0) {
    return "leaning West (" + signed_text(lean, 1) + ")";
  }
  if (lean < 0.0) {
    return "leaning towards Russia (" + signed_text(lean, 1) + ")";
  }
  return "without lean";
}

constexpr double kNegligible = 1e-12;

void add_term(std::vector<UtilityTerm>& terms, UtilityTerm term) {
  if (std::fabs(term.value) > kNegligible) {
    terms.push_back(std::move(term));
  }
}

// " ; fitted to its recorded votes: −0.53" when `calibrate` gave the country an offset on this
// term: the term's value is then partly the country's own record, not the scenario's inputs, and
// the words must say so (a negative offset can outweigh the attachment the label names).
std::string offset_note(double offset) {
  return std::fabs(offset) < 0.005 ? ""
                                   : "; fitted to its recorded votes: " + signed_text(offset, 2);
}

// The same for an offset made of parts (the country's record everywhere, its drift since the
// reference date, its record on an offset tag's items): the total, then each part that counts,
// in one flat list — "+0.77, of which −1.33 as of 2018-09-09, +0.41 of drift since (+0.12 a
// year), +1.69 on emergency_session items" — so the reader sees which record speaks without
// parentheses inside parentheses.
struct OffsetPart {
  double value = 0.0;
  std::string label;
};

std::string offset_note(const std::vector<OffsetPart>& parts) {
  double total = 0.0;
  std::vector<const OffsetPart*> shown;
  for (const OffsetPart& part : parts) {
    total += part.value;
    if (std::fabs(part.value) >= 0.005) {
      shown.push_back(&part);
    }
  }
  if (shown.empty()) {
    return "";
  }
  std::string note = "; fitted to its recorded votes: " + signed_text(total, 2);
  if (shown.size() == 1 && shown.front() == &parts.front()) {
    return note;  // the country's record everywhere, nothing more to name
  }
  note += ", of which ";
  for (size_t index = 0; index < shown.size(); ++index) {
    note +=
        (index == 0 ? "" : ", ") + signed_text(shown[index]->value, 2) + " " + shown[index]->label;
  }
  return note;
}

OptionExplanation explain_option(const sim::Scenario& scenario, Index item_index, Index option,
                                 const DecisionProbe& probe, const sim::CountryOffset& offset) {
  const sim::AgendaItem& item = scenario.agenda[static_cast<size_t>(item_index)];
  const agents::Decision& decision = probe.decision;
  const agents::TermLayout layout{static_cast<Index>(scenario.powers.size()),
                                  static_cast<Index>(scenario.norms.size())};
  const sim::DecisionParameters& weights = scenario.parameters.decision;
  const std::string& name = item.options[static_cast<size_t>(option)];
  OptionExplanation explained;
  explained.option = name;
  explained.probability = decision.probability(option);
  explained.utility = decision.utility(option);
  std::vector<UtilityTerm>& terms = explained.terms;

  add_term(terms, UtilityTerm{"intercept", "", "", "", "", "baseline preference for " + name,
                              decision.terms(option, agents::TermLayout::kIntercept)});
  // On an item of an offset tag the country's fitted lean and participation are those it showed
  // on such items, which the words name, so a reader sees why an emergency-session vote differs
  // from the country's record elsewhere.
  double tag_orientation = 0.0;
  double tag_participation = 0.0;
  std::string tag_names;
  for (const auto& [tag, tag_offset] : offset.by_tag) {
    if (std::find(item.tags.begin(), item.tags.end(), tag) != item.tags.end()) {
      tag_orientation += tag_offset.orientation;
      tag_participation += tag_offset.participation;
      tag_names += (tag_names.empty() ? "" : ", ") + tag;
    }
  }
  const std::string on_tag_items = "on " + tag_names + " items";
  add_term(terms,
           UtilityTerm{"participation", "", "", "", "",
                       "propensity to stay out (salience " + fixed_text(item.salience, 2) + ")" +
                           offset_note({{offset.participation, "on every text"},
                                        {tag_participation, on_tag_items}}),
                       decision.terms(option, agents::TermLayout::kParticipation)});
  // The fitted offset as it stands on the item's date: the offset at the drift reference plus
  // the country's drift since (a country whose lean moved over the record says so).
  const double drifted = offset.orientation_drift * sim::drift_years(scenario, item.date);
  const bool drifts = std::fabs(offset.orientation_drift) >= 0.005;
  const std::string reference = sim::format_date(sim::drift_reference(scenario));
  const std::optional<sim::Date>& until = scenario.parameters.decision.drift_until;
  const std::string held = until && *until < item.date ? ", held from " + sim::format_date(*until) +
                                                             ", the last text fitted"
                                                       : "";
  const std::string fitted_orientation =
      offset_note({{offset.orientation, drifts ? "as of " + reference : "on every text"},
                   {drifted, "of drift since (" + signed_text(offset.orientation_drift, 2) +
                                 " a year" + held + ")"},
                   {tag_orientation, on_tag_items}});
  add_term(terms,
           UtilityTerm{"orientation", "", "", "", "",
                       "orientation x = " + signed_text(probe.orientation, 2) + " on an option " +
                           describe_lean(item.lean(option)) + fitted_orientation,
                       decision.terms(option, agents::TermLayout::kOrientation)});
  // The persistence column carries every habit-like term of the rule, so it is shown whether or
  // not there was a previous similar item (the terms must add up to the utility).
  const std::string previous = probe.previous_choice >= 0
                                   ? " (its choice on the previous similar item: " +
                                         item.options[static_cast<size_t>(probe.previous_choice)] +
                                         ")"
                                   : "";
  add_term(terms,
           UtilityTerm{"persistence", "", "", "", "", "habit: its earlier choices" + previous,
                       decision.terms(option, agents::TermLayout::kPersistence)});
  for (Index power = 0; power < layout.powers; ++power) {
    const sim::Power& declared = scenario.powers[static_cast<size_t>(power)];
    const std::string who = power_label(declared);
    // −γ_k·σ·L_ik·offence_k(o), with L_ik = m_k·q̃_ik·Σ_c V_c + η·B_ik: each channel (and the
    // inducements) carries its share of L.
    const double leverage_term = decision.terms(option, layout.leverage(power));
    const double leverage = probe.leverage(power);
    if (std::fabs(leverage_term) > kNegligible && leverage > 0.0) {
      const double coercive = declared.capacity * probe.effective_credibility(power);
      for (Index channel = 0; channel < probe.channel_vulnerability.cols(); ++channel) {
        const double share = coercive * probe.channel_vulnerability(power, channel) / leverage;
        const std::string& channel_id = scenario.channels[static_cast<size_t>(channel)].id;
        add_term(terms, UtilityTerm{"leverage", declared.id, channel_id, "", "",
                                    who + "'s leverage via " + channel_id, leverage_term * share});
      }
      const double inducement_share =
          scenario.parameters.dynamics.inducement_weight * probe.inducement(power) / leverage;
      add_term(terms, UtilityTerm{"leverage", declared.id, "inducements", "", "",
                                  who + "'s leverage via the inducements it gave",
                                  leverage_term * inducement_share});
    }
    // Threats: −γ_k·σ·pressure for each threat in force that punishes this option.
    for (const auto& threat : probe.threats) {
      if (threat.power != power ||
          std::find(threat.options.begin(), threat.options.end(), option) == threat.options.end()) {
        continue;
      }
      const sim::Event& event = scenario.events[static_cast<size_t>(threat.event)];
      add_term(terms, UtilityTerm{"threat", declared.id, "", event.id, "",
                                  who + "'s threat " + event.id +
                                      (event.mode.empty() ? "" : " (" + event.mode + ")"),
                                  -weights.leverage(power) * item.salience * threat.pressure});
    }
  }
  for (Index norm = 0; norm < layout.norms; ++norm) {
    const sim::Norm& declared = scenario.norms[static_cast<size_t>(norm)];
    const auto norm_offset = offset.norms.find(declared.id);
    add_term(
        terms,
        UtilityTerm{"norm", "", "", "", declared.id,
                    "norm: " + norm_label(declared) + " (sensitivity " +
                        fixed_text(probe.norm_sensitivity(norm), 2) +
                        offset_note(norm_offset == offset.norms.end() ? 0.0 : norm_offset->second) +
                        ")",
                    decision.terms(option, layout.norm(norm))});
  }
  std::stable_sort(terms.begin(), terms.end(),
                   [](const UtilityTerm& left, const UtilityTerm& right) {
                     return std::fabs(left.value) > std::fabs(right.value);
                   });
  return explained;
}

// The same term on two options (the threat of one event, the leverage through one channel).
std::string term_key(const UtilityTerm& term) {
  return term.kind + "|" + term.power + "|" + term.channel + "|" + term.event + "|" + term.norm;
}

std::string margin_label(const UtilityTerm& term, const Explanation& explanation) {
  if (term.kind == "intercept") {
    return "baseline preferences (intercepts)";
  }
  if (term.kind == "participation") {
    return "propensity to stay out";
  }
  if (term.kind == "orientation") {
    return "orientation";
  }
  if (term.kind == "persistence") {
    return explanation.previous_choice.empty()
               ? "habit: its earlier choices"
               : "habit: its earlier choices (previous similar item: " +
                     explanation.previous_choice + ")";
  }
  return term.text;
}

void explain_margin(Explanation& explanation, Index modal) {
  Index runner_up = -1;
  for (Index option = 0; option < static_cast<Index>(explanation.options.size()); ++option) {
    if (option != modal &&
        (runner_up < 0 || explanation.options[static_cast<size_t>(option)].probability >
                              explanation.options[static_cast<size_t>(runner_up)].probability)) {
      runner_up = option;
    }
  }
  if (runner_up < 0) {
    return;
  }
  const OptionExplanation& first = explanation.options[static_cast<size_t>(modal)];
  const OptionExplanation& second = explanation.options[static_cast<size_t>(runner_up)];
  explanation.runner_up = second.option;
  explanation.margin = first.utility - second.utility;
  std::vector<std::string> keys;
  std::vector<MarginTerm> terms;
  const auto add = [&](const UtilityTerm& term, double sign) {
    const std::string key = term_key(term);
    const auto found = std::find(keys.begin(), keys.end(), key);
    if (found == keys.end()) {
      keys.push_back(key);
      terms.push_back(MarginTerm{margin_label(term, explanation), sign * term.value});
    } else {
      terms[static_cast<size_t>(found - keys.begin())].value += sign * term.value;
    }
  };
  for (const auto& term : first.terms) {
    add(term, 1.0);
  }
  for (const auto& term : second.terms) {
    add(term, -1.0);
  }
  terms.erase(
      std::remove_if(terms.begin(), terms.end(),
                     [](const MarginTerm& term) { return std::fabs(term.value) <= kNegligible; }),
      terms.end());
  std::stable_sort(terms.begin(), terms.end(), [](const MarginTerm& left, const MarginTerm& right) {
    return std::fabs(left.value) > std::fabs(right.value);
  });
  explanation.margin_terms = std::move(terms);
}

// The inputs that can bear on this decision: the country's own, the item's, and those of the
// events addressed to the country before it decided.
bool relevant_input(const std::string& path, const std::vector<std::string>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& prefix) { return path.starts_with(prefix); });
}

// Inputs whose valid range is open-ended (channel weights, salience, aid magnitudes) are searched
// up to twice their value (at least 1), so "relative to the range" stays meaningful.
constexpr double kOpenEndedSpan = 10.0;

void search_input(Rerun& rerun, const sim::NumericInput& input, const sim::AgendaItem& item,
                  Index base_modal, const ExplainRequest& request,
                  std::vector<FlippingChange>& flips) {
  sim::Scenario& scenario = rerun.scenario();
  const double original = input.get(scenario);
  const double low = input.low;
  double high = input.high;
  if (high - low > kOpenEndedSpan) {
    high = std::min(high, std::max(1.0, 2.0 * std::fabs(original)));
  }
  if (!(high > low) || original < low || original > high) {
    return;
  }
  const double span = high - low;
  std::optional<FlippingChange> best;
  for (const double end : {low, high}) {
    if (end == original) {
      continue;
    }
    double same = original;
    std::optional<double> differs;
    Index differs_modal = base_modal;
    for (int step = 1; step <= request.grid_steps && !differs; ++step) {
      const double value = original + (end - original) * step / request.grid_steps;
      input.set(scenario, value);
      const Outcome outcome = rerun.run();
      if (outcome.modal != base_modal) {
        differs = value;
        differs_modal = outcome.modal;
      } else {
        same = value;
      }
    }
    if (!differs) {
      continue;
    }
    for (int step = 0; step < request.bisection_steps && std::fabs(*differs - same) > 1e-9 * span;
         ++step) {
      const double middle = 0.5 * (same + *differs);
      input.set(scenario, middle);
      const Outcome outcome = rerun.run();
      if (outcome.modal != base_modal) {
        differs = middle;
        differs_modal = outcome.modal;
      } else {
        same = middle;
      }
    }
    FlippingChange flip;
    flip.input = input.path;
    flip.from = original;
    flip.to = *differs;
    flip.low = low;
    flip.high = high;
    flip.relative_change = std::fabs(*differs - original) / span;
    flip.new_modal = item.options[static_cast<size_t>(differs_modal)];
    if (!best || flip.relative_change < best->relative_change) {
      best = flip;
    }
  }
  input.set(scenario, original);
  if (best) {
    flips.push_back(*best);
  }
}

}  // namespace

Explanation explain_decision(const sim::Scenario& scenario, const sim::RunOptions& options,
                             const ExplainRequest& request) {
  const Index country = scenario.find_country(request.country);
  const Index item_index = scenario.find_item_or_resolution(request.item);
  sim::Diagnostics diagnostics;
  if (country < 0) {
    std::vector<std::string> ids;
    for (const auto& declared : scenario.countries) {
      ids.push_back(declared.id);
    }
    diagnostics.error(sim::SourceLocation{"--country " + request.country, 0, 0},
                      "the scenario has no country '" + request.country + "'" +
                          sim::suggestion_any_case(request.country, ids));
  }
  if (item_index < 0) {
    std::vector<std::string> ids;
    for (const auto& declared : scenario.agenda) {
      ids.push_back(declared.id);
    }
    diagnostics.error(sim::SourceLocation{"--item " + request.item, 0, 0},
                      "the scenario has no agenda item '" + request.item + "'" +
                          sim::suggestion(request.item, ids));
  }
  diagnostics.throw_if_any();
  const sim::AgendaItem& item = scenario.agenda[static_cast<size_t>(item_index)];

  // Nothing after the decision can change it, so every re-run stops on its day.
  sim::Scenario truncated = scenario;
  const std::int64_t decision_day_bound = item.date.days + scenario.info.step_days - 1;
  truncated.info.end.days = std::min(truncated.info.end.days, decision_day_bound);

  DecisionProbe probe(item_index, country, true);
  {
    sim::Engine engine(truncated, options);
    engine.run(probe);
  }
  if (!probe.found || !probe.state_captured) {
    throw sim::InputError(sim::SourceLocation{"--item " + request.item, 0, 0},
                          "the item is never decided: its date lies outside the scenario");
  }

  Explanation explanation;
  explanation.inputs_search_skipped = !request.search_inputs;
  explanation.event_removal_skipped = !request.rank_events;
  const sim::Country& declared = scenario.countries[static_cast<size_t>(country)];
  explanation.country = declared.id;
  explanation.country_name = declared.name;
  explanation.item = item.id;
  explanation.item_name = item.name;
  explanation.resolution = item.resolution;
  explanation.statement = item.kind == sim::ItemKind::Statement;
  explanation.date = sim::format_date(probe.date);
  const Index base_modal = probe.decision.modal;
  explanation.modal = item.options[static_cast<size_t>(base_modal)];
  explanation.realised = item.options[static_cast<size_t>(probe.realised)];
  if (probe.previous_choice >= 0) {
    explanation.previous_choice = item.options[static_cast<size_t>(probe.previous_choice)];
  }
  const auto fitted = scenario.parameters.decision.country_offsets.find(declared.id);
  const sim::CountryOffset offset = fitted == scenario.parameters.decision.country_offsets.end()
                                        ? sim::CountryOffset{}
                                        : fitted->second;
  for (Index option = 0; option < static_cast<Index>(item.options.size()); ++option) {
    explanation.options.push_back(explain_option(scenario, item_index, option, probe, offset));
  }
  explain_margin(explanation, base_modal);
  for (Index power = 0; power < static_cast<Index>(scenario.powers.size()); ++power) {
    PowerState state;
    state.power = scenario.powers[static_cast<size_t>(power)].id;
    state.vulnerability = probe.vulnerability(power);
    state.effective_credibility = probe.effective_credibility(power);
    state.leverage = probe.leverage(power);
    state.inducement = probe.inducement(power);
    for (Index channel = 0; channel < probe.channel_vulnerability.cols(); ++channel) {
      state.channel_vulnerability.emplace_back(scenario.channels[static_cast<size_t>(channel)].id,
                                               probe.channel_vulnerability(power, channel));
    }
    explanation.powers.push_back(std::move(state));
  }

  Rerun rerun(truncated, options, item_index, country);
  const double chosen_probability = probe.decision.probability(probe.realised);
  // The inputs that can move this decision: the country's, the item's and those of the events
  // aimed at the country before it. Listed first so progress knows the whole amount of work.
  std::vector<sim::NumericInput> searched_inputs;
  if (request.search_inputs) {
    std::vector<std::string> prefixes = {"countries." + declared.id + ".",
                                         "agenda." + item.id + "."};
    for (const auto& event : scenario.events) {
      if (event.date <= probe.date && std::find(event.recipients.begin(), event.recipients.end(),
                                                country) != event.recipients.end()) {
        prefixes.push_back("events." + event.id + ".");
      }
    }
    for (const auto& input : sim::numeric_inputs(rerun.scenario())) {
      if (relevant_input(input.path, prefixes)) {
        searched_inputs.push_back(input);
      }
    }
  }
  const auto events_before =
      std::count_if(scenario.events.begin(), scenario.events.end(),
                    [&](const sim::Event& event) { return event.date <= probe.date; });
  const int total_steps = (request.rank_events ? static_cast<int>(events_before) : 0) +
                          static_cast<int>(searched_inputs.size());
  int steps_done = 0;
  const auto step_done = [&] {
    if (request.progress) {
      request.progress(++steps_done, total_steps);
    }
  };
  if (request.rank_events) {
    std::vector<sim::Event>& events = rerun.scenario().events;
    for (size_t index = 0; index < events.size(); ++index) {
      if (events[index].date > probe.date) {
        continue;
      }
      const sim::Event dropped = events[index];
      events.erase(events.begin() + static_cast<std::ptrdiff_t>(index));
      const Outcome outcome = rerun.run();
      events.insert(events.begin() + static_cast<std::ptrdiff_t>(index), dropped);
      EventInfluence influence;
      influence.event = dropped.id;
      influence.kind = std::string(sim::event_kind_name(dropped.kind));
      influence.source =
          dropped.source >= 0 ? scenario.powers[static_cast<size_t>(dropped.source)].id : "";
      influence.date = sim::format_date(dropped.date);
      influence.context = dropped.context;
      influence.chosen_probability_change =
          outcome.probability(probe.realised) - chosen_probability;
      influence.modal_without = item.options[static_cast<size_t>(outcome.modal)];
      influence.probability_without.assign(outcome.probability.begin(), outcome.probability.end());
      explanation.events.push_back(std::move(influence));
      if (outcome.modal != base_modal) {
        FlippingChange removal;
        removal.input = "events." + dropped.id;
        removal.removal = true;
        removal.from = 1.0;
        removal.to = 0.0;
        removal.low = 0.0;
        removal.high = 1.0;
        removal.relative_change = 1.0;
        removal.new_modal = item.options[static_cast<size_t>(outcome.modal)];
        explanation.flips.push_back(removal);
      }
      step_done();
    }
    std::stable_sort(explanation.events.begin(), explanation.events.end(),
                     [](const EventInfluence& left, const EventInfluence& right) {
                       return std::fabs(left.chosen_probability_change) >
                              std::fabs(right.chosen_probability_change);
                     });
  }

  for (const auto& input : searched_inputs) {
    ++explanation.inputs_searched;
    search_input(rerun, input, item, base_modal, request, explanation.flips);
    step_done();
  }
  std::stable_sort(explanation.flips.begin(), explanation.flips.end(),
                   [](const FlippingChange& left, const FlippingChange& right) {
                     return left.relative_change < right.relative_change;
                   });
  explanation.simulations = rerun.simulations() + 1;
  return explanation;
}

std::string format_explanation(const Explanation& explanation, int top) {
  std::string out;
  out += explanation.country_name + " (" + explanation.country + ") on " + explanation.item;
  if (!explanation.item_name.empty()) {
    out += " \u2014 " + explanation.item_name;
  }
  out += ", " + explanation.date + (explanation.statement ? " (statement)" : " (vote)") + "\n";
  out += "chosen: " + explanation.realised;
  if (explanation.realised != explanation.modal) {
    out += " (drawn; the most likely option was " + explanation.modal + ")";
  } else {
    out += " (the most likely option)";
  }
  out += "\n\n";
  std::size_t width = 8;
  for (const auto& option : explanation.options) {
    width = std::max(width, option.option.size() + 2);
  }
  out += pad_to("option", width) + pad_to("probability", 13) + "utility\n";
  for (const auto& option : explanation.options) {
    out += pad_to(option.option, width) + pad_to(fixed_text(option.probability, 3), 13) +
           signed_text(option.utility, 2) + "\n";
  }
  for (const auto& option : explanation.options) {
    out += "\n" + option.option + " = " + signed_text(option.utility, 2) + ":\n";
    if (option.terms.empty()) {
      out += "  (every term is zero)\n";
    }
    int hidden = 0;
    for (const auto& term : option.terms) {
      if (std::fabs(term.value) < 0.005) {
        ++hidden;  // prints as ±0.00; the JSON output keeps it
        continue;
      }
      out += "  " + pad_to(signed_text(term.value, 2), 8) + term.text + "\n";
    }
    if (hidden > 0) {
      out += "  (" + std::to_string(hidden) + " smaller term" + (hidden == 1 ? "" : "s") +
             " below 0.005)\n";
    }
  }
  if (!explanation.runner_up.empty()) {
    out += "\nwhy " + explanation.modal + " rather than " + explanation.runner_up + " (utility " +
           signed_text(explanation.margin, 2) + " higher):\n";
    for (const auto& term : explanation.margin_terms) {
      if (std::fabs(term.value) >= 0.005) {
        out += "  " + pad_to(signed_text(term.value, 2), 8) + term.label + "\n";
      }
    }
  }
  out += "\nstate on " + explanation.date + ":\n";
  for (const auto& power : explanation.powers) {
    out += "  " + power.power + ": vulnerability " + fixed_text(power.vulnerability, 2) +
           ", effective credibility " + fixed_text(power.effective_credibility, 2) + ", leverage " +
           fixed_text(power.leverage, 2);
    if (power.inducement > kNegligible) {
      out += ", inducements " + fixed_text(power.inducement, 2);
    }
    std::string channels;
    for (const auto& [channel, value] : power.channel_vulnerability) {
      if (value > kNegligible) {
        channels += (channels.empty() ? "" : ", ") + channel + " " + fixed_text(value, 2);
      }
    }
    if (!channels.empty()) {
      out += " (vulnerability by channel: " + channels + ")";
    }
    out += "\n";
  }
  if (!explanation.events.empty()) {
    out += "\nevents that moved the decision most (change in P(" + explanation.realised +
           ") had the event not happened):\n";
    int shown = 0;
    for (const auto& event : explanation.events) {
      if (shown++ >= top || std::fabs(event.chosen_probability_change) <= kNegligible) {
        break;
      }
      out += "  " + pad_to(signed_significant_text(event.chosen_probability_change, 3), 11) +
             event.event + " (" + event.kind + (event.source.empty() ? "" : " by " + event.source) +
             ", " + event.date + ")";
      if (event.modal_without != explanation.modal) {
        out += " \u2014 without it the most likely option is " + event.modal_without;
      }
      out += "\n";
    }
    if (std::fabs(explanation.events.front().chosen_probability_change) <= kNegligible) {
      out += "  (no event before the decision changed it)\n";
    }
  }
  out += "\nsmallest single changes that change the most likely option (" +
         (explanation.inputs_search_skipped
              ? std::string("inputs not searched")
              : counted(static_cast<std::int64_t>(explanation.inputs_searched), "input", "inputs") +
                    " searched") +
         ", " +
         counted(static_cast<std::int64_t>(explanation.simulations), "simulation", "simulations") +
         "):\n";
  if (explanation.flips.empty()) {
    // Only what was tried is ruled out: a skipped search found nothing because it did not look.
    if (explanation.inputs_search_skipped && explanation.event_removal_skipped) {
      out += "  not searched: --no-search and --no-events skip both the inputs and the events\n";
    } else if (explanation.inputs_search_skipped) {
      out +=
          "  none among the events: no single event removed changes it (the inputs were not "
          "searched: --no-search)\n";
    } else if (explanation.event_removal_skipped) {
      out +=
          "  none among the inputs: no single input within its range changes it (no event was "
          "removed: --no-events)\n";
    } else {
      out += "  none: no single input within its range, and no single event removed, changes it\n";
    }
  }
  // Numeric changes ranked by their size; event removals, which have no size, listed apart.
  int shown = 0;
  std::string removals;
  for (const auto& flip : explanation.flips) {
    if (flip.removal) {
      removals +=
          (removals.empty() ? "" : "; ") + flip.input.substr(7) + " \u2192 " + flip.new_modal;
      continue;
    }
    if (shown++ >= top) {
      continue;
    }
    out += "  " + flip.input + ": " + significant4(flip.from) + " \u2192 " +
           flip_value_text(flip.from, flip.to, flip.low, flip.high) + " (" +
           fixed_text(100.0 * flip.relative_change, 1) + "% of [" + significant4(flip.low) + ", " +
           significant4(flip.high) + "]) \u2192 " + flip.new_modal + "\n";
  }
  if (!removals.empty()) {
    out += "  removing one event: " + removals + "\n";
  }
  return out;
}

nlohmann::ordered_json explanation_json(const Explanation& explanation) {
  nlohmann::ordered_json json;
  json["country"] = explanation.country;
  json["country_name"] = explanation.country_name;
  json["item"] = explanation.item;
  json["item_name"] = explanation.item_name;
  json["resolution"] = explanation.resolution;
  json["kind"] = explanation.statement ? "statement" : "vote";
  json["date"] = explanation.date;
  json["modal"] = explanation.modal;
  json["realised"] = explanation.realised;
  json["previous_choice"] = explanation.previous_choice;
  nlohmann::ordered_json options = nlohmann::ordered_json::array();
  for (const auto& option : explanation.options) {
    nlohmann::ordered_json terms = nlohmann::ordered_json::array();
    for (const auto& term : option.terms) {
      nlohmann::ordered_json entry{{"kind", term.kind}, {"value", term.value}, {"text", term.text}};
      for (const auto& [key, value] :
           {std::pair<const char*, const std::string*>{"power", &term.power},
            {"channel", &term.channel},
            {"event", &term.event},
            {"norm", &term.norm}}) {
        if (!value->empty()) {
          entry[key] = *value;
        }
      }
      terms.push_back(entry);
    }
    options.push_back({{"option", option.option},
                       {"probability", option.probability},
                       {"utility", option.utility},
                       {"terms", terms}});
  }
  json["options"] = options;
  json["runner_up"] = explanation.runner_up;
  json["margin"] = explanation.margin;
  nlohmann::ordered_json margin_terms = nlohmann::ordered_json::array();
  for (const auto& term : explanation.margin_terms) {
    margin_terms.push_back({{"label", term.label}, {"value", term.value}});
  }
  json["margin_terms"] = margin_terms;
  nlohmann::ordered_json powers = nlohmann::ordered_json::array();
  for (const auto& power : explanation.powers) {
    nlohmann::ordered_json channels = nlohmann::ordered_json::object();
    for (const auto& [channel, value] : power.channel_vulnerability) {
      channels[channel] = value;
    }
    powers.push_back({{"power", power.power},
                      {"vulnerability", power.vulnerability},
                      {"effective_credibility", power.effective_credibility},
                      {"leverage", power.leverage},
                      {"inducement", power.inducement},
                      {"vulnerability_by_channel", channels}});
  }
  json["state"] = powers;
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const auto& event : explanation.events) {
    events.push_back({{"event", event.event},
                      {"kind", event.kind},
                      {"source", event.source},
                      {"date", event.date},
                      {"context", event.context},
                      {"chosen_probability_change", event.chosen_probability_change},
                      {"modal_without", event.modal_without},
                      {"probability_without", event.probability_without}});
  }
  json["events"] = events;
  nlohmann::ordered_json flips = nlohmann::ordered_json::array();
  for (const auto& flip : explanation.flips) {
    nlohmann::ordered_json entry{{"input", flip.input}, {"removal", flip.removal}};
    if (!flip.removal) {
      entry["from"] = flip.from;
      entry["to"] = flip.to;
      entry["searched_low"] = flip.low;
      entry["searched_high"] = flip.high;
    }
    // The option to give `run` for this change, as printed: a script needs no rule of its own to
    // turn "events.ID" into --drop-event ID or to round the value so that it still flips.
    const std::string event_prefix = "events.";
    entry["argument"] = flip.removal ? "--drop-event " + flip.input.substr(event_prefix.size())
                                     : "--set " + flip.input + "=" +
                                           flip_value_text(flip.from, flip.to, flip.low, flip.high);
    entry["relative_change"] = flip.relative_change;
    entry["new_modal"] = flip.new_modal;
    flips.push_back(entry);
  }
  json["smallest_changes"] = flips;
  json["inputs_searched"] = explanation.inputs_searched;
  json["simulations"] = explanation.simulations;
  return json;
}

}  // namespace multivector::results
