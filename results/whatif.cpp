#include "results/whatif.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "results/csv.hpp"
#include "results/decision_explanation.hpp"
#include "results/report.hpp"
#include "results/run_pipeline.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "results/web_assets.hpp"
#include "sim/scenario_paths.hpp"

namespace multivector::results {
namespace {

using Json = nlohmann::ordered_json;

// The --params, --set and --drop-event of `options`, as a command line repeats them.
std::vector<std::string> option_arguments(const sim::LoadOptions& options) {
  return scenario_option_arguments(options.params_file, options.overrides, options.drop_events);
}

// More changes than the scenario has inputs can only be a broken or hostile page.
constexpr std::size_t kMaxChanges = 100'000;

double rounded3(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

HttpReply json_reply(int status, const Json& body) {
  HttpReply reply;
  reply.status = status;
  reply.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return reply;
}

HttpReply problems_reply(int status, const std::vector<WhatIfProblem>& problems) {
  Json errors = Json::array();
  for (const auto& problem : problems) {
    errors.push_back({{"path", problem.path}, {"message", problem.message}});
  }
  return json_reply(status, {{"errors", errors}});
}

// The methods each page takes, as the Allow header lists them; empty for a path that is no page.
// OPTIONS is in every list: it is how API explorers and browsers' preflights ask for the rest.
std::string allowed_methods(const std::string& path) {
  if (path == "/" || path == "/index.html" || path == "/api/controls") {
    return "GET, HEAD, OPTIONS";
  }
  if (path == "/api/simulate" || path == "/api/scenario.yaml") {
    return "POST, OPTIONS";
  }
  return "";
}

// Whether `method` is one of the comma-separated names in `allow` (not just a prefix of one).
bool allows(const std::string& allow, const std::string& method) {
  return (", " + allow + ",").find(", " + method + ",") != std::string::npos;
}

// A path asked with a method it does not take: 405, the method to use, and the Allow header.
HttpReply wrong_method_reply(const std::string& allow) {
  HttpReply reply = problems_reply(405, {{"", "use " + allow.substr(0, allow.find(','))}});
  reply.allow = allow;
  return reply;
}

std::vector<WhatIfProblem> problems_of(const sim::InputError& error) {
  std::vector<WhatIfProblem> problems;
  for (const auto& diagnostic : error.diagnostics()) {
    std::string path;
    // Overrides are located at "--set PATH=VALUE": give the page the path back.
    const std::string& file = diagnostic.location.file;
    if (file.rfind("--set ", 0) == 0) {
      path = file.substr(
          6, file.find('=') == std::string::npos ? std::string::npos : file.find('=') - 6);
    } else if (file.rfind("--drop-event ", 0) == 0) {
      path = "events." + file.substr(13);
    }
    problems.push_back({path, diagnostic.to_string()});
  }
  if (problems.empty()) {
    problems.push_back({"", error.what()});
  }
  return problems;
}

std::string power_name(const sim::Scenario& scenario, sim::Index power) {
  if (power < 0) {
    return "";
  }
  const auto& declared = scenario.powers[static_cast<std::size_t>(power)];
  return declared.name.empty() ? declared.id : declared.name;
}

Json slider(const sim::NumericInput& input, const sim::Scenario& scenario, std::string label,
            double slider_high) {
  const double value = input.get(scenario);
  return {{"path", input.path},
          {"label", std::move(label)},
          {"low", input.low},
          {"high", input.high},
          {"slider_low", input.low},
          {"slider_high", std::max(slider_high, value)},
          {"step", 0.01},
          {"value", value}};
}

// A flow-style collection keeps short lists and small maps on one line, as people write them.
bool short_scalar_collection(const sim::SourceNode& node) {
  const auto scalar = [](const sim::SourceNode& child) {
    return child.is_scalar() || child.is_null();
  };
  std::size_t length = 0;
  if (node.is_sequence()) {
    for (const auto& item : node.items) {
      if (!scalar(item)) {
        return false;
      }
      length += item.text.size() + 2;
    }
    return length <= 80;
  }
  if (node.is_map()) {
    if (node.entries.size() > 6) {
      return false;
    }
    for (const auto& entry : node.entries) {
      if (!scalar(entry.value)) {
        return false;
      }
      length += entry.key.size() + entry.value.text.size() + 4;
    }
    return length <= 80;
  }
  return false;
}

void emit_node(YAML::Emitter& out, const sim::SourceNode& node) {
  switch (node.kind) {
    case sim::SourceNode::Kind::Null:
      out << YAML::Null;
      break;
    case sim::SourceNode::Kind::Scalar:
      if (node.quoted) {
        out << YAML::DoubleQuoted << node.text;
      } else {
        out << node.text;
      }
      break;
    case sim::SourceNode::Kind::Sequence:
      if (short_scalar_collection(node)) {
        out << YAML::Flow;
      }
      out << YAML::BeginSeq;
      for (const auto& item : node.items) {
        emit_node(out, item);
      }
      out << YAML::EndSeq;
      break;
    case sim::SourceNode::Kind::Map:
      if (short_scalar_collection(node)) {
        out << YAML::Flow;
      }
      out << YAML::BeginMap;
      for (const auto& entry : node.entries) {
        out << YAML::Key << entry.key << YAML::Value;
        emit_node(out, entry.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

std::string scenario_tree_yaml(const sim::SourceNode& root,
                               const std::vector<std::string>& header) {
  YAML::Emitter out;
  out.SetIndent(2);
  for (const auto& line : header) {
    out << YAML::Comment(line) << YAML::Newline;
  }
  emit_node(out, root);
  if (!out.good()) {
    throw std::runtime_error("cannot write the scenario as YAML: " + out.GetLastError());
  }
  return std::string(out.c_str()) + "\n";
}

WhatIfModel::WhatIfModel(std::string scenario_path, sim::LoadOptions options)
    : scenario_path_(std::move(scenario_path)),
      options_(std::move(options)),
      tree_(sim::load_scenario_tree(scenario_path_, options_)),
      base_(sim::build_scenario(tree_, options_)) {
  if (!base_.info.compare_with.empty()) {
    try {
      // Tidy or UN Digital Library CSV, as `run` and `compare` read compare_with.
      recorded_ = load_history(base_.info.compare_with);
    } catch (const sim::InputError& error) {
      // The page works without recorded votes; it only loses the column that shows them, and
      // `serve` says why.
      recorded_problem_ = error.first_problem();
    }
  }
  base_decisions_ = decisions_json(base_);
  // The page never changes while the server runs (the data comes from /api/controls), so it is
  // put together once here rather than on every page load.
  page_ = required_web_asset("whatif.html");
  fill_page_marker(page_, "whatif.html", "{{TITLE}}", html_escape("What if? " + base_.info.name));
  fill_page_marker(page_, "whatif.html", "<!--STYLE-->", page_style());
  fill_page_marker(page_, "whatif.html", "<!--SCRIPT-->", page_script("whatif.js"));
}

Json WhatIfModel::decisions_json(const sim::Scenario& scenario) const {
  sim::RunOptions run_options;
  const SimulatedRun run = results::simulate(scenario, run_options, false);
  const TermLabels labels = term_labels(*run.scenario);
  Json decisions = Json::array();
  for (const auto& row : run.recorder->decisions()) {
    const DecisionView view = decision_view(*run.recorder, row);
    Json probability = Json::array();
    for (double value : view.probability) {
      probability.push_back(rounded3(value));
    }
    decisions.push_back({{"item", view.item},
                         {"country", view.country},
                         {"options", view.options},
                         {"chosen", view.options[static_cast<std::size_t>(view.chosen)]},
                         {"probability", probability},
                         {"explanation", explain_decision(view, labels).text}});
  }
  return decisions;
}

Json WhatIfModel::controls() const {
  const std::vector<sim::NumericInput> inputs = sim::numeric_inputs(base_);
  std::map<std::string, const sim::NumericInput*> by_path;
  for (const auto& input : inputs) {
    by_path[input.path] = &input;
  }
  const auto input_at = [&by_path](const std::string& path) -> const sim::NumericInput& {
    return *by_path.at(path);
  };
  Json countries = Json::array();
  for (const auto& country : base_.countries) {
    Json groups = Json::array();
    for (std::size_t power = 0; power < base_.powers.size(); ++power) {
      Json sliders = Json::array();
      for (std::size_t channel = 0; channel < base_.channels.size(); ++channel) {
        const auto& channel_decl = base_.channels[channel];
        const std::string path = "countries." + country.id + ".exposure." + base_.powers[power].id +
                                 "." + channel_decl.id;
        Json entry = slider(input_at(path), base_,
                            channel_decl.name.empty() ? channel_decl.id : channel_decl.name, 1.0);
        // A channel that does not matter to the country moves nothing; the page says so.
        entry["weight"] = country.channel_weight(static_cast<sim::Index>(channel));
        sliders.push_back(entry);
      }
      groups.push_back(
          {{"title", "Exposure to " + power_name(base_, static_cast<sim::Index>(power))},
           {"sliders", sliders}});
    }
    Json norms = Json::array();
    for (const auto& norm : base_.norms) {
      const std::string path = "countries." + country.id + ".norms." + norm.id;
      norms.push_back(slider(input_at(path), base_, norm.name.empty() ? norm.id : norm.name, 3.0));
    }
    groups.push_back({{"title", "Attachment to norms"}, {"sliders", norms}});
    countries.push_back({{"id", country.id}, {"name", country.name}, {"groups", groups}});
  }
  Json events = Json::array();
  for (const auto& event : base_.events) {
    Json sliders = Json::array();
    const auto& magnitude = input_at("events." + event.id + ".magnitude");
    sliders.push_back(slider(magnitude, base_, "magnitude", std::min(magnitude.high, 1.0)));
    if (event.kind == sim::EventKind::Threaten) {
      sliders.push_back(
          slider(input_at("events." + event.id + ".credibility"), base_, "credibility", 1.0));
    }
    std::vector<std::string> recipients = event.recipient_names;
    events.push_back({{"id", event.id},
                      {"date", sim::format_date(event.date)},
                      {"event", std::string(sim::event_kind_name(event.kind))},
                      {"source", power_name(base_, event.source)},
                      {"recipients", recipients},
                      {"context", event.context},
                      {"sliders", sliders}});
  }
  Json items = Json::array();
  for (const auto& item : base_.agenda) {
    items.push_back(agenda_item_json(item));
  }
  Json recorded = Json::object();
  for (const auto& item : base_.agenda) {
    for (const auto& country : base_.countries) {
      if (const RecordedVote* vote = recorded_.find(item.resolution, country.id)) {
        recorded[item.id][country.id] = vote->vote;
      }
    }
  }
  Json country_list = Json::array();
  for (const auto& country : base_.countries) {
    country_list.push_back({{"id", country.id}, {"name", country.name}});
  }
  return {{"scenario",
           {{"id", base_.info.id},
            {"name", base_.info.name},
            {"description", base_.info.description},
            {"source", scenario_path_},
            // What `serve` was started with, which the page's own changes come on top of: the
            // page's "same run" command must repeat them to give the page's votes.
            {"options", option_arguments(options_)}}},
          {"countries", countries},
          {"country_list", country_list},
          {"events", events},
          {"items", items},
          {"recorded", recorded},
          {"base", base_decisions_}};
}

WhatIfChanges WhatIfModel::parse_changes(const std::string& body,
                                         std::vector<WhatIfProblem>& problems) const {
  WhatIfChanges changes;
  if (body.size() > kMaxWhatIfRequestBytes) {
    problems.push_back({"", "the request is larger than 1 MiB"});
    return changes;
  }
  Json request;
  // JSON lets a key repeat and keeps the last value; every other input of the program refuses a
  // repeated key, because `{"X": 0.5, "X": 0.2}` is a slip that silently drops a setting.
  std::vector<std::set<std::string>> keys_by_depth;
  std::string repeated_key;
  const Json::parser_callback_t note_keys = [&](int depth, Json::parse_event_t event,
                                                Json& parsed) {
    const auto level = static_cast<std::size_t>(depth);
    if (event == Json::parse_event_t::object_start) {
      keys_by_depth.resize(level + 1);
      keys_by_depth[level].clear();
    } else if (event == Json::parse_event_t::key && level > 0 && level <= keys_by_depth.size()) {
      const std::string key = parsed.get<std::string>();
      if (!keys_by_depth[level - 1].insert(key).second && repeated_key.empty()) {
        repeated_key = key;
      }
    }
    return true;
  };
  try {
    request = Json::parse(body.empty() ? std::string("{}") : body, note_keys);
  } catch (const Json::out_of_range&) {  // a number such as 1e400, past any double
    problems.push_back({"",
                        "the request holds a number too large to be a value (numbers must be "
                        "finite: NaN, Infinity and 1e400 are not values)"});
    return changes;
  } catch (const Json::exception& error) {
    // nlohmann's message says where the text stops being JSON ("at line 1, column 12: ...").
    std::string reason = error.what();
    if (const auto at = reason.find("parse error"); at != std::string::npos) {
      reason = reason.substr(at);
    }
    problems.push_back({"", "the request is not valid JSON: " + reason});
    return changes;
  }
  if (!request.is_object()) {
    problems.push_back({"", "the request must be a JSON object with \"set\" and \"drop\""});
    return changes;
  }
  if (!repeated_key.empty()) {
    problems.push_back(
        {repeated_key, "'" + repeated_key + "' is given twice in one object; give each key once"});
    return changes;
  }
  for (const auto& [key, value] : request.items()) {
    if (key != "set" && key != "drop") {
      problems.push_back({"", "unknown field '" + key + "' (expected \"set\" and \"drop\")"});
    }
  }
  const std::vector<sim::NumericInput> inputs = sim::numeric_inputs(base_);
  std::map<std::string, const sim::NumericInput*> by_path;
  std::vector<std::string> paths;
  for (const auto& input : inputs) {
    by_path[input.path] = &input;
    paths.push_back(input.path);
  }
  if (request.contains("set")) {
    const Json& set = request["set"];
    if (!set.is_object()) {
      problems.push_back({"", "\"set\" must be an object of PATH: NUMBER"});
    } else if (set.size() > kMaxChanges) {
      problems.push_back({"", "too many values in \"set\""});
    } else {
      for (const auto& [path, value] : set.items()) {
        const auto found = by_path.find(path);
        if (found == by_path.end()) {
          problems.push_back(
              {path, "unknown or non-numeric path '" + path + "'" + sim::suggestion(path, paths)});
          continue;
        }
        if (!value.is_number()) {
          problems.push_back({path, path + ": expected a number, got " + value.dump()});
          continue;
        }
        const double number = value.get<double>();
        const sim::NumericInput& input = *found->second;
        if (!std::isfinite(number) || number < input.low || number > input.high) {
          problems.push_back({path, path + ": " + format_double(number) +
                                        " is out of range: expected a value from " +
                                        format_double(input.low) + " to " +
                                        format_double(input.high)});
          continue;
        }
        changes.values.emplace_back(path, number);
      }
    }
  }
  if (request.contains("drop")) {
    const Json& drop = request["drop"];
    std::vector<std::string> ids;
    for (const auto& event : base_.events) {
      ids.push_back(event.id);
    }
    if (!drop.is_array() || drop.size() > kMaxChanges) {
      problems.push_back({"", "\"drop\" must be a list of event ids"});
    } else {
      std::set<std::string> seen;
      for (const auto& id : drop) {
        if (!id.is_string()) {
          problems.push_back({"", "\"drop\": expected event ids, got " + id.dump()});
        } else if (base_.find_event(id.get<std::string>()) < 0) {
          problems.push_back(
              {"events." + id.get<std::string>(), "unknown event '" + id.get<std::string>() + "'" +
                                                      sim::suggestion(id.get<std::string>(), ids)});
        } else if (!seen.insert(id.get<std::string>()).second) {
          // As `run --drop-event` refuses it: a list that names an event twice was not meant.
          problems.push_back({"events." + id.get<std::string>(),
                              "\"drop\": event '" + id.get<std::string>() + "' is listed twice"});
        } else {
          changes.dropped_events.push_back(id.get<std::string>());
        }
      }
    }
  }
  return changes;
}

sim::LoadedTree WhatIfModel::changed_tree(const WhatIfChanges& changes,
                                          sim::LoadOptions& options) const {
  options = options_;
  sim::LoadedTree tree = tree_;
  sim::Diagnostics diagnostics;
  for (const auto& [path, value] : changes.values) {
    const std::string assignment = path + "=" + format_double(value);
    sim::apply_override(tree.root, assignment, diagnostics);
    options.overrides.push_back(assignment);
  }
  diagnostics.throw_if_any();
  for (const auto& id : changes.dropped_events) {
    options.drop_events.push_back(id);
  }
  return tree;
}

Json WhatIfModel::simulate(const WhatIfChanges& changes) const {
  const auto started = std::chrono::steady_clock::now();
  sim::LoadOptions options;
  const sim::LoadedTree tree = changed_tree(changes, options);
  const sim::Scenario scenario = sim::build_scenario(tree, options);
  Json decisions = decisions_json(scenario);
  const double elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return {{"decisions", std::move(decisions)}, {"server_ms", elapsed}};
}

std::string WhatIfModel::scenario_yaml(const WhatIfChanges& changes) const {
  sim::LoadOptions options;
  sim::LoadedTree tree = changed_tree(changes, options);
  // Check the whole change first, so a download is never a file that `run` would refuse.
  const sim::Scenario scenario = sim::build_scenario(tree, options);
  if (tree.root.is_map()) {
    if (auto* events = tree.root.find("events"); events != nullptr && events->is_sequence()) {
      std::erase_if(events->items, [&options](const sim::SourceNode& event) {
        const sim::SourceNode* id = event.is_map() ? event.find("id") : nullptr;
        return id != nullptr && std::find(options.drop_events.begin(), options.drop_events.end(),
                                          id->text) != options.drop_events.end();
      });
    }
    if (auto* info = tree.root.find("scenario"); info != nullptr && info->is_map()) {
      // compare_with was relative to the original file; the download may be saved anywhere.
      if (auto* compare = info->find("compare_with"); compare != nullptr && compare->is_scalar()) {
        compare->text = scenario.info.compare_with;
        compare->quoted = true;
      }
      // The scenario's fitted parameters are already merged into `parameters` below; the path,
      // relative to the original file, would name a file the download does not have.
      info->erase("params");
      // Its own id, so that `run` of the download writes out/ID_whatif/ and does not replace the
      // base run a class compares it with.
      if (auto* id = info->find("id"); id != nullptr && id->is_scalar()) {
        id->text = scenario.info.id + "_whatif";
      }
    }
  }
  std::vector<std::string> header = {
      "What-if scenario written by the Multivector what-if page (multivector serve, version " +
          program_version() + ").",
      "Base: " + scenario_path_ + " (sha256 " +
          (scenario.files.empty() ? std::string("?") : scenario.files.front().sha256) + ")",
      "Equivalent to: multivector run " + shell_quote(scenario_path_)};
  // changed_tree starts `options` from serve's own, so this is serve's options, then the page's.
  for (const auto& argument : option_arguments(options)) {
    header.push_back("  " + argument);
  }
  header.push_back("  --out out/" + scenario.info.id + "_whatif");
  std::string text = scenario_tree_yaml(tree.root, header);
  // The text must read back as the same scenario; a failure here is a bug, not bad input.
  (void)sim::load_scenario_from_text(text, "what-if.yaml");
  return text;
}

HttpReply WhatIfModel::handle(const std::string& method, const std::string& path,
                              const std::string& body) const {
  try {
    const std::string allow = allowed_methods(path);
    if (allow.empty()) {
      return problems_reply(404, {{"", "no such page: " + path}});
    }
    if (method == "OPTIONS") {
      HttpReply reply;
      reply.status = 204;
      reply.content_type.clear();
      reply.allow = allow;
      return reply;
    }
    // HEAD is GET without the body (cpp-httplib drops it): link checkers and `curl -I` use it.
    if (!allows(allow, method)) {
      return wrong_method_reply(allow);
    }
    if (path == "/" || path == "/index.html") {
      HttpReply reply;
      reply.content_type = "text/html; charset=utf-8";
      reply.body = page_;
      return reply;
    }
    if (path == "/api/controls") {
      return json_reply(200, controls());
    }
    std::vector<WhatIfProblem> problems;
    const WhatIfChanges changes = parse_changes(body, problems);
    if (!problems.empty()) {
      return problems_reply(400, problems);
    }
    try {
      if (path == "/api/simulate") {
        return json_reply(200, simulate(changes));
      }
      HttpReply reply;
      reply.content_type = "application/yaml; charset=utf-8";
      reply.body = scenario_yaml(changes);
      reply.filename = base_.info.id + "_whatif.yaml";
      return reply;
    } catch (const sim::InputError& error) {
      return problems_reply(400, problems_of(error));
    }
  } catch (const std::exception& error) {
    return problems_reply(500, {{"", std::string("internal error: ") + error.what()}});
  }
}

}  // namespace multivector::results
