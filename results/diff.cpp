#include "results/diff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_paths.hpp"

namespace multivector::results {
namespace {

std::string join(const std::vector<std::string>& values, const std::string& separator) {
  std::string out;
  for (const auto& value : values) {
    out += (out.empty() ? "" : separator) + value;
  }
  return out;
}

std::string text_of(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Every leaf of a JSON object as "prefix.key.key" → text.
void flatten(const nlohmann::json& value, const std::string& prefix,
             std::map<std::string, std::string>& leaves) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      flatten(child, prefix + "." + key, leaves);
    }
    return;
  }
  leaves[prefix] = text_of(value);
}

std::vector<std::string> string_list(const nlohmann::json& manifest, const char* key) {
  std::vector<std::string> values;
  const auto found = manifest.find(key);
  if (found != manifest.end() && found->is_array()) {
    for (const auto& value : *found) {
      values.push_back(text_of(value));
    }
  }
  return values;
}

std::string field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found == object.end() || found->is_null() ? "" : text_of(*found);
}

void compare_lists(const std::vector<std::string>& a, const std::vector<std::string>& b,
                   const std::string& option, const std::string& present,
                   std::vector<InputDifference>& inputs) {
  for (const auto& value : a) {
    if (std::find(b.begin(), b.end(), value) == b.end()) {
      inputs.push_back(InputDifference{option + " " + value, present, ""});
    }
  }
  for (const auto& value : b) {
    if (std::find(a.begin(), a.end(), value) == a.end()) {
      inputs.push_back(InputDifference{option + " " + value, "", present});
    }
  }
}

std::vector<InputDifference> input_differences(const nlohmann::json& a, const nlohmann::json& b) {
  std::vector<InputDifference> inputs;
  std::map<std::string, std::string> files_a;
  std::map<std::string, std::string> files_b;
  const auto files = [](const nlohmann::json& manifest, std::map<std::string, std::string>& into) {
    const auto scenario = manifest.find("scenario");
    if (scenario == manifest.end() || !scenario->contains("files")) {
      return;
    }
    for (const auto& file : (*scenario)["files"]) {
      into[field(file, "path")] = field(file, "sha256");
    }
  };
  files(a, files_a);
  files(b, files_b);
  // A file read under another path with the same bytes (the built-in scenario and a copy of
  // it, say) is the same input: only a change of content is a difference.
  const auto unmatched = [](const std::map<std::string, std::string>& mine,
                            const std::map<std::string, std::string>& theirs) {
    std::multiset<std::string> their_moved;  // contents the other run read under other paths
    for (const auto& [path, sha] : theirs) {
      if (!mine.contains(path)) {
        their_moved.insert(sha);
      }
    }
    std::set<std::string> kept;
    for (const auto& [path, sha] : mine) {
      if (theirs.contains(path)) {
        continue;
      }
      const auto match = their_moved.find(sha);
      if (match != their_moved.end()) {
        their_moved.erase(match);
      } else {
        kept.insert(path);
      }
    }
    return kept;
  };
  std::set<std::string> paths = unmatched(files_a, files_b);
  paths.merge(unmatched(files_b, files_a));
  for (const auto& [path, sha] : files_a) {
    if (files_b.contains(path)) {
      paths.insert(path);
    }
  }
  for (const auto& path : paths) {
    const std::string in_a = files_a.contains(path) ? "sha256 " + files_a[path] : "";
    const std::string in_b = files_b.contains(path) ? "sha256 " + files_b[path] : "";
    if (in_a != in_b) {
      inputs.push_back(InputDifference{"scenario file " + path, in_a, in_b});
    }
  }
  const auto scenario_id = [](const nlohmann::json& manifest) {
    const auto scenario = manifest.find("scenario");
    return scenario != manifest.end() && scenario->is_object() ? field(*scenario, "id")
                                                               : std::string();
  };
  if (scenario_id(a) != scenario_id(b)) {
    // A what-if file that extends its base may give itself an id of its own, and two what-ifs
    // of one base each may: runs that read a scenario file in common (by content; a parameters
    // file both were given does not count) are what-ifs of one model, not two models.
    const auto scenario_contents = [](const nlohmann::json& manifest,
                                      const std::map<std::string, std::string>& read) {
      std::set<std::string> contents;
      for (const auto& [path, sha] : read) {
        if (path != field(manifest, "params_file") &&
            path != field(manifest, "scenario_params_file")) {
          contents.insert(sha);
        }
      }
      return contents;
    };
    const std::set<std::string> contents_a = scenario_contents(a, files_a);
    const std::set<std::string> contents_b = scenario_contents(b, files_b);
    const bool what_if = std::any_of(contents_a.begin(), contents_a.end(),
                                     [&](const auto& sha) { return contents_b.contains(sha); });
    inputs.push_back(
        InputDifference{what_if ? "scenario.id" : "scenario id", scenario_id(a), scenario_id(b)});
  }
  // The parameters file a run read: --params, else the one its scenario names.
  const auto applied_params = [](const nlohmann::json& manifest) {
    const std::string given = field(manifest, "params_file");
    return given.empty() ? field(manifest, "scenario_params_file") : given;
  };
  for (const char* key : {"seed", "decisions", "params_file", "version"}) {
    const bool params = std::string_view(key) == "params_file";
    const std::string in_a = params ? applied_params(a) : field(a, key);
    const std::string in_b = params ? applied_params(b) : field(b, key);
    // A parameters file is among the scenario's files, compared above by content: the same
    // bytes under another path (a copy, a run from another directory) are the same input.
    const bool same_params_elsewhere = params && !in_a.empty() && !in_b.empty();
    if (in_a != in_b && !same_params_elsewhere) {
      inputs.push_back(InputDifference{key, in_a, in_b});
    }
  }
  compare_lists(string_list(a, "overrides"), string_list(b, "overrides"), "--set", "set", inputs);
  compare_lists(string_list(a, "dropped_events"), string_list(b, "dropped_events"), "--drop-event",
                "dropped", inputs);
  std::map<std::string, std::string> parameters_a;
  std::map<std::string, std::string> parameters_b;
  if (a.contains("parameters")) {
    flatten(a["parameters"], "parameters", parameters_a);
  }
  if (b.contains("parameters")) {
    flatten(b["parameters"], "parameters", parameters_b);
  }
  std::set<std::string> names;
  for (const auto& [name, value] : parameters_a) {
    names.insert(name);
  }
  for (const auto& [name, value] : parameters_b) {
    names.insert(name);
  }
  for (const auto& name : names) {
    const std::string in_a = parameters_a.contains(name) ? parameters_a[name] : "";
    const std::string in_b = parameters_b.contains(name) ? parameters_b[name] : "";
    if (in_a != in_b) {
      inputs.push_back(InputDifference{name, in_a, in_b});
    }
  }
  return inputs;
}

EventDifference describe_event(const nlohmann::json& event, const std::string& only_in) {
  EventDifference difference;
  difference.only_in = only_in;
  difference.id = field(event, "id");
  difference.date = field(event, "date");
  difference.phase = field(event, "phase");
  difference.kind = field(event, "event");
  difference.source = field(event, "source");
  difference.cause = field(event, "cause");
  if (const auto recipients = event.find("recipient");
      recipients != event.end() && recipients->is_array()) {
    for (const auto& recipient : *recipients) {
      difference.recipients.push_back(text_of(recipient));
    }
  }
  return difference;
}

// An events.jsonl line as diff compares it: without its step number, which counts the steps
// before it, so that one more event between two weekly steps (a step of its own) does not make
// every later line of the run differ.
nlohmann::json comparable_event(const nlohmann::json& event) {
  nlohmann::json line = event;
  if (line.is_object()) {
    line.erase("step");
  }
  return line;
}

// Lines of events.jsonl present in one run only, as a multiset difference in A's order; a line
// of A and one of B that are the same event on the same day to the same recipients with other
// values (a what-if's magnitude, say) are one event that changed, not two unrelated ones.
std::vector<EventDifference> event_differences(const RunDirectory& a, const RunDirectory& b) {
  const auto one_side = [](const RunDirectory& from, const RunDirectory& other) {
    std::map<std::string, int> remaining;
    for (const auto& event : other.events) {
      ++remaining[comparable_event(event).dump()];
    }
    std::vector<nlohmann::json> unmatched;
    for (const auto& event : from.events) {
      nlohmann::json line = comparable_event(event);
      int& count = remaining[line.dump()];
      if (count > 0) {
        --count;
      } else {
        unmatched.push_back(std::move(line));
      }
    }
    return unmatched;
  };
  const std::vector<nlohmann::json> only_a = one_side(a, b);
  const std::vector<nlohmann::json> only_b = one_side(b, a);
  const auto same_event = [](const nlohmann::json& left, const nlohmann::json& right) {
    for (const char* key : {"id", "date", "phase", "event", "recipient"}) {
      if (left.value(key, nlohmann::json()) != right.value(key, nlohmann::json())) {
        return false;
      }
    }
    return true;
  };
  std::vector<EventDifference> differences;
  std::vector<EventDifference> changed;
  std::vector<bool> paired(only_b.size(), false);
  for (const auto& line_a : only_a) {
    std::size_t match = 0;
    while (match < only_b.size() && (paired[match] || !same_event(line_a, only_b[match]))) {
      ++match;
    }
    if (match == only_b.size()) {
      differences.push_back(describe_event(line_a, "A"));
      continue;
    }
    paired[match] = true;
    const nlohmann::json& line_b = only_b[match];
    EventDifference difference = describe_event(line_b, "");
    std::set<std::string> keys;
    for (const auto& [key, value] : line_a.items()) {
      keys.insert(key);
    }
    for (const auto& [key, value] : line_b.items()) {
      keys.insert(key);
    }
    for (const auto& key : keys) {
      const std::string before = line_a.contains(key) ? text_of(line_a[key]) : "(none)";
      const std::string after = line_b.contains(key) ? text_of(line_b[key]) : "(none)";
      if (before != after) {
        difference.changed.push_back(key + " " + before + " \u2192 " + after);
      }
    }
    changed.push_back(std::move(difference));
  }
  for (std::size_t index = 0; index < only_b.size(); ++index) {
    if (!paired[index]) {
      differences.push_back(describe_event(only_b[index], "B"));
    }
  }
  differences.insert(differences.end(), std::make_move_iterator(changed.begin()),
                     std::make_move_iterator(changed.end()));
  return differences;
}

// The numeric inputs whose values differ between the two runs' scenarios, each reloaded from its
// manifest: what a what-if file changed (an exposure, an event's magnitude), which the files'
// hashes alone do not say. Paths a --set already names, and the parameters (compared from the
// manifests), are left out; nothing when either scenario can no longer be read.
std::vector<InputDifference> scenario_value_differences(const RunDirectory& a,
                                                        const RunDirectory& b) {
  std::vector<InputDifference> differences;
  std::optional<sim::Scenario> scenario_a;
  std::optional<sim::Scenario> scenario_b;
  try {
    const RunRecipe recipe_a = run_recipe(a.manifest, (a.path / "manifest.json").string());
    const RunRecipe recipe_b = run_recipe(b.manifest, (b.path / "manifest.json").string());
    scenario_a = sim::load_scenario(recipe_a.scenario, recipe_a.load);
    scenario_b = sim::load_scenario(recipe_b.scenario, recipe_b.load);
  } catch (const sim::InputError&) {
    return differences;
  }
  std::set<std::string> overridden;
  for (const auto* manifest : {&a.manifest, &b.manifest}) {
    for (const auto& override_text : string_list(*manifest, "overrides")) {
      overridden.insert(override_text.substr(0, override_text.find('=')));
    }
  }
  std::map<std::string, double> values_a;
  for (const auto& input : sim::numeric_inputs(*scenario_a)) {
    values_a[input.path] = input.get(*scenario_a);
  }
  for (const auto& input : sim::numeric_inputs(*scenario_b)) {
    const auto found = values_a.find(input.path);
    if (found == values_a.end() || input.path.starts_with("parameters.") ||
        overridden.contains(input.path)) {
      continue;
    }
    const double value_b = input.get(*scenario_b);
    if (found->second != value_b) {
      differences.push_back(InputDifference{input.path, nlohmann::json(found->second).dump(),
                                            nlohmann::json(value_b).dump()});
    }
  }
  // Dates, durations and the step are no numeric inputs a sweep varies, but a what-if file may
  // change them as well.
  const auto add = [&](const std::string& path, const std::string& in_a, const std::string& in_b) {
    if (in_a != in_b && !overridden.contains(path)) {
      differences.push_back(InputDifference{path, in_a, in_b});
    }
  };
  const sim::ScenarioInfo& info_a = scenario_a->info;
  const sim::ScenarioInfo& info_b = scenario_b->info;
  add("scenario.start", sim::format_date(info_a.start), sim::format_date(info_b.start));
  add("scenario.end", sim::format_date(info_a.end), sim::format_date(info_b.end));
  add("scenario.step", std::to_string(info_a.step_days) + "d",
      std::to_string(info_b.step_days) + "d");
  for (const auto& event_b : scenario_b->events) {
    const sim::Index found = scenario_a->find_event(event_b.id);
    if (found < 0) {
      continue;
    }
    const sim::Event& event_a = scenario_a->events[static_cast<std::size_t>(found)];
    const std::string path = "events." + event_b.id + ".";
    add(path + "date", sim::format_date(event_a.date), sim::format_date(event_b.date));
    add(path + "duration_days", std::to_string(event_a.duration_days),
        std::to_string(event_b.duration_days));
  }
  for (const auto& item_b : scenario_b->agenda) {
    const sim::Index found = scenario_a->find_item(item_b.id);
    if (found < 0) {
      continue;
    }
    add("agenda." + item_b.id + ".date",
        sim::format_date(scenario_a->agenda[static_cast<std::size_t>(found)].date),
        sim::format_date(item_b.date));
  }
  return differences;
}

nlohmann::json provenance_of(const nlohmann::json& manifest) {
  nlohmann::json provenance = nlohmann::json::object();
  for (const char* key :
       {"version", "scenario", "seed", "decisions", "overrides", "dropped_events", "params_file"}) {
    if (manifest.contains(key)) {
      provenance[key] = manifest[key];
    }
  }
  return provenance;
}

double at_or_zero(const std::vector<double>& values, int index) {
  return index < 0 ? 0.0 : values[static_cast<size_t>(index)];
}

// The value of one term of one option, matched by the option's and the term's names.
double term_value(const RunDirectory& run, const SimulatedDecision& decision,
                  const std::string& option, const std::string& term) {
  const int option_index = decision.option_index(option);
  const auto found = std::find(run.term_names.begin(), run.term_names.end(), term);
  if (option_index < 0 || found == run.term_names.end()) {
    return 0.0;
  }
  return decision.terms[static_cast<size_t>(option_index)]
                       [static_cast<size_t>(found - run.term_names.begin())];
}

void sort_by_size(std::vector<TermDelta>& deltas) {
  std::stable_sort(deltas.begin(), deltas.end(), [](const TermDelta& left, const TermDelta& right) {
    return std::fabs(left.delta) > std::fabs(right.delta);
  });
}

}  // namespace

RunDiff diff_runs(const RunDirectory& a, const RunDirectory& b, const DiffOptions& options) {
  RunDiff diff;
  diff.run_a = a.path.string();
  diff.run_b = b.path.string();
  diff.threshold = options.threshold;
  diff.inputs = input_differences(a.manifest, b.manifest);
  for (auto& value : scenario_value_differences(a, b)) {
    diff.inputs.push_back(std::move(value));
  }
  diff.provenance = {provenance_of(a.manifest), provenance_of(b.manifest)};
  diff.events = event_differences(a, b);

  std::vector<std::string> terms = a.term_names;
  for (const auto& term : b.term_names) {
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) {
      terms.push_back(term);
    }
  }
  std::map<std::pair<std::string, std::string>, const SimulatedDecision*> in_b;
  for (const auto& decision : b.decisions) {
    in_b[{decision.item, decision.country}] = &decision;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& before : a.decisions) {
    const auto found = in_b.find({before.item, before.country});
    if (found == in_b.end()) {
      diff.only_in_a.push_back(before.item + " " + before.country);
      continue;
    }
    // The same id naming a vote in one run and a statement in the other is two different items:
    // their options cannot be compared.
    if (found->second->statement != before.statement) {
      diff.only_in_a.push_back(before.item + " " + before.country +
                               (before.statement ? " (a statement in A, a vote in B)"
                                                 : " (a vote in A, a statement in B)"));
      continue;
    }
    seen.insert(found->first);
    const SimulatedDecision& after = *found->second;
    ++diff.decisions_compared;
    DecisionChange change;
    change.item = before.item;
    change.country = before.country;
    change.date = sim::format_date(before.date);
    change.date_b = sim::format_date(after.date);
    change.statement = before.statement;
    change.modal_a = before.modal;
    change.modal_b = after.modal;
    change.realised_a = before.realised;
    change.realised_b = after.realised;
    change.options = before.options;
    for (const auto& option : after.options) {
      if (std::find(change.options.begin(), change.options.end(), option) == change.options.end()) {
        change.options.push_back(option);
      }
    }
    for (const auto& option : change.options) {
      const double p_a = at_or_zero(before.probability, before.option_index(option));
      const double p_b = at_or_zero(after.probability, after.option_index(option));
      change.probability_a.push_back(p_a);
      change.probability_b.push_back(p_b);
      change.largest_change = std::max(change.largest_change, std::fabs(p_b - p_a));
    }
    const bool modal_changed = before.modal != after.modal;
    // Two sampled runs (another seed, say) can draw different votes from the same
    // probabilities: the vote each run records moved, and a retaliation may follow from it.
    const bool realised_changed = before.realised != after.realised;
    if (!modal_changed && !realised_changed && change.largest_change <= options.threshold &&
        change.date == change.date_b) {
      continue;
    }
    if (realised_changed) {
      ++diff.realised_changes;
    }
    for (const auto& option : change.options) {
      for (const auto& term : terms) {
        const double delta =
            term_value(b, after, option, term) - term_value(a, before, option, term);
        if (std::fabs(delta) > options.threshold) {
          change.terms.push_back(TermDelta{option, term, delta});
        }
      }
    }
    sort_by_size(change.terms);
    if (modal_changed) {
      ++diff.modal_changes;
      for (const auto& term : terms) {
        const double margin_a =
            term_value(a, before, after.modal, term) - term_value(a, before, before.modal, term);
        const double margin_b =
            term_value(b, after, after.modal, term) - term_value(b, after, before.modal, term);
        if (std::fabs(margin_b - margin_a) > options.threshold) {
          change.margin.push_back(
              TermDelta{after.modal + "\u2212" + before.modal, term, margin_b - margin_a});
        }
      }
      sort_by_size(change.margin);
    }
    // What can have moved a decision: events up to its day (the later one if a what-if moved
    // it), but not a lapse, which the day's decisions cause.
    const std::string& decided = std::max(change.date, change.date_b);
    for (const auto& event : diff.events) {
      const bool before_decision =
          event.date < decided || (event.date == decided && event.phase != "lapsed");
      if (before_decision && std::find(event.recipients.begin(), event.recipients.end(),
                                       change.country) != event.recipients.end()) {
        change.events.push_back(event.id + " (" + event.phase + " " + event.date +
                                (event.only_in.empty() ? ", changed: " + join(event.changed, ", ")
                                                       : ", only in " + event.only_in) +
                                ")");
      }
    }
    diff.changes.push_back(std::move(change));
  }
  // Changed choices first (the most likely option, then the one drawn), then the largest moves:
  // what a reader of a what-if looks for.
  std::stable_sort(diff.changes.begin(), diff.changes.end(),
                   [](const DecisionChange& left, const DecisionChange& right) {
                     const bool left_flips = left.modal_a != left.modal_b;
                     const bool right_flips = right.modal_a != right.modal_b;
                     if (left_flips != right_flips) {
                       return left_flips;
                     }
                     const bool left_drawn = left.realised_a != left.realised_b;
                     const bool right_drawn = right.realised_a != right.realised_b;
                     if (left_drawn != right_drawn) {
                       return left_drawn;
                     }
                     return left.largest_change > right.largest_change;
                   });
  for (const auto& decision : b.decisions) {
    if (!seen.contains({decision.item, decision.country})) {
      diff.only_in_b.push_back(decision.item + " " + decision.country);
    }
  }
  return diff;
}

namespace {

std::string describe_terms(const std::vector<TermDelta>& deltas, std::size_t most) {
  std::string out;
  for (std::size_t index = 0; index < deltas.size() && index < most; ++index) {
    const TermDelta& delta = deltas[index];
    out += (index == 0 ? "" : ", ") + delta.term + " on " + delta.option + " " +
           signed_significant_text(delta.delta, 3);
  }
  if (deltas.size() > most) {
    out += ", \u2026 " + std::to_string(deltas.size() - most) + " more";
  }
  return out;
}

}  // namespace

std::string format_diff(const RunDiff& diff, int max_changes) {
  std::string out = "A: " + diff.run_a + "\nB: " + diff.run_b + "\n";
  if (diff.empty()) {
    return out + "\nno differences: the same inputs, events and decisions\n";
  }
  for (const auto& input : diff.inputs) {
    if (input.input == "scenario id") {
      out += "\nnote: A and B are runs of two scenarios (" + input.in_a + ", " + input.in_b +
             "), not a what-if and its base: the changes below compare two models\n";
    }
  }
  if (!diff.inputs.empty()) {
    out += "\ninputs that differ:\n";
    for (const auto& input : diff.inputs) {
      out += "  " + input.input + ": " + (input.in_a.empty() ? "(not in A)" : input.in_a) +
             " \u2192 " + (input.in_b.empty() ? "(not in B)" : input.in_b) + "\n";
    }
  }
  if (!diff.events.empty()) {
    out += "\nevents that differ:\n";
    for (const auto& event : diff.events) {
      out += "  " + (event.only_in.empty() ? std::string("changed") : "only in " + event.only_in) +
             ": " + event.date + " " + event.phase + " " + event.id + " (" + event.kind +
             (event.source.empty() ? "" : " by " + event.source) + " \u2192 " +
             join(event.recipients, ", ") + ")";
      if (!event.changed.empty()) {
        out += ": " + join(event.changed, ", ");
      } else if (!event.cause.empty() && event.cause != "scheduled in the scenario") {
        out += ": " + event.cause;
      }
      out += "\n";
    }
  }
  out += "\n" + std::to_string(diff.changes.size()) + " of " +
         std::to_string(diff.decisions_compared) +
         " decisions moved (a choice changed or |\u0394p| > " +
         significant_text(diff.threshold, 6) + "), " + std::to_string(diff.modal_changes) +
         " of them changing the most likely option" +
         (diff.realised_changes > diff.modal_changes
              ? " and " + std::to_string(diff.realised_changes) + " the choice each run drew"
              : std::string()) +
         (diff.changes.empty() ? "\n" : ":\n");
  int shown = 0;
  for (const auto& change : diff.changes) {
    if (shown++ >= max_changes) {
      out += "  \u2026 " + std::to_string(diff.changes.size() - static_cast<size_t>(max_changes)) +
             " more (use --json or --max)\n";
      break;
    }
    const std::string dates =
        change.date == change.date_b ? change.date : change.date + " \u2192 " + change.date_b;
    out += "  " + change.item + " " + change.country + " " + dates + ": " + change.modal_a +
           (change.modal_a == change.modal_b ? " (unchanged)" : " \u2192 " + change.modal_b) +
           (change.realised_a != change.realised_b &&
                    (change.realised_a != change.modal_a || change.realised_b != change.modal_b)
                ? "; drawn " + change.realised_a + " \u2192 " + change.realised_b
                : std::string()) +
           "; \u0394p";
    for (size_t option = 0; option < change.options.size(); ++option) {
      out +=
          " " + change.options[option] + " " +
          signed_significant_text(change.probability_b[option] - change.probability_a[option], 3);
    }
    out += "\n";
    if (!change.margin.empty()) {
      out += "    why " + change.modal_b + " over " + change.modal_a + ": " +
             describe_terms(change.margin, 4) + "\n";
    } else if (!change.terms.empty()) {
      out += "    terms: " + describe_terms(change.terms, 4) + "\n";
    }
    if (!change.events.empty()) {
      out += "    events: " + join(change.events, "; ") + "\n";
    }
  }
  for (const auto& [label, list] :
       {std::pair<const char*, const std::vector<std::string>*>{"A", &diff.only_in_a},
        {"B", &diff.only_in_b}}) {
    if (!list->empty()) {
      out += "\n" + std::to_string(list->size()) + " decisions only in " + label + ", e.g. " +
             list->front() + "\n";
    }
  }
  return out;
}

nlohmann::ordered_json diff_json(const RunDiff& diff) {
  nlohmann::ordered_json json;
  json["program_version"] = program_version();
  json["run_a"] = diff.run_a;
  json["run_b"] = diff.run_b;
  json["a"] = diff.provenance.empty() ? nlohmann::json::object() : diff.provenance.front();
  json["b"] = diff.provenance.size() < 2 ? nlohmann::json::object() : diff.provenance[1];
  json["threshold"] = diff.threshold;
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const auto& input : diff.inputs) {
    inputs.push_back({{"input", input.input}, {"a", input.in_a}, {"b", input.in_b}});
  }
  json["inputs"] = inputs;
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const auto& event : diff.events) {
    events.push_back({{"only_in", event.only_in.empty() ? nlohmann::ordered_json(nullptr)
                                                        : nlohmann::ordered_json(event.only_in)},
                      {"changed", event.changed},
                      {"id", event.id},
                      {"date", event.date},
                      {"phase", event.phase},
                      {"event", event.kind},
                      {"source", event.source},
                      {"recipient", event.recipients},
                      {"cause", event.cause}});
  }
  json["events"] = events;
  json["decisions_compared"] = diff.decisions_compared;
  json["modal_changes"] = diff.modal_changes;
  json["realised_changes"] = diff.realised_changes;
  const auto deltas = [](const std::vector<TermDelta>& list) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const auto& delta : list) {
      array.push_back({{"option", delta.option}, {"term", delta.term}, {"delta", delta.delta}});
    }
    return array;
  };
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const auto& change : diff.changes) {
    nlohmann::ordered_json probability_a = nlohmann::ordered_json::object();
    nlohmann::ordered_json probability_b = nlohmann::ordered_json::object();
    for (size_t option = 0; option < change.options.size(); ++option) {
      probability_a[change.options[option]] = change.probability_a[option];
      probability_b[change.options[option]] = change.probability_b[option];
    }
    changes.push_back({{"item", change.item},
                       {"country", change.country},
                       {"date", change.date},
                       {"date_b", change.date_b},
                       {"kind", change.statement ? "statement" : "vote"},
                       {"modal_a", change.modal_a},
                       {"modal_b", change.modal_b},
                       {"realised_a", change.realised_a},
                       {"realised_b", change.realised_b},
                       {"probability_a", probability_a},
                       {"probability_b", probability_b},
                       {"largest_change", change.largest_change},
                       {"term_deltas", deltas(change.terms)},
                       {"margin_deltas", deltas(change.margin)},
                       {"events", change.events}});
  }
  json["changes"] = changes;
  json["only_in_a"] = diff.only_in_a;
  json["only_in_b"] = diff.only_in_b;
  return json;
}

}  // namespace multivector::results
