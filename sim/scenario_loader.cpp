#include "sim/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <regex>
#include <set>
#include <unordered_map>

#include "sim/input_files.hpp"
#include "sim/resolution_symbol.hpp"
#include "sim/sha256.hpp"

namespace multivector::sim {

std::string_view event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::Threaten:
      return "THREATEN";
    case EventKind::Sanction:
      return "SANCTION";
    case EventKind::Aid:
      return "AID";
    case EventKind::Protect:
      return "PROTECT";
    case EventKind::Disapprove:
      return "DISAPPROVE";
  }
  return "?";
}

namespace {

template <typename Item>
Index find_by_id(const std::vector<Item>& items, std::string_view id) {
  for (size_t index = 0; index < items.size(); ++index) {
    if (items[index].id == id) {
      return static_cast<Index>(index);
    }
  }
  return -1;
}

}  // namespace

Index Scenario::find_power(std::string_view id) const {
  return find_by_id(powers, id);
}
Index Scenario::find_channel(std::string_view id) const {
  return find_by_id(channels, id);
}
Index Scenario::find_norm(std::string_view id) const {
  return find_by_id(norms, id);
}
Index Scenario::find_group(std::string_view id) const {
  return find_by_id(groups, id);
}
Index Scenario::find_country(std::string_view id) const {
  return find_by_id(countries, id);
}
Index Scenario::find_item(std::string_view id) const {
  return find_by_id(agenda, id);
}
Index Scenario::find_item_or_resolution(std::string_view name) const {
  if (const Index by_id = find_by_id(agenda, name); by_id >= 0) {
    return by_id;
  }
  const std::string symbol = canonical_resolution_symbol(name);
  for (size_t index = 0; index < agenda.size(); ++index) {
    if (!agenda[index].resolution.empty() && agenda[index].resolution == symbol) {
      return static_cast<Index>(index);
    }
  }
  return -1;
}
Index Scenario::find_event(std::string_view id) const {
  return find_by_id(events, id);
}

int Scenario::regular_steps() const {
  const std::int64_t span = info.end.days - info.start.days;
  const std::int64_t step_days = std::max(1, info.step_days);
  // A period that is not a whole number of steps ends with one shorter step on the end date.
  return static_cast<int>(span / step_days + 1 + (span % step_days != 0 ? 1 : 0));
}

int Scenario::steps() const {
  const std::int64_t start = info.start.days;
  const std::int64_t end = info.end.days;
  const std::int64_t step_days = std::max(1, info.step_days);
  std::set<std::int64_t> between;
  const auto add = [&](Date date) {
    if (date.days > start && date.days < end && (date.days - start) % step_days != 0) {
      between.insert(date.days);
    }
  };
  for (const auto& event : events) {
    add(event.date);
  }
  for (const auto& item : agenda) {
    add(item.date);
  }
  return regular_steps() + static_cast<int>(between.size());
}

std::int64_t Scenario::next_step_day(std::int64_t day) const {
  const std::int64_t start = info.start.days;
  if (day >= info.end.days) {
    return info.end.days + 1;
  }
  if (day < start) {
    return start;
  }
  const std::int64_t step_days = std::max(1, info.step_days);
  // Aligned to the start, not to `day`: after a step on an event's date between two regular
  // days, the next regular day is where it would have been without it.
  return std::min(start + ((day - start) / step_days + 1) * step_days, info.end.days);
}

namespace {

// A value as a message shows it: on one line and short, however long the text (an unclosed
// quote can swallow the rest of the file into one value).
std::string shown(const std::string& text) {
  constexpr std::size_t kLongest = 60;
  std::string line;
  for (const char character : text) {
    if (line.size() >= kLongest) {
      // Cut at a character boundary, not inside a UTF-8 sequence.
      while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0U) == 0x80U) {
        line.pop_back();
      }
      if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xC0U) {
        line.pop_back();
      }
      return line + "...";
    }
    line += character == '\n' ? ' ' : character;
  }
  return line;
}

std::string describe(const SourceNode& node) {
  if (node.is_scalar()) {
    return "'" + shown(node.text) + "'";
  }
  return node.kind_name();
}

std::string format_number(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (const auto& part : parts) {
    if (!text.empty()) {
      text += separator;
    }
    text += part;
  }
  return text;
}

template <typename Item>
std::vector<std::string> ids_of(const std::vector<Item>& items) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const auto& item : items) {
    ids.push_back(item.id);
  }
  return ids;
}

const std::regex& power_id_pattern() {
  static const std::regex pattern("^[A-Z][A-Z0-9_]{0,31}$");
  return pattern;
}
const std::regex& country_id_pattern() {
  static const std::regex pattern("^[A-Z]{3}$");
  return pattern;
}
const std::regex& name_pattern() {
  static const std::regex pattern("^[a-z][a-z0-9_]{0,63}$");  // kNameRule in words
  return pattern;
}
const std::regex& item_id_pattern() {
  // Ids appear in --set paths and output file rows: no dots, spaces or commas.
  static const std::regex pattern("^[A-Za-z0-9][A-Za-z0-9_/:-]{0,127}$");
  return pattern;
}

// Turns the merged tree into a typed Scenario, collecting every problem it finds.
class ScenarioBuilder {
 public:
  ScenarioBuilder(Diagnostics& diagnostics, const ScenarioLimits& limits)
      : diagnostics_(diagnostics), limits_(limits) {}

  Scenario build(const SourceNode& root) {
    if (root.is_null()) {
      error(root.location,
            "the file is empty (or holds only comments); a scenario is a map with the keys "
            "scenario, powers, channels, countries, events, agenda and parameters");
      return std::move(scenario_);
    }
    if (!root.is_map()) {
      error(root.location,
            "a scenario must be a map with the keys scenario, powers, channels, "
            "countries, events, agenda and parameters; got " +
                root.kind_name());
      return std::move(scenario_);
    }
    check_keys(root, "the scenario",
               {"scenario", "powers", "channels", "norms", "groups", "countries", "events",
                "agenda", "parameters"});
    read_info(required(root, "scenario", "the scenario"));
    const SourceNode* powers = required(root, "powers", "the scenario");
    const SourceNode* channels = required(root, "channels", "the scenario");
    const SourceNode* countries = required(root, "countries", "the scenario");
    read_powers(powers);
    read_channels(channels);
    read_norms(root.find("norms"));
    declare_countries(countries);
    check_country_steps();
    // Past a limit, or without the powers, channels and countries everything else refers to,
    // the later sections would only repeat the problem as a list of dangling references.
    const auto declared = [](const SourceNode* section) {
      return section != nullptr && section->is_map();
    };
    if (over_limit_ || !declared(powers) || !declared(channels) || !declared(countries)) {
      return std::move(scenario_);
    }
    read_groups(root.find("groups"));
    read_countries(countries);
    read_agenda(root.find("agenda"));
    check_decision_values(root.find("agenda"));
    if (over_limit_) {
      return std::move(scenario_);
    }
    read_events(root.find("events"));
    read_parameters(root.find("parameters"));
    return std::move(scenario_);
  }

 private:
  Diagnostics& diagnostics_;
  const ScenarioLimits& limits_;
  Scenario scenario_;
  SourceNode empty_;
  bool over_limit_ = false;
  bool period_invalid_ = false;
  std::int64_t steps_ = 0;
  SourceLocation steps_location_;

  // Engine time grows with countries × steps.
  void check_country_steps() {
    const auto countries = static_cast<std::int64_t>(scenario_.countries.size());
    if (steps_ > 0 && countries * steps_ > limits_.max_country_steps) {
      error(steps_location_,
            "the scenario has " + std::to_string(countries) + " countries × " +
                std::to_string(steps_) + " steps = " + std::to_string(countries * steps_) +
                " country-steps, over the limit of " + std::to_string(limits_.max_country_steps) +
                "; use a longer step, a shorter period or fewer countries "
                "(docs/limits.md)");
      over_limit_ = true;
    }
  }

  // A run records every country's decision on every item with each utility term: memory grows
  // with items × countries × (powers and norms).
  void check_decision_values(const SourceNode* agenda) {
    if (agenda == nullptr) {
      return;
    }
    const auto items = static_cast<std::int64_t>(scenario_.agenda.size());
    const auto countries = static_cast<std::int64_t>(scenario_.countries.size());
    const auto per_decision = static_cast<std::int64_t>(decision_values_per_row(
        static_cast<Index>(scenario_.powers.size()), static_cast<Index>(scenario_.norms.size())));
    const std::int64_t values = items * countries * per_decision;
    if (values > limits_.max_decision_values) {
      error(agenda->location, "the agenda has " + std::to_string(items) + " items × " +
                                  std::to_string(countries) + " countries, which would record " +
                                  std::to_string(values) + " decision values, over the limit of " +
                                  std::to_string(limits_.max_decision_values) +
                                  "; split the scenario or use fewer items (docs/limits.md)");
      over_limit_ = true;
    }
  }

  void error(const SourceLocation& location, std::string message) {
    diagnostics_.error(location, std::move(message));
  }

  // ---- generic readers -------------------------------------------------------------------

  const SourceNode* required(const SourceNode& map, std::string_view key, const std::string& path) {
    const SourceNode* node = map.find(key);
    if (node == nullptr) {
      error(map.location, path + ": missing required key '" + std::string(key) + "'");
    }
    return node;
  }

  void check_keys(const SourceNode& map, const std::string& path,
                  const std::vector<std::string>& allowed) {
    for (const auto& entry : map.entries) {
      if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
        error(entry.key_location,
              "unknown key '" + entry.key + "' in " + path + suggestion(entry.key, allowed));
      }
    }
  }

  bool expect_map(const SourceNode& node, const std::string& path, bool allow_null = false) {
    if (node.is_map() || (allow_null && node.is_null())) {
      return true;
    }
    error(node.location, path + ": expected a map of keys and values, got " + describe(node));
    return false;
  }

  std::optional<double> read_number(const SourceNode& node, const std::string& path, double low,
                                    double high) {
    if (!node.is_scalar() || node.quoted) {
      error(node.location, path + ": expected a number, got " +
                               (node.quoted ? "the text \"" + node.text + "\"" : describe(node)));
      return std::nullopt;
    }
    const std::string& text = node.text;
    std::string lowered = text;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lowered.find("nan") != std::string::npos || lowered.find("inf") != std::string::npos) {
      error(node.location, path + ": NaN and infinity are not allowed, got '" + text + "'");
      return std::nullopt;
    }
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin != end && *begin == '+') {
      ++begin;
    }
    double value = 0.0;
    const auto result = std::from_chars(begin, end, value);
    if (result.ec == std::errc::result_out_of_range) {
      error(node.location, path + ": number '" + text + "' is out of range");
      return std::nullopt;
    }
    if (result.ec != std::errc{} || result.ptr != end || begin == end) {
      error(node.location, path + ": expected a number, got " + describe(node));
      return std::nullopt;
    }
    if (!std::isfinite(value)) {
      error(node.location, path + ": number '" + text + "' is out of range");
      return std::nullopt;
    }
    if (value < low || value > high) {
      error(node.location, path + " must be between " + format_number(low) + " and " +
                               format_number(high) + ", got " + text);
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::int64_t> read_integer(const SourceNode& node, const std::string& path,
                                           std::int64_t low, std::int64_t high) {
    if (!node.is_scalar() || node.quoted) {
      error(node.location, path + ": expected a whole number, got " + describe(node));
      return std::nullopt;
    }
    std::int64_t value = 0;
    const char* begin = node.text.data();
    const char* end = begin + node.text.size();
    const auto result = std::from_chars(begin, end, value);
    if (result.ec == std::errc::result_out_of_range) {
      error(node.location, path + ": number '" + node.text + "' is out of range");
      return std::nullopt;
    }
    if (result.ec != std::errc{} || result.ptr != end) {
      error(node.location, path + ": expected a whole number, got " + describe(node));
      return std::nullopt;
    }
    if (value < low || value > high) {
      error(node.location, path + " must be between " + std::to_string(low) + " and " +
                               std::to_string(high) + ", got " + node.text);
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::uint64_t> read_seed(const SourceNode& node, const std::string& path) {
    if (!node.is_scalar() || node.quoted) {
      error(node.location, path + ": expected a whole number, got " + describe(node));
      return std::nullopt;
    }
    std::uint64_t value = 0;
    const char* begin = node.text.data();
    const char* end = begin + node.text.size();
    const auto result = std::from_chars(begin, end, value);
    if (result.ec != std::errc{} || result.ptr != end) {
      error(node.location, path +
                               ": expected a whole number from 0 to 18446744073709551615, got '" +
                               node.text + "'");
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> read_string(const SourceNode& node, const std::string& path) {
    if (!node.is_scalar()) {
      error(node.location, path + ": expected text, got " + node.kind_name());
      return std::nullopt;
    }
    return node.text;
  }

  std::optional<bool> read_bool(const SourceNode& node, const std::string& path) {
    if (node.is_scalar() && !node.quoted && (node.text == "true" || node.text == "false")) {
      return node.text == "true";
    }
    error(node.location, path + ": expected true or false, got " + describe(node));
    return std::nullopt;
  }

  std::optional<std::string> read_id(const SourceNode& node, const std::string& path,
                                     const std::regex& pattern, std::string_view rule) {
    auto text = read_string(node, path);
    if (!text) {
      return std::nullopt;
    }
    if (!std::regex_match(*text, pattern)) {
      error(node.location,
            path + ": '" + shown(*text) + "' is not a valid id (" + std::string(rule) + ")");
      return std::nullopt;
    }
    return text;
  }

  bool check_key_id(const MapEntry& entry, const std::string& path, const std::regex& pattern,
                    std::string_view rule) {
    if (!std::regex_match(entry.key, pattern)) {
      error(entry.key_location,
            path + ": '" + shown(entry.key) + "' is not a valid id (" + std::string(rule) + ")");
      return false;
    }
    return true;
  }

  std::optional<Date> read_date(const SourceNode& node, const std::string& path) {
    if (!node.is_scalar()) {
      error(node.location, path + ": expected a date as YYYY-MM-DD, got " + node.kind_name());
      return std::nullopt;
    }
    const auto date = parse_date(node.text);
    if (!date) {
      error(node.location, path + ": expected a date as YYYY-MM-DD, got " + describe(node));
    }
    return date;
  }

  void check_in_scenario(const SourceNode& node, const std::string& path, Date date) {
    if (period_invalid_) {
      return;
    }
    if (date < scenario_.info.start || date > scenario_.info.end) {
      error(node.location, path + ": date " + format_date(date) + " is outside the scenario (" +
                               format_date(scenario_.info.start) + " to " +
                               format_date(scenario_.info.end) +
                               "); move it, or widen scenario.start/scenario.end");
    }
  }

  // A list written as [], which for a list of recipients, members, items or options would make
  // an event or a group do nothing without a word (a key left out is reported on its own).
  static bool is_empty_list(const SourceNode* list) {
    return list != nullptr && list->is_sequence() && list->items.empty();
  }

  // Each name of a list with the node it came from, for messages that point at it.
  using StringList = std::vector<std::pair<std::string, const SourceNode*>>;

  // A single text or a list of texts.
  StringList read_string_list(const SourceNode& node, const std::string& path) {
    StringList values;
    if (node.is_scalar()) {
      values.emplace_back(node.text, &node);
      return values;
    }
    if (!node.is_sequence()) {
      error(node.location, path + ": expected a name or a list of names, got " + node.kind_name());
      return values;
    }
    for (const auto& item : node.items) {
      if (!item.is_scalar()) {
        error(item.location, path + ": expected a name, got " + item.kind_name());
        continue;
      }
      values.emplace_back(item.text, &item);
    }
    return values;
  }

  template <typename Item>
  Index resolve(const std::vector<Item>& items, const SourceNode& node, const std::string& path,
                std::string_view what) {
    const Index index = lookup(items, node.text);
    if (index < 0) {
      error(node.location, path + ": unknown " + std::string(what) + " '" + node.text + "'" +
                               suggestion(node.text, ids_of(items)));
    }
    return index;
  }

  template <typename Item>
  Index resolve_key(const std::vector<Item>& items, const MapEntry& entry, const std::string& path,
                    std::string_view what) {
    const Index index = lookup(items, entry.key);
    if (index < 0) {
      error(entry.key_location, path + ": unknown " + std::string(what) + " '" + entry.key + "'" +
                                    suggestion(entry.key, ids_of(items)));
    }
    return index;
  }

  // False when over the limit: the section is then not read at all, so an oversized section
  // costs no more time or memory than its parsing did.
  bool check_count(const SourceNode& node, Index count, Index limit, std::string_view what) {
    if (count > limit) {
      error(node.location, "too many " + std::string(what) + ": " + std::to_string(count) +
                               ", the limit is " + std::to_string(limit) + " (docs/limits.md)");
      over_limit_ = true;
      return false;
    }
    return true;
  }

  // Id → position in each declared collection, so that resolving a reference costs the same for
  // a thousand countries as for five. Rebuilt when the collection has grown since.
  struct IdIndex {
    std::size_t indexed = 0;
    std::unordered_map<std::string, Index> positions;
  };
  std::map<const void*, IdIndex> id_indexes_;

  template <typename Item>
  Index lookup(const std::vector<Item>& items, const std::string& id) {
    IdIndex& index = id_indexes_[static_cast<const void*>(&items)];
    if (index.indexed != items.size()) {
      index.positions.clear();
      for (std::size_t position = 0; position < items.size(); ++position) {
        index.positions.emplace(items[position].id, static_cast<Index>(position));
      }
      index.indexed = items.size();
    }
    const auto found = index.positions.find(id);
    return found == index.positions.end() ? -1 : found->second;
  }

  // ---- sections ---------------------------------------------------------------------------

  void read_info(const SourceNode* node) {
    ScenarioInfo& info = scenario_.info;
    if (node == nullptr || !expect_map(*node, "scenario")) {
      return;
    }
    check_keys(
        *node, "scenario",
        {"id", "name", "description", "start", "end", "step", "seed", "compare_with", "params"});
    if (const auto* id = required(*node, "id", "scenario")) {
      info.id = read_id(*id, "scenario.id", item_id_pattern(),
                        "letters, digits, '_', '-', '/', ':'; it names the output directory")
                    .value_or("");
      std::replace(info.id.begin(), info.id.end(), '/', '_');
    }
    if (const auto* name = node->find("name")) {
      info.name = read_string(*name, "scenario.name").value_or("");
    }
    if (const auto* description = node->find("description")) {
      info.description = read_string(*description, "scenario.description").value_or("");
    }
    const SourceNode* start = required(*node, "start", "scenario");
    const SourceNode* end = required(*node, "end", "scenario");
    if (start != nullptr) {
      info.start = read_date(*start, "scenario.start").value_or(Date{});
    }
    if (end != nullptr) {
      info.end = read_date(*end, "scenario.end").value_or(info.start);
      if (info.end < info.start) {
        error(end->location, "scenario.end (" + format_date(info.end) +
                                 ") is before scenario.start (" + format_date(info.start) + ")");
        info.end = info.start;
        period_invalid_ = true;  // every date would be "outside": say it once
      }
    }
    if (const auto* step = node->find("step")) {
      read_step(*step);
    }
    if (start != nullptr && end != nullptr) {
      const std::int64_t steps = scenario_.regular_steps();
      steps_ = steps;
      steps_location_ = end->location;
      if (steps > limits_.max_steps) {
        error(end->location, "the scenario has " + std::to_string(steps) +
                                 " steps, over the limit of " + std::to_string(limits_.max_steps) +
                                 "; use a longer step or a shorter period (docs/limits.md)");
        over_limit_ = true;
        steps_ = 0;
      }
    }
    if (const auto* seed = node->find("seed")) {
      info.seed = read_seed(*seed, "scenario.seed").value_or(0);
    }
    if (const auto* compare = node->find("compare_with")) {
      if (auto path = read_string(*compare, "scenario.compare_with")) {
        info.compare_with = resolve_relative(compare->location.file, *path);
      }
    }
    if (const auto* params = node->find("params")) {
      if (auto path = read_string(*params, "scenario.params")) {
        if (path->empty()) {
          error(params->location,
                "scenario.params: expected the path of a parameters file written by "
                "`multivector calibrate`; to run without one, remove the key");
        } else {
          info.params = resolve_relative(params->location.file, *path);
        }
      }
    }
  }

  void read_step(const SourceNode& node) {
    // A step is a whole number of days, written 1, 1d or 1w.
    int multiplier = 1;
    std::string digits = node.text;
    if (node.is_scalar() && !digits.empty() && (digits.back() == 'd' || digits.back() == 'w')) {
      multiplier = digits.back() == 'w' ? 7 : 1;
      digits.pop_back();
    }
    SourceNode number = node;
    number.text = digits;
    number.quoted = false;
    if (!node.is_scalar()) {
      error(node.location, "scenario.step: expected a number of days such as 1, 1d or 1w, got " +
                               node.kind_name());
      return;
    }
    std::int64_t value = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (result.ec != std::errc{} || result.ptr != digits.data() + digits.size() || value < 1 ||
        value > 3650) {
      error(node.location,
            "scenario.step: expected a number of days from 1 to 3650 such as 1, 1d or 1w, got '" +
                node.text + "'");
      return;
    }
    scenario_.info.step_days = static_cast<int>(value) * multiplier;
  }

  void read_powers(const SourceNode* node) {
    if (node == nullptr || !expect_map(*node, "powers")) {
      return;
    }
    if (node->entries.empty()) {
      error(node->location, "powers: declare at least one power (for example RUS, WEST, CHN)");
    }
    if (!check_count(*node, static_cast<Index>(node->entries.size()), limits_.max_powers,
                     "powers")) {
      return;
    }
    for (const auto& entry : node->entries) {
      const std::string path = "powers." + entry.key;
      check_key_id(entry, "powers", power_id_pattern(), "capital letters, digits and '_'");
      Power power;
      power.id = entry.key;
      power.name = entry.key;
      const SourceNode& value = entry.value;
      if (expect_map(value, path, true)) {
        check_keys(value, path,
                   {"name", "position", "capacity", "credibility", "abstain_offence",
                    "absent_offence", "deviation_offence", "hedge_offence"});
        if (const auto* name = value.find("name")) {
          power.name = read_string(*name, path + ".name").value_or(power.id);
        }
        if (const auto* position = required(value, "position", path)) {
          power.position = read_number(*position, path + ".position", -1.0, 1.0).value_or(0.0);
        }
        read_optional_number(value, "capacity", path, 0.0, 1e6, power.capacity);
        read_optional_number(value, "credibility", path, 0.0, 1.0, power.credibility);
        read_optional_number(value, "abstain_offence", path, 0.0, 1.0, power.abstain_offence);
        read_optional_number(value, "absent_offence", path, 0.0, 1.0, power.absent_offence);
        read_optional_number(value, "deviation_offence", path, 0.0, 1.0, power.deviation_offence);
        read_optional_number(value, "hedge_offence", path, 0.0, 1.0, power.hedge_offence);
      }
      scenario_.powers.push_back(std::move(power));
    }
  }

  void read_optional_number(const SourceNode& map, std::string_view key, const std::string& path,
                            double low, double high, double& target) {
    if (const auto* node = map.find(key)) {
      if (auto value = read_number(*node, path + "." + std::string(key), low, high)) {
        target = *value;
      }
    }
  }

  void read_channels(const SourceNode* node) {
    if (node == nullptr || !expect_map(*node, "channels")) {
      return;
    }
    if (node->entries.empty()) {
      error(node->location, "channels: declare at least one channel (for example trade)");
    }
    if (!check_count(*node, static_cast<Index>(node->entries.size()), limits_.max_channels,
                     "channels")) {
      return;
    }
    for (const auto& entry : node->entries) {
      const std::string path = "channels." + entry.key;
      check_key_id(entry, "channels", name_pattern(), kNameRule);
      Channel channel;
      channel.id = entry.key;
      channel.name = entry.key;
      if (expect_map(entry.value, path, true)) {
        check_keys(entry.value, path, {"name", "weight", "substitutability", "description"});
        if (const auto* name = entry.value.find("name")) {
          channel.name = read_string(*name, path + ".name").value_or(channel.id);
        }
        if (const auto* description = entry.value.find("description")) {
          (void)read_string(*description, path + ".description");
        }
        read_optional_number(entry.value, "weight", path, 0.0, 1e6, channel.weight);
        read_optional_number(entry.value, "substitutability", path, 0.0, 1.0,
                             channel.substitutability);
      }
      scenario_.channels.push_back(std::move(channel));
    }
  }

  // Norm defaults per item tag, kept until the agenda is read.
  struct NormTagDefault {
    Index norm;
    std::string tag;
    const SourceNode* values;
    std::string path;
  };
  std::vector<NormTagDefault> norm_tag_defaults_;

  void read_norms(const SourceNode* node) {
    if (node == nullptr || !expect_map(*node, "norms", true)) {
      return;
    }
    if (!check_count(*node, static_cast<Index>(node->entries.size()), limits_.max_norms, "norms")) {
      return;
    }
    for (const auto& entry : node->entries) {
      const std::string path = "norms." + entry.key;
      check_key_id(entry, "norms", name_pattern(), kNameRule);
      Norm norm;
      norm.id = entry.key;
      norm.name = entry.key;
      if (expect_map(entry.value, path, true)) {
        check_keys(entry.value, path, {"name", "description", "by_tag", "default_sensitivity"});
        read_optional_number(entry.value, "default_sensitivity", path, 0.0, 10.0,
                             norm.default_sensitivity);
        if (const auto* name = entry.value.find("name")) {
          norm.name = read_string(*name, path + ".name").value_or(norm.id);
        }
        if (const auto* description = entry.value.find("description")) {
          (void)read_string(*description, path + ".description");
        }
        if (const auto* by_tag = entry.value.find("by_tag")) {
          if (expect_map(*by_tag, path + ".by_tag")) {
            for (const auto& tag : by_tag->entries) {
              if (expect_map(tag.value, path + ".by_tag." + tag.key)) {
                norm_tag_defaults_.push_back({static_cast<Index>(scenario_.norms.size()), tag.key,
                                              &tag.value, path + ".by_tag." + tag.key});
              }
            }
          }
        }
      }
      scenario_.norms.push_back(std::move(norm));
    }
  }

  void declare_countries(const SourceNode* node) {
    if (node == nullptr || !expect_map(*node, "countries")) {
      return;
    }
    if (node->entries.empty()) {
      error(node->location, "countries: declare at least one country");
    }
    if (!check_count(*node, static_cast<Index>(node->entries.size()), limits_.max_countries,
                     "countries")) {
      return;
    }
    for (const auto& entry : node->entries) {
      check_key_id(entry, "countries", country_id_pattern(),
                   "an ISO 3166-1 alpha-3 code such as KAZ");
      Country country;
      country.id = entry.key;
      country.name = entry.key;
      scenario_.countries.push_back(std::move(country));
    }
  }

  void read_groups(const SourceNode* node) {
    if (node == nullptr || !expect_map(*node, "groups", true)) {
      return;
    }
    if (!check_count(*node, static_cast<Index>(node->entries.size()), limits_.max_groups,
                     "groups")) {
      return;
    }
    static const std::regex group_id_pattern("^[A-Za-z][A-Za-z0-9_]{0,63}$");
    for (const auto& entry : node->entries) {
      const std::string path = "groups." + entry.key;
      check_key_id(entry, "groups", group_id_pattern, "letters, digits and '_'");
      if (entry.key == "ALL" || lookup(scenario_.countries, entry.key) >= 0) {
        error(entry.key_location, path + ": a group cannot be called '" + entry.key +
                                      "' because recipients use that name for " +
                                      (entry.key == "ALL" ? "every country" : "the country"));
      }
      Group group;
      group.id = entry.key;
      group.name = entry.key;
      if (expect_map(entry.value, path)) {
        check_keys(entry.value, path, {"name", "members", "description"});
        if (const auto* name = entry.value.find("name")) {
          group.name = read_string(*name, path + ".name").value_or(group.id);
        }
        if (const auto* description = entry.value.find("description")) {
          (void)read_string(*description, path + ".description");
        }
        if (const auto* members = required(entry.value, "members", path)) {
          const auto member_names = read_string_list(*members, path + ".members");
          if (is_empty_list(members)) {
            // An event sent to an empty group would silently reach no one.
            error(members->location, path +
                                         ".members: a group needs at least one member; to "
                                         "leave a group out, remove it and the events naming it");
          }
          for (const auto& [member, member_node] : member_names) {
            const Index country =
                resolve(scenario_.countries, *member_node, path + ".members", "country");
            if (country >= 0) {
              if (std::find(group.members.begin(), group.members.end(), country) !=
                  group.members.end()) {
                error(member_node->location,
                      path + ".members: country '" + member + "' is listed twice");
                continue;
              }
              group.members.push_back(country);
            }
          }
        }
      }
      const auto group_index = static_cast<Index>(scenario_.groups.size());
      for (const Index member : group.members) {
        scenario_.countries[static_cast<size_t>(member)].groups.push_back(group_index);
      }
      scenario_.groups.push_back(std::move(group));
    }
  }

  // Reads {POWER: {channel: value}} into a powers × channels matrix.
  void read_power_channel_matrix(const SourceNode& node, const std::string& path,
                                 RowMatrix& matrix) {
    if (!expect_map(node, path)) {
      return;
    }
    for (const auto& power_entry : node.entries) {
      const Index power = resolve_key(scenario_.powers, power_entry, path, "power");
      const std::string power_path = path + "." + power_entry.key;
      if (power < 0 || !expect_map(power_entry.value, power_path)) {
        continue;
      }
      for (const auto& channel_entry : power_entry.value.entries) {
        const Index channel = resolve_key(scenario_.channels, channel_entry, power_path, "channel");
        if (channel < 0) {
          continue;
        }
        if (auto value =
                read_number(channel_entry.value, power_path + "." + channel_entry.key, 0.0, 1.0)) {
          matrix(power, channel) = *value;
        }
      }
    }
  }

  void read_countries(const SourceNode* node) {
    if (node == nullptr || !node->is_map() || node->entries.size() != scenario_.countries.size()) {
      return;
    }
    const auto powers = static_cast<Index>(scenario_.powers.size());
    const auto channels = static_cast<Index>(scenario_.channels.size());
    const auto norms = static_cast<Index>(scenario_.norms.size());
    size_t index = 0;
    for (const auto& entry : node->entries) {
      Country& country = scenario_.countries[index++];
      const std::string path = "countries." + entry.key;
      country.exposure = RowMatrix::Zero(powers, channels);
      country.substitutability = RowMatrix(powers, channels);
      country.channel_weight = Vector(channels);
      for (Index channel = 0; channel < channels; ++channel) {
        const Channel& declared = scenario_.channels[static_cast<size_t>(channel)];
        country.substitutability.col(channel).setConstant(declared.substitutability);
        country.channel_weight(channel) = declared.weight;
      }
      country.credibility = Vector(powers);
      country.declared_credibility.assign(static_cast<size_t>(powers), false);
      for (Index power = 0; power < powers; ++power) {
        country.credibility(power) = scenario_.powers[static_cast<size_t>(power)].credibility;
      }
      country.norm_sensitivity = Vector(norms);
      for (Index norm = 0; norm < norms; ++norm) {
        country.norm_sensitivity(norm) =
            scenario_.norms[static_cast<size_t>(norm)].default_sensitivity;
      }
      const SourceNode& value = entry.value;
      if (!expect_map(value, path)) {
        continue;
      }
      check_keys(value, path,
                 {"name", "orientation", "stay_out", "norms", "channel_weights", "exposure",
                  "substitutability", "credibility", "note"});
      if (const auto* name = value.find("name")) {
        country.name = read_string(*name, path + ".name").value_or(country.id);
      }
      if (const auto* note = value.find("note")) {
        (void)read_string(*note, path + ".note");
      }
      if (const auto* orientation = value.find("orientation")) {
        if (expect_map(*orientation, path + ".orientation")) {
          check_keys(*orientation, path + ".orientation", {"prior", "stubbornness"});
          read_optional_number(*orientation, "prior", path + ".orientation", -1.0, 1.0,
                               country.orientation_prior);
          read_optional_number(*orientation, "stubbornness", path + ".orientation", 0.0, 1.0,
                               country.stubbornness);
        }
      }
      read_optional_number(value, "stay_out", path, 0.0, 1.0, country.stay_out);
      if (const auto* country_norms = value.find("norms")) {
        if (expect_map(*country_norms, path + ".norms")) {
          for (const auto& norm_entry : country_norms->entries) {
            const Index norm = resolve_key(scenario_.norms, norm_entry, path + ".norms", "norm");
            if (norm < 0) {
              continue;
            }
            if (auto sensitivity =
                    read_number(norm_entry.value, path + ".norms." + norm_entry.key, 0.0, 10.0)) {
              country.norm_sensitivity(norm) = *sensitivity;
            }
          }
        }
      }
      if (const auto* weights = value.find("channel_weights")) {
        if (expect_map(*weights, path + ".channel_weights")) {
          for (const auto& weight_entry : weights->entries) {
            const Index channel =
                resolve_key(scenario_.channels, weight_entry, path + ".channel_weights", "channel");
            if (channel < 0) {
              continue;
            }
            if (auto weight = read_number(
                    weight_entry.value, path + ".channel_weights." + weight_entry.key, 0.0, 1e6)) {
              country.channel_weight(channel) = *weight;
            }
          }
        }
      }
      if (const auto* exposure = value.find("exposure")) {
        read_power_channel_matrix(*exposure, path + ".exposure", country.exposure);
      }
      if (const auto* substitutability = value.find("substitutability")) {
        read_power_channel_matrix(*substitutability, path + ".substitutability",
                                  country.substitutability);
      }
      if (const auto* credibility = value.find("credibility")) {
        if (expect_map(*credibility, path + ".credibility")) {
          for (const auto& power_entry : credibility->entries) {
            const Index power =
                resolve_key(scenario_.powers, power_entry, path + ".credibility", "power");
            if (power < 0) {
              continue;
            }
            if (auto level = read_number(power_entry.value,
                                         path + ".credibility." + power_entry.key, 0.0, 1.0)) {
              country.credibility(power) = *level;
              country.declared_credibility[static_cast<size_t>(power)] = true;
            }
          }
        }
      }
    }
  }

  // ---- agenda -----------------------------------------------------------------------------

  Index option_index(const AgendaItem& item, std::string_view name) const {
    const auto found = std::find(item.options.begin(), item.options.end(), name);
    return found == item.options.end() ? -1 : static_cast<Index>(found - item.options.begin());
  }

  Index resolve_option(const AgendaItem& item, const SourceNode& node, const std::string& path) {
    const Index option = option_index(item, node.text);
    if (option < 0) {
      error(node.location, path + ": '" + node.text + "' is not an option of " + item.id +
                               " (options: " + join(item.options, ", ") + ")" +
                               suggestion(node.text, item.options));
    }
    return option;
  }

  Index resolve_option_key(const AgendaItem& item, const MapEntry& entry, const std::string& path) {
    const Index option = option_index(item, entry.key);
    if (option < 0) {
      error(entry.key_location, path + ": '" + entry.key + "' is not an option of " + item.id +
                                    " (options: " + join(item.options, ", ") + ")" +
                                    suggestion(entry.key, item.options));
    }
    return option;
  }

  // Reads {option: value} rows of a powers × options or norms × options matrix.
  void read_option_values(const AgendaItem& item, const SourceNode& node, const std::string& path,
                          double low, double high, RowMatrix& matrix, Index row) {
    if (!expect_map(node, path)) {
      return;
    }
    for (const auto& entry : node.entries) {
      const Index option = resolve_option_key(item, entry, path);
      if (option < 0) {
        continue;
      }
      if (auto value = read_number(entry.value, path + "." + entry.key, low, high)) {
        matrix(row, option) = *value;
      }
    }
  }

  void read_agenda(const SourceNode* node) {
    if (node == nullptr || node->is_null()) {
      return;
    }
    if (!node->is_sequence()) {
      error(node->location,
            "agenda: expected a list of votes and statements, got " + node->kind_name());
      return;
    }
    if (!check_count(*node, static_cast<Index>(node->items.size()), limits_.max_agenda_items,
                     "agenda items")) {
      return;
    }
    std::map<std::string, SourceLocation> seen;
    std::map<std::string, std::pair<std::string, SourceLocation>> seen_resolutions;
    for (const auto& entry : node->items) {
      read_agenda_item(entry, seen, seen_resolutions);
    }
  }

  void read_agenda_item(
      const SourceNode& node, std::map<std::string, SourceLocation>& seen,
      std::map<std::string, std::pair<std::string, SourceLocation>>& seen_resolutions) {
    if (!expect_map(node, "agenda")) {
      return;
    }
    AgendaItem item;
    std::string path = "agenda";
    if (const auto* id = required(node, "id", "agenda item")) {
      item.id = read_id(*id, "agenda.id", item_id_pattern(), "letters, digits, '_', '-', '/', ':'")
                    .value_or("");
      path = "agenda." + item.id;
      if (!item.id.empty()) {
        const auto [previous, inserted] = seen.emplace(item.id, id->location);
        if (!inserted) {
          error(id->location, "agenda: duplicate item id '" + item.id + "' (first defined at " +
                                  previous->second.to_string() + ")");
        }
      }
    }
    std::string kind = "vote";
    if (const auto* kind_node = node.find("kind")) {
      kind = read_string(*kind_node, path + ".kind").value_or("vote");
      if (kind != "vote" && kind != "statement") {
        error(kind_node->location, path + ".kind: expected 'vote' or 'statement', got '" + kind +
                                       "'" + suggestion(kind, {"vote", "statement"}));
        kind = "vote";
      }
    }
    item.kind = kind == "vote" ? ItemKind::Vote : ItemKind::Statement;
    if (item.kind == ItemKind::Vote) {
      check_keys(node, path,
                 {"id", "kind", "name", "resolution", "date", "tags", "yes_points", "salience",
                  "stances", "offence", "norms", "note"});
    } else {
      check_keys(node, path,
                 {"id", "kind", "name", "date", "tags", "options", "salience", "offence", "norms",
                  "note"});
    }
    item.name = item.id;
    if (const auto* name = node.find("name")) {
      item.name = read_string(*name, path + ".name").value_or(item.id);
    }
    if (const auto* note = node.find("note")) {
      (void)read_string(*note, path + ".note");
    }
    if (const auto* resolution = node.find("resolution")) {
      item.resolution =
          canonical_resolution_symbol(read_string(*resolution, path + ".resolution").value_or(""));
      // Recorded votes are joined to the agenda on the symbol: a second item with it would be
      // scored against the same votes twice.
      if (!item.resolution.empty()) {
        const auto [previous, inserted] = seen_resolutions.emplace(
            item.resolution, std::make_pair(item.id, resolution->location));
        if (!inserted) {
          error(resolution->location,
                path + ".resolution: '" + item.resolution + "' is already agenda item '" +
                    previous->second.first + "' (at " + previous->second.second.to_string() +
                    "); each resolution can be on the agenda once, as recorded votes are joined "
                    "on its symbol");
        }
      }
    }
    if (const auto* date = required(node, "date", path)) {
      if (auto parsed = read_date(*date, path + ".date")) {
        item.date = *parsed;
        check_in_scenario(*date, path + ".date", item.date);
      }
    }
    if (const auto* tags = node.find("tags")) {
      for (const auto& [tag, tag_node] : read_string_list(*tags, path + ".tags")) {
        if (!std::regex_match(tag, name_pattern())) {
          error(tag_node->location,
                path + ".tags: '" + tag + "' is not a valid tag (" + std::string(kNameRule) + ")");
          continue;
        }
        item.tags.push_back(tag);
      }
    }
    if (const auto* salience = node.find("salience")) {
      item.salience = read_number(*salience, path + ".salience", 0.0, 100.0).value_or(1.0);
    }
    const auto powers = static_cast<Index>(scenario_.powers.size());
    const auto norms = static_cast<Index>(scenario_.norms.size());
    if (item.kind == ItemKind::Vote) {
      read_vote_options(node, path, item);
    } else {
      read_statement_options(node, path, item);
    }
    const auto options = static_cast<Index>(item.options.size());
    item.offence = RowMatrix::Zero(powers, options);
    item.norm_value = RowMatrix::Zero(norms, options);
    item.stance.assign(static_cast<size_t>(powers), -1);
    if (item.kind == ItemKind::Vote) {
      read_stances(node, path, item);
    }
    if (const auto* offence = node.find("offence")) {
      if (expect_map(*offence, path + ".offence")) {
        for (const auto& power_entry : offence->entries) {
          const Index power =
              resolve_key(scenario_.powers, power_entry, path + ".offence", "power");
          if (power >= 0) {
            read_option_values(item, power_entry.value, path + ".offence." + power_entry.key, 0.0,
                               1.0, item.offence, power);
          }
        }
      }
    }
    apply_norm_tag_defaults(item);
    if (const auto* item_norms = node.find("norms")) {
      if (expect_map(*item_norms, path + ".norms")) {
        for (const auto& norm_entry : item_norms->entries) {
          const Index norm = resolve_key(scenario_.norms, norm_entry, path + ".norms", "norm");
          if (norm >= 0) {
            item.norm_value.row(norm).setZero();
            read_option_values(item, norm_entry.value, path + ".norms." + norm_entry.key, -1.0, 1.0,
                               item.norm_value, norm);
          }
        }
      }
    }
    scenario_.agenda.push_back(std::move(item));
  }

  void read_vote_options(const SourceNode& node, const std::string& path, AgendaItem& item) {
    for (const auto option : kVoteOptions) {
      item.options.emplace_back(option);
    }
    if (const auto* yes_points = node.find("yes_points")) {
      const std::string direction = read_string(*yes_points, path + ".yes_points").value_or("");
      if (direction == "west") {
        item.direction = 1;
      } else if (direction == "russia") {
        item.direction = -1;
      } else if (!direction.empty()) {
        error(yes_points->location, path + ".yes_points: expected 'west' or 'russia', got '" +
                                        direction + "'" +
                                        suggestion(direction, {"west", "russia"}));
      }
    } else {
      error(node.location, path + ": missing required key 'yes_points' (west or russia)");
    }
    item.lean = Vector::Zero(4);
    item.lean(kYes) = item.direction;
    item.lean(kNo) = -item.direction;
    item.stay_out = Vector::Zero(4);
    item.stay_out(kNotVoting) = 1.0;
  }

  void read_statement_options(const SourceNode& node, const std::string& path, AgendaItem& item) {
    const SourceNode* options = required(node, "options", path);
    if (options == nullptr || !expect_map(*options, path + ".options")) {
      item.lean = Vector::Zero(0);
      item.stay_out = Vector::Zero(0);
      return;
    }
    if (options->entries.size() < 2) {
      error(options->location, path + ".options: a statement needs at least two options");
    }
    if (!check_count(*options, static_cast<Index>(options->entries.size()), limits_.max_options,
                     "options")) {
      item.lean = Vector::Zero(0);
      item.stay_out = Vector::Zero(0);
      return;
    }
    item.lean = Vector::Zero(static_cast<Index>(options->entries.size()));
    item.stay_out = Vector::Zero(static_cast<Index>(options->entries.size()));
    Index index = 0;
    for (const auto& entry : options->entries) {
      const std::string option_path = path + ".options." + entry.key;
      check_key_id(entry, path + ".options", name_pattern(), kNameRule);
      item.options.push_back(entry.key);
      if (expect_map(entry.value, option_path, true)) {
        check_keys(entry.value, option_path, {"lean", "stay_out", "description"});
        if (const auto* lean = entry.value.find("lean")) {
          item.lean(index) = read_number(*lean, option_path + ".lean", -1.0, 1.0).value_or(0.0);
        }
        if (const auto* stay_out = entry.value.find("stay_out")) {
          item.stay_out(index) = read_bool(*stay_out, option_path + ".stay_out").value_or(false);
        }
        if (const auto* description = entry.value.find("description")) {
          (void)read_string(*description, option_path + ".description");
        }
      }
      ++index;
    }
  }

  void read_stances(const SourceNode& node, const std::string& path, AgendaItem& item) {
    const SourceNode* stances = node.find("stances");
    if (stances == nullptr || !expect_map(*stances, path + ".stances")) {
      return;
    }
    for (const auto& entry : stances->entries) {
      const Index power = resolve_key(scenario_.powers, entry, path + ".stances", "power");
      if (power < 0 || !entry.value.is_scalar()) {
        if (power >= 0) {
          error(entry.value.location,
                path + ".stances." + entry.key + ": expected one of Y, N, A, NV");
        }
        continue;
      }
      const Index stance = resolve_option(item, entry.value, path + ".stances." + entry.key);
      if (stance < 0) {
        continue;
      }
      item.stance[static_cast<size_t>(power)] = stance;
      // The default offence table: the opposite vote offends fully, abstaining or staying away
      // from a text the power cares about offends a little, per the power's own settings.
      const Power& declared = scenario_.powers[static_cast<size_t>(power)];
      for (Index option = 0; option < 4; ++option) {
        double offence = 0.0;
        if (option == stance) {
          offence = 0.0;
        } else if (stance == kYes || stance == kNo) {
          if (option == kYes || option == kNo) {
            offence = 1.0;
          } else if (option == kAbstain) {
            offence = declared.abstain_offence;
          } else {
            offence = declared.absent_offence;
          }
        } else if (option == kAbstain || option == kNotVoting) {
          offence = declared.hedge_offence;  // the other way of not taking sides
        } else {
          offence = declared.deviation_offence;
        }
        item.offence(power, option) = offence;
      }
    }
  }

  void apply_norm_tag_defaults(AgendaItem& item) {
    for (const auto& tag_default : norm_tag_defaults_) {
      if (std::find(item.tags.begin(), item.tags.end(), tag_default.tag) == item.tags.end()) {
        continue;
      }
      // Tag defaults are written for texts whose Yes points West; a text whose Yes points towards
      // Russia honours or breaks the norm the other way round, so Y and N swap.
      for (const auto& entry : tag_default.values->entries) {
        std::string option_name = entry.key;
        if (item.kind == ItemKind::Vote && item.direction < 0) {
          option_name = option_name == "Y" ? "N" : option_name == "N" ? "Y" : option_name;
        }
        const Index option = option_index(item, option_name);
        if (option < 0) {
          if (item.kind == ItemKind::Vote) {
            error(entry.key_location, tag_default.path + ": '" + entry.key +
                                          "' is not a vote option (Y, N, A, NV)" +
                                          suggestion(entry.key, {"Y", "N", "A", "NV"}));
          }
          continue;
        }
        if (auto value = read_number(entry.value, tag_default.path + "." + entry.key, -1.0, 1.0)) {
          item.norm_value(tag_default.norm, option) = *value;
        }
      }
    }
  }

  // ---- events -----------------------------------------------------------------------------

  void read_events(const SourceNode* node) {
    if (node == nullptr || node->is_null()) {
      return;
    }
    if (!node->is_sequence()) {
      error(node->location, "events: expected a list of events, got " + node->kind_name());
      return;
    }
    if (!check_count(*node, static_cast<Index>(node->items.size()), limits_.max_events, "events")) {
      return;
    }
    // The ids of the events that are defined somewhere (have a type), to name the nearest when a
    // what-if switches off one that is not.
    std::vector<std::string> defined;
    for (const auto& entry : node->items) {
      const auto* id = entry.is_map() ? entry.find("id") : nullptr;
      if (id != nullptr && id->is_scalar() && entry.find("event") != nullptr) {
        defined.push_back(id->text);
      }
    }
    std::map<std::string, SourceLocation> seen;
    for (const auto& entry : node->items) {
      read_event(entry, seen, defined);
    }
  }

  static const std::vector<std::string>& common_event_keys() {
    static const std::vector<std::string> keys = {"id",        "date",      "source",  "recipient",
                                                  "event",     "mode",      "context", "cameo",
                                                  "goldstein", "reference", "note",    "enabled"};
    return keys;
  }

  void read_event(const SourceNode& node, std::map<std::string, SourceLocation>& seen,
                  const std::vector<std::string>& defined) {
    if (!expect_map(node, "events")) {
      return;
    }
    Event event;
    event.location = node.location;
    std::string path = "events";
    if (const auto* id = required(node, "id", "event")) {
      event.id = read_id(*id, "events.id", item_id_pattern(), "letters, digits, '_', '-', '/', ':'")
                     .value_or("");
      path = "events." + event.id;
      if (!event.id.empty()) {
        const auto [previous, inserted] = seen.emplace(event.id, id->location);
        if (!inserted) {
          error(id->location, "events: duplicate event id '" + event.id + "' (first defined at " +
                                  previous->second.to_string() + ")");
        }
      }
    }
    const SourceNode* enabled_node = node.find("enabled");
    if (node.find("event") == nullptr && enabled_node != nullptr && !event.id.empty()) {
      // An entry that only switches an event off merged with nothing: its id names no event of
      // the scenario or its bases (a misspelt id would otherwise switch nothing off unnoticed).
      error(enabled_node->location, path + ": there is no event '" + event.id +
                                        "' to switch on or off" + suggestion(event.id, defined));
      return;
    }
    const SourceNode* kind_node = node.find("event");
    std::vector<std::string> kind_keys;
    if (kind_node == nullptr) {
      // Without a type, which keys apply is unknown: checking them against one type would only
      // add errors about keys that are right for the type meant.
      error(node.location, path +
                               ": missing required key 'event' (one of THREATEN, SANCTION, AID, "
                               "PROTECT or DISAPPROVE)");
    } else {
      const std::string kind = read_string(*kind_node, path + ".event").value_or("");
      static const std::vector<std::string> kinds = {"THREATEN", "SANCTION", "AID", "PROTECT",
                                                     "DISAPPROVE"};
      if (kind == "THREATEN") {
        event.kind = EventKind::Threaten;
        kind_keys = {"items",     "item_tags", "options",     "channel",
                     "magnitude", "resolve",   "credibility", "duration_days"};
      } else if (kind == "SANCTION") {
        event.kind = EventKind::Sanction;
        kind_keys = {"channel", "magnitude", "duration_days", "ambiguous"};
      } else if (kind == "AID") {
        event.kind = EventKind::Aid;
        kind_keys = {"magnitude", "channel"};
      } else if (kind == "PROTECT") {
        event.kind = EventKind::Protect;
        kind_keys = {"against", "magnitude", "duration_days"};
      } else if (kind == "DISAPPROVE") {
        event.kind = EventKind::Disapprove;
        kind_keys = {"norm", "magnitude"};
      } else {
        error(kind_node->location, path + ".event: unknown event type '" + kind +
                                       "' (THREATEN, SANCTION, AID, PROTECT or DISAPPROVE)" +
                                       suggestion(kind, kinds));
        return;
      }
    }
    static const std::vector<std::string> every_kind_key = {
        "items",       "item_tags",     "options",   "channel", "magnitude", "resolve",
        "credibility", "duration_days", "ambiguous", "against", "norm"};
    std::vector<std::string> allowed = common_event_keys();
    // Without a type, a key of any type may be right.
    const auto& type_keys = kind_node == nullptr ? every_kind_key : kind_keys;
    allowed.insert(allowed.end(), type_keys.begin(), type_keys.end());
    for (const auto& entry : node.entries) {
      if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) {
        continue;
      }
      if (std::find(every_kind_key.begin(), every_kind_key.end(), entry.key) !=
          every_kind_key.end()) {
        error(entry.key_location, "key '" + entry.key + "' does not apply to a " +
                                      std::string(event_kind_name(event.kind)) + " event in " +
                                      path);
      } else {
        error(entry.key_location,
              "unknown key '" + entry.key + "' in " + path + suggestion(entry.key, allowed));
      }
    }
    if (const auto* enabled = node.find("enabled")) {
      if (!read_bool(*enabled, path + ".enabled").value_or(true)) {
        return;  // switched off in a what-if file: as if it never happened
      }
    }
    if (const auto* date = required(node, "date", path)) {
      if (auto parsed = read_date(*date, path + ".date")) {
        event.date = *parsed;
        check_in_scenario(*date, path + ".date", event.date);
      }
    }
    if (const auto* source = required(node, "source", path)) {
      if (source->is_scalar()) {
        event.source = resolve(scenario_.powers, *source, path + ".source", "power");
      } else {
        error(source->location,
              path + ".source: expected the id of a power, got " + source->kind_name());
      }
    }
    if (const auto* recipient = required(node, "recipient", path)) {
      read_recipients(*recipient, path + ".recipient", event);
    }
    read_event_text(node, "mode", path, event.mode);
    read_event_text(node, "context", path, event.context);
    read_event_text(node, "reference", path, event.note);
    if (const auto* note = node.find("note")) {
      const std::string text = read_string(*note, path + ".note").value_or("");
      event.note = event.note.empty() ? text : event.note + " | " + text;
    }
    if (const auto* cameo = node.find("cameo")) {
      event.cameo = read_string(*cameo, path + ".cameo").value_or("");
    }
    if (const auto* goldstein = node.find("goldstein")) {
      event.goldstein = read_number(*goldstein, path + ".goldstein", -10.0, 10.0);
    }
    if (kind_node == nullptr) {
      return;
    }
    read_event_kind_fields(node, path, event);
    scenario_.events.push_back(std::move(event));
  }

  void read_event_text(const SourceNode& node, std::string_view key, const std::string& path,
                       std::string& target) {
    if (const auto* value = node.find(key)) {
      target = read_string(*value, path + "." + std::string(key)).value_or("");
    }
  }

  void read_recipients(const SourceNode& node, const std::string& path, Event& event) {
    std::vector<char> chosen(scenario_.countries.size(), 0);
    const auto names = read_string_list(node, path);
    if (is_empty_list(&node)) {
      // An event with no recipient does nothing: a silent no-op is never what was meant.
      error(node.location, path +
                               ": an event needs at least one recipient (a country, a group or "
                               "ALL); to leave the event out, remove it or use --drop-event");
    }
    for (const auto& [name, name_node] : names) {
      event.recipient_names.push_back(name);
      if (name == "ALL") {
        std::fill(chosen.begin(), chosen.end(), 1);
        continue;
      }
      const Index country = lookup(scenario_.countries, name);
      if (country >= 0) {
        chosen[static_cast<size_t>(country)] = 1;
        continue;
      }
      const Index group = lookup(scenario_.groups, name);
      if (group >= 0) {
        for (const Index member : scenario_.groups[static_cast<size_t>(group)].members) {
          chosen[static_cast<size_t>(member)] = 1;
        }
        continue;
      }
      std::vector<std::string> candidates = ids_of(scenario_.countries);
      const auto groups = ids_of(scenario_.groups);
      candidates.insert(candidates.end(), groups.begin(), groups.end());
      candidates.emplace_back("ALL");
      error(name_node->location, path + ": unknown recipient '" + name +
                                     "' (a country, a group or ALL)" +
                                     suggestion(name, candidates));
    }
    for (size_t country = 0; country < chosen.size(); ++country) {
      if (chosen[country] != 0) {
        event.recipients.push_back(static_cast<Index>(country));
      }
    }
  }

  void read_event_kind_fields(const SourceNode& node, const std::string& path, Event& event) {
    if (const auto* channel = node.find("channel")) {
      if (channel->is_scalar() && channel->text == "all") {
        event.channel = -1;
      } else if (channel->is_scalar()) {
        event.channel = resolve(scenario_.channels, *channel, path + ".channel", "channel");
      } else {
        error(channel->location, path + ".channel: expected the name of a channel or 'all'");
      }
    }
    const double magnitude_limit =
        event.kind == EventKind::Aid || event.kind == EventKind::Disapprove ? 100.0 : 1.0;
    if (const auto* magnitude = required(node, "magnitude", path)) {
      event.magnitude =
          read_number(*magnitude, path + ".magnitude", 0.0, magnitude_limit).value_or(0.0);
    }
    if (const auto* duration = node.find("duration_days")) {
      event.duration_days =
          static_cast<int>(read_integer(*duration, path + ".duration_days", 0, 100000).value_or(0));
    }
    switch (event.kind) {
      case EventKind::Threaten:
        read_threat(node, path, event);
        break;
      case EventKind::Sanction:
        if (const auto* ambiguous = node.find("ambiguous")) {
          event.ambiguous = read_bool(*ambiguous, path + ".ambiguous").value_or(false);
        }
        break;
      case EventKind::Protect:
        if (const auto* against = required(node, "against", path)) {
          if (against->is_scalar()) {
            event.against = resolve(scenario_.powers, *against, path + ".against", "power");
            if (event.against >= 0 && event.against == event.source) {
              error(against->location,
                    path + ".against: a power cannot protect a country against itself");
            }
          } else {
            error(against->location, path + ".against: expected the id of a power");
          }
        }
        break;
      case EventKind::Disapprove:
        if (const auto* norm = required(node, "norm", path)) {
          if (norm->is_scalar()) {
            event.norm = resolve(scenario_.norms, *norm, path + ".norm", "norm");
          } else {
            error(norm->location, path + ".norm: expected the name of a norm");
          }
        }
        break;
      case EventKind::Aid:
        break;
    }
  }

  void read_threat(const SourceNode& node, const std::string& path, Event& event) {
    if (const auto* resolve_node = required(node, "resolve", path)) {
      event.resolve = read_number(*resolve_node, path + ".resolve", 0.0, 1.0).value_or(0.0);
    }
    if (const auto* credibility = node.find("credibility")) {
      event.credibility = read_number(*credibility, path + ".credibility", 0.0, 1.0).value_or(1.0);
    }
    const SourceNode* items = node.find("items");
    const SourceNode* tags = node.find("item_tags");
    if (items == nullptr && tags == nullptr) {
      error(node.location, path +
                               ": a THREATEN event needs 'items' or 'item_tags' to say which "
                               "votes or statements it is about");
    }
    const auto item_names =
        items != nullptr ? read_string_list(*items, path + ".items") : StringList{};
    const auto tag_names =
        tags != nullptr ? read_string_list(*tags, path + ".item_tags") : StringList{};
    if ((items != nullptr || tags != nullptr) && (items == nullptr || is_empty_list(items)) &&
        (tags == nullptr || is_empty_list(tags))) {
      // Empty lists would make a threat that covers nothing, the same as dropping it silently.
      error((items != nullptr ? items : tags)->location,
            path +
                ": a THREATEN event's 'items' and 'item_tags' name no vote or statement; name "
                "at least one, or remove the event (or --drop-event it)");
    }
    if (items != nullptr) {
      for (const auto& [name, item_node] : item_names) {
        const Index item = resolve(scenario_.agenda, *item_node, path + ".items", "agenda item");
        if (item >= 0) {
          event.items.push_back(item);
        }
      }
    }
    if (tags != nullptr) {
      std::vector<std::string> carried;  // every tag of the agenda, once
      for (const auto& item : scenario_.agenda) {
        for (const auto& tag : item.tags) {
          if (std::find(carried.begin(), carried.end(), tag) == carried.end()) {
            carried.push_back(tag);
          }
        }
      }
      for (const auto& [tag, tag_node] : tag_names) {
        if (std::find(carried.begin(), carried.end(), tag) == carried.end()) {
          // A misspelt tag would make a threat that covers nothing, without a word.
          error(tag_node->location, path + ".item_tags: no agenda item carries the tag '" + tag +
                                        "'" + suggestion(tag, carried));
          continue;
        }
        event.item_tags.push_back(tag);
      }
    }
    const SourceNode* options = required(node, "options", path);
    if (options == nullptr) {
      return;
    }
    const auto option_names = read_string_list(*options, path + ".options");
    if (is_empty_list(options)) {
      error(options->location, path +
                                   ".options: a threat needs at least one option it punishes "
                                   "(e.g. [A, NV]); to leave it out, remove the event");
    }
    for (const auto& [option, option_node] : option_names) {
      if (std::find(event.options.begin(), event.options.end(), option) != event.options.end()) {
        // Listed twice, the option's expected punishment would be counted twice.
        error(option_node->location, path + ".options: '" + option + "' is listed twice");
        continue;
      }
      // Every item the threat names must offer the option, or the threat can never trigger.
      bool known = false;
      for (const Index item : event.items) {
        const AgendaItem& agenda_item = scenario_.agenda[static_cast<size_t>(item)];
        if (option_index(agenda_item, option) < 0) {
          error(option_node->location, path + ".options: '" + option + "' is not an option of " +
                                           agenda_item.id +
                                           " (options: " + join(agenda_item.options, ", ") + ")" +
                                           suggestion(option, agenda_item.options));
        }
        known = true;
      }
      if (!known) {
        bool offered = false;
        for (const auto& agenda_item : scenario_.agenda) {
          offered = offered || option_index(agenda_item, option) >= 0;
        }
        if (!offered && !scenario_.agenda.empty()) {
          error(option_node->location,
                path + ".options: no agenda item has an option '" + option + "'");
        }
      }
      event.options.push_back(option);
    }
  }

  // ---- parameters -------------------------------------------------------------------------

  void read_parameters(const SourceNode* node) {
    Parameters& parameters = scenario_.parameters;
    parameters.decision.leverage = Vector::Ones(static_cast<Index>(scenario_.powers.size()));
    parameters.decision.norm = Vector::Ones(static_cast<Index>(scenario_.norms.size()));
    if (node == nullptr || !expect_map(*node, "parameters", true) || node->is_null()) {
      return;
    }
    check_keys(*node, "parameters", {"decision", "dynamics"});
    if (const auto* decision = node->find("decision")) {
      read_decision(*decision);
    }
    if (const auto* dynamics = node->find("dynamics")) {
      read_dynamics(*dynamics);
    }
  }

  void read_decision(const SourceNode& node) {
    const std::string path = "parameters.decision";
    DecisionParameters& decision = scenario_.parameters.decision;
    if (!expect_map(node, path)) {
      return;
    }
    check_keys(
        node, path,
        {"temperature", "intercepts", "tag_intercepts", "participation", "salience_participation",
         "orientation", "persistence", "recency", "habit", "leverage", "norms", "drift_reference",
         "drift_until", "offset_tags", "country_offsets"});
    constexpr double kWeightLimit = kDecisionWeightLimit;
    if (const auto* temperature = node.find("temperature")) {
      decision.temperature =
          read_number(*temperature, path + ".temperature", kMinDecisionTemperature, kWeightLimit)
              .value_or(1.0);
    }
    read_optional_number(node, "participation", path, -kWeightLimit, kWeightLimit,
                         decision.participation);
    read_optional_number(node, "salience_participation", path, -kWeightLimit, kWeightLimit,
                         decision.salience_participation);
    read_optional_number(node, "orientation", path, -kWeightLimit, kWeightLimit,
                         decision.orientation);
    read_optional_number(node, "persistence", path, -kWeightLimit, kWeightLimit,
                         decision.persistence);
    read_optional_number(node, "recency", path, -kWeightLimit, kWeightLimit, decision.recency);
    read_optional_number(node, "habit", path, -kWeightLimit, kWeightLimit, decision.habit);
    if (const auto* reference = node.find("drift_reference")) {
      decision.drift_reference = read_date(*reference, path + ".drift_reference");
    }
    if (const auto* until = node.find("drift_until")) {
      decision.drift_until = read_date(*until, path + ".drift_until");
    }
    if (const auto* offset_tags = node.find("offset_tags")) {
      // Free names, as tag intercepts are: parameters fitted on one scenario stay usable on
      // another whose agenda lacks the tag (calibrate warns when no recorded item carries it).
      decision.offset_tags.clear();
      for (const auto& [tag, tag_node] : read_string_list(*offset_tags, path + ".offset_tags")) {
        if (!std::regex_match(tag, name_pattern())) {
          error(tag_node->location, path + ".offset_tags: '" + tag + "' is not a valid tag (" +
                                        std::string(kNameRule) + ")");
        } else if (std::find(decision.offset_tags.begin(), decision.offset_tags.end(), tag) !=
                   decision.offset_tags.end()) {
          error(tag_node->location, path + ".offset_tags: '" + tag + "' is listed twice");
        } else {
          decision.offset_tags.push_back(tag);
        }
      }
    }
    if (const auto* intercepts = node.find("intercepts")) {
      std::vector<std::string> options;
      for (const auto& item : scenario_.agenda) {
        for (const auto& option : item.options) {
          if (std::find(options.begin(), options.end(), option) == options.end()) {
            options.push_back(option);
          }
        }
      }
      for (const auto option : kVoteOptions) {
        if (std::find(options.begin(), options.end(), option) == options.end()) {
          options.emplace_back(option);
        }
      }
      if (expect_map(*intercepts, path + ".intercepts")) {
        for (const auto& entry : intercepts->entries) {
          if (std::find(options.begin(), options.end(), entry.key) == options.end()) {
            error(entry.key_location, path + ".intercepts: '" + entry.key +
                                          "' is not an option of any agenda item" +
                                          suggestion(entry.key, options));
            continue;
          }
          if (auto value = read_number(entry.value, path + ".intercepts." + entry.key,
                                       -kWeightLimit, kWeightLimit)) {
            decision.intercepts[entry.key] = *value;
          }
        }
      }
    }
    if (const auto* tag_intercepts = node.find("tag_intercepts")) {
      // Tags are free names: parameters fitted on one scenario stay usable on another that does
      // not use every tag.
      if (expect_map(*tag_intercepts, path + ".tag_intercepts")) {
        for (const auto& tag : tag_intercepts->entries) {
          const std::string tag_path = path + ".tag_intercepts." + tag.key;
          if (!expect_map(tag.value, tag_path)) {
            continue;
          }
          for (const auto& option : tag.value.entries) {
            if (auto value = read_number(option.value, tag_path + "." + option.key, -kWeightLimit,
                                         kWeightLimit)) {
              decision.tag_intercepts[tag.key][option.key] = *value;
            }
          }
        }
      }
    }
    if (const auto* leverage = node.find("leverage")) {
      if (expect_map(*leverage, path + ".leverage")) {
        for (const auto& entry : leverage->entries) {
          const Index power = resolve_key(scenario_.powers, entry, path + ".leverage", "power");
          if (power < 0) {
            continue;
          }
          if (auto value = read_number(entry.value, path + ".leverage." + entry.key, -kWeightLimit,
                                       kWeightLimit)) {
            decision.leverage(power) = *value;
          }
        }
      }
    }
    if (const auto* norms = node.find("norms")) {
      if (expect_map(*norms, path + ".norms")) {
        for (const auto& entry : norms->entries) {
          const Index norm = resolve_key(scenario_.norms, entry, path + ".norms", "norm");
          if (norm < 0) {
            continue;
          }
          if (auto value = read_number(entry.value, path + ".norms." + entry.key, -kWeightLimit,
                                       kWeightLimit)) {
            decision.norm(norm) = *value;
          }
        }
      }
    }
    if (const auto* offsets = node.find("country_offsets")) {
      // Offsets are fitted per country; a parameters file fitted on the world carries offsets for
      // countries a smaller scenario does not have, and those are simply not used.
      if (expect_map(*offsets, path + ".country_offsets")) {
        for (const auto& entry : offsets->entries) {
          const std::string offset_path = path + ".country_offsets." + entry.key;
          if (!expect_map(entry.value, offset_path)) {
            continue;
          }
          check_keys(entry.value, offset_path,
                     {"orientation", "orientation_drift", "participation", "norms", "by_tag"});
          CountryOffset offset;
          read_optional_number(entry.value, "orientation", offset_path, -kWeightLimit, kWeightLimit,
                               offset.orientation);
          read_optional_number(entry.value, "orientation_drift", offset_path, -kWeightLimit,
                               kWeightLimit, offset.orientation_drift);
          read_optional_number(entry.value, "participation", offset_path, -kWeightLimit,
                               kWeightLimit, offset.participation);
          if (const auto* norm_offsets = entry.value.find("norms")) {
            if (expect_map(*norm_offsets, offset_path + ".norms")) {
              for (const auto& norm_entry : norm_offsets->entries) {
                if (resolve_key(scenario_.norms, norm_entry, offset_path + ".norms", "norm") < 0) {
                  continue;
                }
                if (auto value =
                        read_number(norm_entry.value, offset_path + ".norms." + norm_entry.key,
                                    -kWeightLimit, kWeightLimit)) {
                  offset.norms[norm_entry.key] = *value;
                }
              }
            }
          }
          if (const auto* by_tag = entry.value.find("by_tag")) {
            if (expect_map(*by_tag, offset_path + ".by_tag")) {
              for (const auto& tag_entry : by_tag->entries) {
                const std::string tag_path = offset_path + ".by_tag." + tag_entry.key;
                if (!std::regex_match(tag_entry.key, name_pattern())) {
                  error(tag_entry.key_location, offset_path + ".by_tag: '" + tag_entry.key +
                                                    "' is not a valid tag (" +
                                                    std::string(kNameRule) + ")");
                  continue;
                }
                if (!expect_map(tag_entry.value, tag_path)) {
                  continue;
                }
                check_keys(tag_entry.value, tag_path, {"orientation", "participation"});
                TagOffset tag_offset;
                read_optional_number(tag_entry.value, "orientation", tag_path, -kWeightLimit,
                                     kWeightLimit, tag_offset.orientation);
                read_optional_number(tag_entry.value, "participation", tag_path, -kWeightLimit,
                                     kWeightLimit, tag_offset.participation);
                offset.by_tag[tag_entry.key] = tag_offset;
              }
            }
          }
          decision.country_offsets[entry.key] = offset;
        }
      }
    }
  }

  void read_half_life(const SourceNode& map, std::string_view key, const std::string& path,
                      double& target) {
    const SourceNode* node = map.find(key);
    if (node == nullptr) {
      return;
    }
    const std::string key_path = path + "." + std::string(key);
    // Read with no bounds so that 0 (and less) gets a message of its own, which says why.
    const auto value = read_number(*node, key_path, std::numeric_limits<double>::lowest(),
                                   std::numeric_limits<double>::max());
    if (!value) {
      return;
    }
    if (*value < kMinHalfLifeDays || *value > kMaxHalfLifeDays) {
      error(node->location,
            key_path + " must be more than 0 days (from " + format_number(kMinHalfLifeDays) +
                " to " + std::to_string(static_cast<std::int64_t>(kMaxHalfLifeDays)) + "), got " +
                node->text +
                "; a short half-life makes the effect fade fast, and for one that never fades "
                "give the largest");
      return;
    }
    target = *value;
  }

  void read_dynamics(const SourceNode& node) {
    const std::string path = "parameters.dynamics";
    DynamicsParameters& dynamics = scenario_.parameters.dynamics;
    if (!expect_map(node, path)) {
      return;
    }
    check_keys(node, path,
               {"credibility_learning_rate", "peer_learning_share", "ambiguous_observation",
                "inducement_weight", "inducement_half_life_days", "alarm_half_life_days",
                "alarm_per_magnitude", "orientation_rate", "orientation_self_weight",
                "orientation_peer_weight", "orientation_power_pull", "diversification_rate",
                "diversification_threshold", "threat_duration_days", "retaliation_duration_days"});
    read_optional_number(node, "credibility_learning_rate", path, 0.0, 1.0,
                         dynamics.credibility_learning_rate);
    read_optional_number(node, "peer_learning_share", path, 0.0, 1.0, dynamics.peer_learning_share);
    read_optional_number(node, "ambiguous_observation", path, 0.0, 1.0,
                         dynamics.ambiguous_observation);
    read_optional_number(node, "inducement_weight", path, 0.0, 1e3, dynamics.inducement_weight);
    read_half_life(node, "inducement_half_life_days", path, dynamics.inducement_half_life_days);
    read_half_life(node, "alarm_half_life_days", path, dynamics.alarm_half_life_days);
    read_optional_number(node, "alarm_per_magnitude", path, 0.0, 1e3, dynamics.alarm_per_magnitude);
    read_optional_number(node, "orientation_rate", path, 0.0, 1.0, dynamics.orientation_rate);
    read_optional_number(node, "orientation_self_weight", path, 0.0, 1e3,
                         dynamics.orientation_self_weight);
    read_optional_number(node, "orientation_peer_weight", path, 0.0, 1e3,
                         dynamics.orientation_peer_weight);
    read_optional_number(node, "orientation_power_pull", path, 0.0, 1e3,
                         dynamics.orientation_power_pull);
    read_optional_number(node, "diversification_rate", path, 0.0, 1.0,
                         dynamics.diversification_rate);
    read_optional_number(node, "diversification_threshold", path, 0.0, 1.0,
                         dynamics.diversification_threshold);
    if (const auto* duration = node.find("threat_duration_days")) {
      dynamics.threat_duration_days = static_cast<int>(
          read_integer(*duration, path + ".threat_duration_days", 1, 100000).value_or(30));
    }
    if (const auto* duration = node.find("retaliation_duration_days")) {
      dynamics.retaliation_duration_days = static_cast<int>(
          read_integer(*duration, path + ".retaliation_duration_days", 1, 100000).value_or(90));
    }
  }
};

// ---- tree loading ---------------------------------------------------------------------------

SourceNode parse_input(const InputFile& file, const ParseLimits& limits) {
  Diagnostics diagnostics;
  SourceNode root = parse_yaml(file.content, file.label, diagnostics, limits);
  diagnostics.throw_if_any();
  return root;
}

// A what-if file changes an entry of its base by naming it, and a name the base lacks makes a new
// entry instead: a misspelt country code or event id would add a country or an event nobody
// meant, and leave the one meant unchanged, without a word. So a new entry must have what a new
// one needs to be real: a country its name and its orientation, a power its name and position,
// a channel its name and weight, a norm its name, a group its name and members, an agenda item
// its date, an event its type. (The name is what a change to an existing entry almost never
// repeats, and the other keys are those the loader requires, or, for a channel, what makes it
// matter. Agenda items are not asked for a name: new votes are often added by id alone.)
struct NewEntryRule {
  std::string_view section;  // countries, powers, ...
  std::string_view noun;     // country, power, ... (as in "there is no country 'ARN'")
  std::vector<std::string_view> required_keys;
};

std::string quoted_list(const std::vector<std::string_view>& keys) {
  std::string text;
  for (std::size_t index = 0; index < keys.size(); ++index) {
    text += index == 0 ? "" : (index + 1 == keys.size() ? " and " : ", ");
    text += "'" + std::string(keys[index]) + "'";
  }
  return text;
}

bool has_keys(const SourceNode& entry, const std::vector<std::string_view>& keys) {
  return entry.is_map() && std::all_of(keys.begin(), keys.end(), [&](std::string_view key) {
           return entry.find(key) != nullptr;
         });
}

// Sections that are maps keyed by id: countries, powers, channels, norms, groups.
void check_new_map_entries(const SourceNode& base, const SourceNode& overlay,
                           const NewEntryRule& rule, Diagnostics& diagnostics) {
  const SourceNode* base_section = base.find(rule.section);
  const SourceNode* section = overlay.find(rule.section);
  // A base without the section, or with an empty one, has nothing to misspell.
  if (base_section == nullptr || !base_section->is_map() || base_section->entries.empty() ||
      section == nullptr || !section->is_map()) {
    return;
  }
  std::vector<std::string> base_ids;
  for (const auto& entry : base_section->entries) {
    base_ids.push_back(entry.key);
  }
  for (const auto& entry : section->entries) {
    if (base_section->find(entry.key) == nullptr && !has_keys(entry.value, rule.required_keys)) {
      diagnostics.error(entry.key_location,
                        std::string(rule.section) + "." + entry.key + ": there is no " +
                            std::string(rule.noun) + " '" + entry.key + "' in the base scenario" +
                            suggestion(entry.key, base_ids) + "; a new " + std::string(rule.noun) +
                            " needs at least " + quoted_list(rule.required_keys));
    }
  }
}

// The ids of the entries of a list that merges by id (agenda, events); none for anything else.
std::vector<std::string> listed_ids(const SourceNode* list) {
  std::vector<std::string> ids;
  if (list != nullptr && list->is_sequence()) {
    for (const auto& entry : list->items) {
      const SourceNode* id = entry.is_map() ? entry.find("id") : nullptr;
      if (id != nullptr && id->is_scalar()) {
        ids.push_back(id->text);
      }
    }
  }
  return ids;
}

// The agenda, a list whose entries merge by id.
void check_new_agenda_items(const SourceNode& base, const SourceNode& overlay,
                            Diagnostics& diagnostics) {
  const SourceNode* base_agenda = base.find("agenda");
  const SourceNode* agenda = overlay.find("agenda");
  if (base_agenda == nullptr || !base_agenda->is_sequence() || base_agenda->items.empty() ||
      agenda == nullptr || !agenda->is_sequence()) {
    return;
  }
  const std::vector<std::string_view> required_keys = {"date"};
  const std::vector<std::string> base_ids = listed_ids(base_agenda);
  for (const auto& item : agenda->items) {
    const SourceNode* id = item.is_map() ? item.find("id") : nullptr;
    if (id == nullptr || !id->is_scalar() || has_keys(item, required_keys) ||
        std::find(base_ids.begin(), base_ids.end(), id->text) != base_ids.end()) {
      continue;
    }
    diagnostics.error(item.location,
                      "agenda." + id->text + ": there is no agenda item '" + id->text +
                          "' in the base scenario" + suggestion(id->text, base_ids) +
                          "; a new agenda item needs at least " + quoted_list(required_keys));
  }
}

void check_new_entries(const SourceNode& base, const SourceNode& overlay) {
  Diagnostics diagnostics;
  static const std::vector<NewEntryRule> rules = {
      {"countries", "country", {"name", "orientation"}}, {"powers", "power", {"name", "position"}},
      {"channels", "channel", {"name", "weight"}},       {"norms", "norm", {"name"}},
      {"groups", "group", {"name", "members"}},
  };
  for (const NewEntryRule& rule : rules) {
    check_new_map_entries(base, overlay, rule, diagnostics);
  }
  check_new_agenda_items(base, overlay, diagnostics);
  const SourceNode* base_events = base.find("events");
  const SourceNode* events = overlay.find("events");
  if (events != nullptr && events->is_sequence()) {
    const std::vector<std::string> base_ids = listed_ids(base_events);
    for (const auto& event : events->items) {
      const SourceNode* id = event.is_map() ? event.find("id") : nullptr;
      // An entry that only switches an event on or off has its own message (the builder's).
      if (id == nullptr || !id->is_scalar() || event.find("event") != nullptr ||
          event.find("enabled") != nullptr ||
          std::find(base_ids.begin(), base_ids.end(), id->text) != base_ids.end()) {
        continue;
      }
      diagnostics.error(event.location,
                        "events." + id->text + ": there is no event '" + id->text +
                            "' in the base scenario" + suggestion(id->text, base_ids) +
                            ", and as a new event it is missing the required key 'event' (one "
                            "of THREATEN, SANCTION, AID, PROTECT or DISAPPROVE)");
    }
  }
  diagnostics.throw_if_any();
}

SourceNode load_with_extends(const InputFile& file, std::vector<std::string>& chain,
                             std::vector<SourceFile>& files, const ParseLimits& limits) {
  files.push_back(SourceFile{file.label, sha256_hex(file.content)});
  SourceNode root = parse_input(file, limits);
  const SourceNode* extends = root.is_map() ? root.find("extends") : nullptr;
  if (extends == nullptr) {
    return root;
  }
  // One base, or a list of bases merged in order (a later base overrides an earlier one).
  if (extends->is_sequence() && extends->items.empty()) {
    throw InputError(extends->location,
                     "extends: the list of base scenarios is empty; name at least one base "
                     "scenario, or remove the key");
  }
  std::vector<const SourceNode*> bases;
  if (extends->is_sequence()) {
    for (const auto& item : extends->items) {
      bases.push_back(&item);
    }
  } else {
    bases.push_back(extends);
  }
  SourceNode merged;
  for (const SourceNode* base_node : bases) {
    if (!base_node->is_scalar() || base_node->text.empty()) {
      throw InputError(base_node->location,
                       "extends: expected the path of a base scenario (or a list of paths), got " +
                           describe(*base_node));
    }
    const std::string base_path = resolve_relative(file.label, base_node->text);
    const std::string canonical = canonical_path(base_path);
    if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
      std::vector<std::string> cycle = chain;
      cycle.push_back(canonical);
      throw InputError(base_node->location, "extends cycle: " + join(cycle, " -> "));
    }
    if (chain.size() >= 16) {
      throw InputError(base_node->location,
                       "extends chain deeper than 16 files; flatten the what-if files");
    }
    std::error_code missing;
    if (!is_builtin_path(base_path) && !std::filesystem::exists(base_path, missing)) {
      // A what-if copied out of the repository names the shipped scenario by its file name.
      const std::string name = std::filesystem::path(base_node->text).filename().string();
      if (builtin_files().contains(name)) {
        throw InputError(base_node->location,
                         "cannot open '" + base_path + "': no such file; to extend the scenario " +
                             "built into the program, write extends: builtin:" + name);
      }
    }
    const InputFile base_file = read_input_file(base_path, limits.max_bytes, base_node->location);
    chain.push_back(canonical);
    SourceNode base = load_with_extends(base_file, chain, files, limits);
    chain.pop_back();
    if (!base.is_map()) {
      throw InputError(base.location, "the base scenario of an extends must be a map");
    }
    if (merged.is_null()) {
      merged = std::move(base);
    } else {
      merge_tree(merged, base);
    }
  }
  root.erase("extends");
  check_new_entries(merged, root);
  merge_tree(merged, root);
  return merged;
}

void merge_params_file(LoadedTree& tree, const std::string& path, const ParseLimits& limits,
                       const SourceLocation& requested) {
  const InputFile file = read_input_file(path, limits.max_bytes, requested);
  tree.files.push_back(SourceFile{file.label, sha256_hex(file.content)});
  const SourceNode params = parse_input(file, limits);
  if (!params.is_map() || params.find("parameters") == nullptr) {
    throw InputError(params.location,
                     "a parameters file must be a map with a 'parameters' key (as written by "
                     "multivector calibrate)");
  }
  Diagnostics diagnostics;
  for (const auto& entry : params.entries) {
    if (entry.key != "parameters" && entry.key != "calibration") {
      diagnostics.error(entry.key_location,
                        "unknown key '" + entry.key + "' in a parameters file" +
                            suggestion(entry.key, {"parameters", "calibration"}));
    }
  }
  diagnostics.throw_if_any();
  if (tree.root.is_map()) {
    merge_tree(tree.root.get_or_insert("parameters", params.location), *params.find("parameters"));
  }
}

// scenario.params as written, if the merged document has it as text; anything else is left for
// build_scenario to report with the rest of the scenario's problems.
const SourceNode* declared_params(const SourceNode& root) {
  const SourceNode* info = root.is_map() ? root.find("scenario") : nullptr;
  const SourceNode* params = info != nullptr && info->is_map() ? info->find("params") : nullptr;
  return params != nullptr && params->is_scalar() && !params->text.empty() ? params : nullptr;
}

LoadedTree finish_tree(LoadedTree tree, const LoadOptions& options) {
  for (const auto& assignment : options.overrides) {
    // The file is merged before --set applies, so a --set of it could not take effect.
    if (assignment.rfind("scenario.params=", 0) == 0) {
      throw InputError(SourceLocation{"--set " + assignment, 0, 0},
                       "scenario.params cannot be set with --set; to run with other fitted "
                       "parameters, pass --params FILE");
    }
  }
  if (!options.params_file.empty()) {
    merge_params_file(tree, options.params_file, options.parse_limits,
                      SourceLocation{"--params " + options.params_file, 0, 0});
  } else if (const SourceNode* declared = declared_params(tree.root);
             declared != nullptr && options.read_scenario_params) {
    const std::string path = resolve_relative(declared->location.file, declared->text);
    std::error_code error;
    if (!is_builtin_path(path) && !std::filesystem::exists(path, error)) {
      throw InputError(declared->location,
                       "scenario.params: there is no file '" + path +
                           "'; write it with `multivector calibrate SCENARIO -o " + path +
                           "`, or pass --params FILE to read another fit");
    }
    merge_params_file(tree, path, options.parse_limits, declared->location);
  }
  Diagnostics diagnostics;
  for (const auto& assignment : options.overrides) {
    apply_override(tree.root, assignment, diagnostics);
  }
  diagnostics.throw_if_any();
  return tree;
}

// explain and diff print negative numbers with the typographic minus sign (U+2212); a user who
// copies such a value into --set means the number, so a minus sign before a digit or a point reads
// as the ASCII '-' that YAML knows.
// The keys of a map node, offered as suggestions when a --set path names none of them.
std::vector<std::string> entry_keys(const SourceNode* map) {
  std::vector<std::string> keys;
  if (map != nullptr && map->is_map()) {
    for (const auto& entry : map->entries) {
      keys.push_back(entry.key);
    }
  }
  return keys;
}

std::string with_ascii_minus(const std::string& value_text) {
  static const std::string typographic_minus = "\u2212";
  std::string text = value_text;
  for (auto at = text.find(typographic_minus); at != std::string::npos;
       at = text.find(typographic_minus, at + 1)) {
    const auto next = at + typographic_minus.size();
    if (next < text.size() &&
        (std::isdigit(static_cast<unsigned char>(text[next])) != 0 || text[next] == '.')) {
      text.replace(at, typographic_minus.size(), "-");
    }
  }
  return text;
}

}  // namespace

std::vector<std::string> decision_parameters_out_of_range(const Scenario& scenario,
                                                          const DecisionParameters& decision) {
  std::vector<std::string> problems;
  const auto check = [&problems](const std::string& path, double value, double low, double high) {
    // Written as the loader would read them back: NaN and infinities fail every comparison.
    if (!(value >= low && value <= high)) {
      problems.push_back("parameters.decision." + path + " = " + format_number(value) +
                         " (accepted: " + format_number(low) + " to " + format_number(high) + ")");
    }
  };
  const auto weight = [&check](const std::string& path, double value) {
    check(path, value, -kDecisionWeightLimit, kDecisionWeightLimit);
  };
  check("temperature", decision.temperature, kMinDecisionTemperature, kDecisionWeightLimit);
  for (const auto& [option, value] : decision.intercepts) {
    weight("intercepts." + option, value);
  }
  for (const auto& [tag, options] : decision.tag_intercepts) {
    for (const auto& [option, value] : options) {
      weight("tag_intercepts." + tag + "." + option, value);
    }
  }
  weight("participation", decision.participation);
  weight("salience_participation", decision.salience_participation);
  weight("orientation", decision.orientation);
  weight("persistence", decision.persistence);
  weight("recency", decision.recency);
  weight("habit", decision.habit);
  for (Index power = 0; power < decision.leverage.size(); ++power) {
    const auto at = static_cast<std::size_t>(power);
    weight("leverage." +
               (at < scenario.powers.size() ? scenario.powers[at].id : std::to_string(power)),
           decision.leverage(power));
  }
  for (Index norm = 0; norm < decision.norm.size(); ++norm) {
    const auto at = static_cast<std::size_t>(norm);
    weight("norms." + (at < scenario.norms.size() ? scenario.norms[at].id : std::to_string(norm)),
           decision.norm(norm));
  }
  for (const auto& [country, offset] : decision.country_offsets) {
    const std::string path = "country_offsets." + country + ".";
    weight(path + "orientation", offset.orientation);
    weight(path + "orientation_drift", offset.orientation_drift);
    weight(path + "participation", offset.participation);
    for (const auto& [norm, value] : offset.norms) {
      weight(path + "norms." + norm, value);
    }
    for (const auto& [tag, tag_offset] : offset.by_tag) {
      weight(path + "by_tag." + tag + ".orientation", tag_offset.orientation);
      weight(path + "by_tag." + tag + ".participation", tag_offset.participation);
    }
  }
  return problems;
}

void apply_override(SourceNode& root, const std::string& assignment, Diagnostics& diagnostics) {
  const SourceLocation where{"--set " + assignment, 0, 0};
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    diagnostics.error(where,
                      "expected PATH=VALUE, for example "
                      "countries.KAZ.exposure.RUS.transit=0.3");
    return;
  }
  const std::string path = assignment.substr(0, equals);
  const std::string value_text = assignment.substr(equals + 1);
  const std::vector<std::string> segments = split_path(path);
  if (std::any_of(segments.begin(), segments.end(), [](const auto& s) { return s.empty(); })) {
    diagnostics.error(where, "empty segment in path '" + path + "'");
    return;
  }
  if (!root.is_map()) {
    diagnostics.error(where, "the scenario is not a map, so '" + path + "' cannot be set");
    return;
  }
  static const std::vector<std::string> top_level = {"scenario", "powers", "channels",
                                                     "norms",    "groups", "countries",
                                                     "events",   "agenda", "parameters"};
  if (std::find(top_level.begin(), top_level.end(), segments.front()) == top_level.end()) {
    diagnostics.error(where, "unknown path '" + path + "': it must start with one of " +
                                 join(top_level, ", ") + suggestion(segments.front(), top_level));
    return;
  }
  // Collections whose entries are declared by the scenario: --set may change an entry but never
  // invent one, so a typo in an id is an error rather than a silent new country.
  static const std::vector<std::string> collections = {"powers", "channels", "norms", "groups",
                                                       "countries"};
  SourceNode* node = &root;
  std::string walked;
  for (size_t index = 0; index < segments.size(); ++index) {
    const std::string& segment = segments[index];
    const std::string parent = walked;
    walked += (walked.empty() ? "" : ".") + segment;
    if (is_identified_list(*node)) {
      auto match =
          std::find_if(node->items.begin(), node->items.end(),
                       [&](const SourceNode& item) { return item.find("id")->text == segment; });
      if (match == node->items.end()) {
        std::vector<std::string> ids;
        for (const auto& item : node->items) {
          ids.push_back(item.find("id")->text);
        }
        diagnostics.error(where, "unknown path '" + path + "': " + parent + " has no entry '" +
                                     segment + "'" + suggestion(segment, ids));
        return;
      }
      node = &*match;
      continue;
    }
    if (node->is_sequence()) {
      diagnostics.error(where, "unknown path '" + path + "': " + parent +
                                   " is a list without ids; set the whole list instead");
      return;
    }
    // A parameters file may carry offsets for countries the scenario lacks (they go unused), but
    // an offset typed on the command line is meant for one of its countries: a typo must not be
    // recorded in the manifest as if it had changed something.
    if (index == 3 && segments[0] == "parameters" && segments[1] == "decision" &&
        segments[2] == "country_offsets") {
      const SourceNode* countries = root.find("countries");
      if (countries == nullptr || !countries->is_map() || countries->find(segment) == nullptr) {
        diagnostics.error(where, "unknown path '" + path + "': the scenario has no country '" +
                                     segment + "'" + suggestion(segment, entry_keys(countries)));
        return;
      }
    }
    // A path that goes on past a value would turn the value into a map, and the loader would then
    // blame the scenario file's line for a map where it wrote a number.
    if (index > 0 && node->is_scalar()) {
      diagnostics.error(
          where, "unknown path '" + path + "': " + parent + " is a value ('" + shown(node->text) +
                     "'), not a map, so the path ends there: " + "--set " + parent + "=VALUE");
      return;
    }
    SourceNode* child = node->is_map() ? node->find(segment) : nullptr;
    if (child == nullptr) {
      const bool in_collection = index == 1 && std::find(collections.begin(), collections.end(),
                                                         segments.front()) != collections.end();
      if (in_collection) {
        diagnostics.error(where, "unknown path '" + path + "': " + parent + " has no entry '" +
                                     segment + "'" + suggestion(segment, entry_keys(node)));
        return;
      }
      child = &node->get_or_insert(segment, where);
    }
    node = child;
  }
  Diagnostics value_diagnostics;
  SourceNode value = parse_yaml(with_ascii_minus(value_text), where.file, value_diagnostics);
  if (!value_diagnostics.empty()) {
    diagnostics.error(where, "cannot read the value '" + shown(value_text) +
                                 "' as YAML: " + value_diagnostics.errors().front().message);
    return;
  }
  // Everything set from the command line points back at the option, not at a file position.
  std::function<void(SourceNode&)> relocate = [&](SourceNode& target) {
    target.location = where;
    for (auto& item : target.items) {
      relocate(item);
    }
    for (auto& entry : target.entries) {
      entry.key_location = where;
      relocate(entry.value);
    }
  };
  relocate(value);
  *node = std::move(value);
}

LoadedTree load_scenario_tree(const std::string& path, const LoadOptions& options) {
  const SourceLocation requested{path, 0, 0};
  const InputFile file = read_input_file(path, options.parse_limits.max_bytes, requested);
  LoadedTree tree;
  std::vector<std::string> chain = {canonical_path(path)};
  tree.root = load_with_extends(file, chain, tree.files, options.parse_limits);
  return finish_tree(std::move(tree), options);
}

LoadedTree load_scenario_tree_from_text(std::string_view text, const std::string& label,
                                        const LoadOptions& options) {
  LoadedTree tree;
  std::vector<std::string> chain = {canonical_path(label)};
  tree.root = load_with_extends(InputFile{label, std::string(text)}, chain, tree.files,
                                options.parse_limits);
  return finish_tree(std::move(tree), options);
}

Scenario build_scenario(const LoadedTree& tree, const LoadOptions& options) {
  Diagnostics diagnostics;
  ScenarioBuilder builder(diagnostics, options.scenario_limits);
  Scenario scenario = builder.build(tree.root);
  std::set<std::string> dropped;
  for (const auto& id : options.drop_events) {
    if (!dropped.insert(id).second) {
      diagnostics.error(SourceLocation{"--drop-event " + id, 0, 0},
                        "event '" + id + "' is dropped twice");
      continue;
    }
    const Index event = scenario.find_event(id);
    if (event < 0) {
      diagnostics.error(SourceLocation{"--drop-event " + id, 0, 0},
                        "unknown event '" + id + "'" + suggestion(id, ids_of(scenario.events)));
      continue;
    }
    scenario.events.erase(scenario.events.begin() + event);
  }
  // --set applies before --drop-event, so a setting of a dropped event would be accepted and
  // then thrown away with the event, and the run would not be the one asked for.
  for (const auto& assignment : options.overrides) {
    const std::vector<std::string> segments =
        split_path(assignment.substr(0, assignment.find('=')));
    if (segments.size() >= 2 && segments[0] == "events" && dropped.contains(segments[1])) {
      diagnostics.error(SourceLocation{"--set " + assignment, 0, 0},
                        "event '" + segments[1] + "' is removed by --drop-event " + segments[1] +
                            ", so this setting would change nothing; drop one of the two");
    }
  }
  diagnostics.throw_if_any();
  scenario.files = tree.files;
  scenario.overrides = options.overrides;
  scenario.dropped_events = options.drop_events;
  scenario.params_file = options.params_file;
  if (options.params_file.empty() && options.read_scenario_params) {
    scenario.scenario_params_file = scenario.info.params;
  }
  return scenario;
}

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  return build_scenario(load_scenario_tree(path, options), options);
}

Scenario load_scenario_from_text(std::string_view text, const std::string& label,
                                 const LoadOptions& options) {
  return build_scenario(load_scenario_tree_from_text(text, label, options), options);
}

bool is_valid_name(const std::string& name) {
  return std::regex_match(name, name_pattern());
}

}  // namespace multivector::sim
