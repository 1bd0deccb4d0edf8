#include "sim/scenario_paths.hpp"

#include <algorithm>
#include <limits>

#include "sim/scenario_loader.hpp"

namespace multivector::sim {
namespace {

constexpr double kWeightLimit = 1e3;

// Builds an input from a pointer-to-value getter, so each entry below is one line of intent.
template <typename Locate>
NumericInput make_input(std::string path, double low, double high, Locate locate) {
  NumericInput input;
  input.path = std::move(path);
  input.low = low;
  input.high = high;
  input.get = [locate](const Scenario& scenario) {
    return *locate(const_cast<Scenario&>(scenario));
  };
  input.set = [locate](Scenario& scenario, double value) { *locate(scenario) = value; };
  return input;
}

void add_country_inputs(const Scenario& scenario, std::vector<NumericInput>& inputs) {
  for (size_t country = 0; country < scenario.countries.size(); ++country) {
    const std::string base = "countries." + scenario.countries[country].id;
    const auto at = [country](Scenario& s) -> Country& { return s.countries[country]; };
    inputs.push_back(make_input(base + ".orientation.prior", -1.0, 1.0,
                                [at](Scenario& s) { return &at(s).orientation_prior; }));
    inputs.push_back(make_input(base + ".orientation.stubbornness", 0.0, 1.0,
                                [at](Scenario& s) { return &at(s).stubbornness; }));
    inputs.push_back(
        make_input(base + ".stay_out", 0.0, 1.0, [at](Scenario& s) { return &at(s).stay_out; }));
    for (size_t norm = 0; norm < scenario.norms.size(); ++norm) {
      const auto index = static_cast<Index>(norm);
      inputs.push_back(
          make_input(base + ".norms." + scenario.norms[norm].id, 0.0, 10.0,
                     [at, index](Scenario& s) { return &at(s).norm_sensitivity(index); }));
    }
    for (size_t channel = 0; channel < scenario.channels.size(); ++channel) {
      const auto index = static_cast<Index>(channel);
      inputs.push_back(
          make_input(base + ".channel_weights." + scenario.channels[channel].id, 0.0, 1e6,
                     [at, index](Scenario& s) { return &at(s).channel_weight(index); }));
    }
    for (size_t power = 0; power < scenario.powers.size(); ++power) {
      const auto power_index = static_cast<Index>(power);
      const std::string& power_id = scenario.powers[power].id;
      // Setting a country's own credibility declares it, as writing it in the file does: a later
      // change to the power's credibility, in whichever order the two are applied, leaves it be.
      NumericInput own_credibility =
          make_input(base + ".credibility." + power_id, 0.0, 1.0,
                     [at, power_index](Scenario& s) { return &at(s).credibility(power_index); });
      own_credibility.set = [at, power_index](Scenario& s, double value) {
        at(s).credibility(power_index) = value;
        at(s).declared_credibility[static_cast<size_t>(power_index)] = true;
      };
      inputs.push_back(std::move(own_credibility));
      for (size_t channel = 0; channel < scenario.channels.size(); ++channel) {
        const auto channel_index = static_cast<Index>(channel);
        const std::string suffix = "." + power_id + "." + scenario.channels[channel].id;
        inputs.push_back(make_input(base + ".exposure" + suffix, 0.0, 1.0,
                                    [at, power_index, channel_index](Scenario& s) {
                                      return &at(s).exposure(power_index, channel_index);
                                    }));
        inputs.push_back(make_input(base + ".substitutability" + suffix, 0.0, 1.0,
                                    [at, power_index, channel_index](Scenario& s) {
                                      return &at(s).substitutability(power_index, channel_index);
                                    }));
      }
    }
  }
}

void add_power_inputs(const Scenario& scenario, std::vector<NumericInput>& inputs) {
  for (size_t power = 0; power < scenario.powers.size(); ++power) {
    const std::string base = "powers." + scenario.powers[power].id;
    inputs.push_back(make_input(base + ".position", -1.0, 1.0,
                                [power](Scenario& s) { return &s.powers[power].position; }));
    inputs.push_back(make_input(base + ".capacity", 0.0, 1e6,
                                [power](Scenario& s) { return &s.powers[power].capacity; }));
    // A power's credibility is the starting credibility of every country that does not declare
    // its own, as in the file: setting it sets theirs, so that --vary and the what-if page change
    // what --set changes.
    NumericInput credibility;
    credibility.path = base + ".credibility";
    credibility.low = 0.0;
    credibility.high = 1.0;
    credibility.get = [power](const Scenario& s) { return s.powers[power].credibility; };
    credibility.set = [power](Scenario& s, double value) {
      s.powers[power].credibility = value;
      for (auto& country : s.countries) {
        if (!country.declared_credibility[power]) {
          country.credibility(static_cast<Index>(power)) = value;
        }
      }
    };
    inputs.push_back(std::move(credibility));
  }
}

void add_event_and_item_inputs(const Scenario& scenario, std::vector<NumericInput>& inputs) {
  for (size_t event = 0; event < scenario.events.size(); ++event) {
    const Event& declared = scenario.events[event];
    const std::string base = "events." + declared.id;
    const double magnitude_limit =
        declared.kind == EventKind::Aid || declared.kind == EventKind::Disapprove ? 100.0 : 1.0;
    inputs.push_back(make_input(base + ".magnitude", 0.0, magnitude_limit,
                                [event](Scenario& s) { return &s.events[event].magnitude; }));
    if (declared.kind == EventKind::Threaten) {
      inputs.push_back(make_input(base + ".resolve", 0.0, 1.0,
                                  [event](Scenario& s) { return &s.events[event].resolve; }));
      inputs.push_back(make_input(base + ".credibility", 0.0, 1.0,
                                  [event](Scenario& s) { return &s.events[event].credibility; }));
    }
  }
  for (size_t item = 0; item < scenario.agenda.size(); ++item) {
    const AgendaItem& declared = scenario.agenda[item];
    const std::string base = "agenda." + declared.id;
    inputs.push_back(make_input(base + ".salience", 0.0, 100.0,
                                [item](Scenario& s) { return &s.agenda[item].salience; }));
    for (size_t power = 0; power < scenario.powers.size(); ++power) {
      for (size_t option = 0; option < declared.options.size(); ++option) {
        const auto row = static_cast<Index>(power);
        const auto column = static_cast<Index>(option);
        inputs.push_back(make_input(
            base + ".offence." + scenario.powers[power].id + "." + declared.options[option], 0.0,
            1.0,
            [item, row, column](Scenario& s) { return &s.agenda[item].offence(row, column); }));
      }
    }
  }
}

void add_parameter_inputs(const Scenario& scenario, std::vector<NumericInput>& inputs) {
  const std::string decision = "parameters.decision.";
  using Field = double DecisionParameters::*;
  const std::pair<const char*, Field> decision_fields[] = {
      {"participation", &DecisionParameters::participation},
      {"salience_participation", &DecisionParameters::salience_participation},
      {"orientation", &DecisionParameters::orientation},
      {"persistence", &DecisionParameters::persistence},
      {"recency", &DecisionParameters::recency},
      {"habit", &DecisionParameters::habit}};
  inputs.push_back(make_input(decision + "temperature", 1e-6, kWeightLimit,
                              [](Scenario& s) { return &s.parameters.decision.temperature; }));
  for (const auto& [name, field] : decision_fields) {
    inputs.push_back(
        make_input(decision + name, -kWeightLimit, kWeightLimit,
                   [field = field](Scenario& s) { return &(s.parameters.decision.*field); }));
  }
  for (size_t power = 0; power < scenario.powers.size(); ++power) {
    const auto index = static_cast<Index>(power);
    inputs.push_back(
        make_input(decision + "leverage." + scenario.powers[power].id, -kWeightLimit, kWeightLimit,
                   [index](Scenario& s) { return &s.parameters.decision.leverage(index); }));
  }
  for (size_t norm = 0; norm < scenario.norms.size(); ++norm) {
    const auto index = static_cast<Index>(norm);
    inputs.push_back(
        make_input(decision + "norms." + scenario.norms[norm].id, -kWeightLimit, kWeightLimit,
                   [index](Scenario& s) { return &s.parameters.decision.norm(index); }));
  }
  std::vector<std::string> options;
  for (const auto& item : scenario.agenda) {
    for (const auto& option : item.options) {
      if (std::find(options.begin(), options.end(), option) == options.end()) {
        options.push_back(option);
      }
    }
  }
  for (const auto& option : options) {
    inputs.push_back(
        make_input(decision + "intercepts." + option, -kWeightLimit, kWeightLimit,
                   [option](Scenario& s) { return &s.parameters.decision.intercepts[option]; }));
  }
  const std::string dynamics = "parameters.dynamics.";
  using DynamicsField = double DynamicsParameters::*;
  const std::tuple<const char*, DynamicsField, double, double> dynamics_fields[] = {
      {"credibility_learning_rate", &DynamicsParameters::credibility_learning_rate, 0.0, 1.0},
      {"peer_learning_share", &DynamicsParameters::peer_learning_share, 0.0, 1.0},
      {"ambiguous_observation", &DynamicsParameters::ambiguous_observation, 0.0, 1.0},
      {"inducement_weight", &DynamicsParameters::inducement_weight, 0.0, 1e3},
      {"inducement_half_life_days", &DynamicsParameters::inducement_half_life_days,
       kMinHalfLifeDays, kMaxHalfLifeDays},
      {"alarm_half_life_days", &DynamicsParameters::alarm_half_life_days, kMinHalfLifeDays,
       kMaxHalfLifeDays},
      {"alarm_per_magnitude", &DynamicsParameters::alarm_per_magnitude, 0.0, 1e3},
      {"orientation_rate", &DynamicsParameters::orientation_rate, 0.0, 1.0},
      {"orientation_self_weight", &DynamicsParameters::orientation_self_weight, 0.0, 1e3},
      {"orientation_peer_weight", &DynamicsParameters::orientation_peer_weight, 0.0, 1e3},
      {"orientation_power_pull", &DynamicsParameters::orientation_power_pull, 0.0, 1e3},
      {"diversification_rate", &DynamicsParameters::diversification_rate, 0.0, 1.0},
      {"diversification_threshold", &DynamicsParameters::diversification_threshold, 0.0, 1.0}};
  for (const auto& [name, field, low, high] : dynamics_fields) {
    inputs.push_back(make_input(dynamics + name, low, high, [field = field](Scenario& s) {
      return &(s.parameters.dynamics.*field);
    }));
  }
}

}  // namespace

std::vector<NumericInput> numeric_inputs(const Scenario& scenario) {
  std::vector<NumericInput> inputs;
  add_country_inputs(scenario, inputs);
  add_power_inputs(scenario, inputs);
  add_event_and_item_inputs(scenario, inputs);
  add_parameter_inputs(scenario, inputs);
  return inputs;
}

NumericInput resolve_numeric_input(const Scenario& scenario, const std::string& path,
                                   const SourceLocation& where) {
  std::vector<NumericInput> inputs = numeric_inputs(scenario);
  std::vector<std::string> paths;
  paths.reserve(inputs.size());
  for (auto& input : inputs) {
    if (input.path == path) {
      return std::move(input);
    }
    paths.push_back(input.path);
  }
  // A channel's or norm's default is copied into each country that states no value of its own
  // when the scenario is read; afterwards nothing records which countries took it, so it cannot
  // be changed run by run (--set, which applies before the scenario is read, can change it).
  for (const auto& [collection, example] :
       {std::pair<std::string, std::string>{"channels.", "channel_weights.CHANNEL"},
        {"norms.", "norms.NORM"}}) {
    if (path.starts_with(collection) && std::count(path.begin(), path.end(), '.') == 2) {
      throw InputError(where, "'" + path +
                                  "' is a default that each country takes when the scenario is "
                                  "read, so it cannot be varied run by run; vary each country's "
                                  "own value (countries.ISO3." +
                                  example + "), or run one sweep per value with --set " + path +
                                  "=VALUE");
    }
  }
  // A dropped event is gone before the inputs are listed, so its paths read as typos.
  if (path.starts_with("events.")) {
    const std::string event = path.substr(7, path.find('.', 7) - 7);
    if (std::find(scenario.dropped_events.begin(), scenario.dropped_events.end(), event) !=
        scenario.dropped_events.end()) {
      throw InputError(where, "'" + path + "' is an input of event '" + event +
                                  "', which --drop-event removes from the scenario; keep the "
                                  "event to vary it, or drop another");
    }
  }
  throw InputError(where, "unknown or non-numeric path '" + path + "'" + suggestion(path, paths));
}

}  // namespace multivector::sim
