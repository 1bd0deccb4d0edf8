#include "results/report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "results/atomic_output.hpp"
#include "results/csv.hpp"
#include "results/decision_explanation.hpp"
#include "results/history.hpp"
#include "results/run_directory.hpp"
#include "results/run_writer.hpp"
#include "results/web_assets.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"

namespace multivector::results {
namespace {

using Json = nlohmann::ordered_json;

// Four significant digits are plenty for a chart and keep the report small.
double rounded(double value) {
  if (value == 0.0 || !std::isfinite(value)) {
    return 0.0;
  }
  const double scale = std::pow(10.0, 3 - std::floor(std::log10(std::fabs(value))));
  return std::round(value * scale) / scale;
}

// The run's scenario, rebuilt from what the manifest recorded (the same recipe as explain and
// diff); nullopt (with a warning) when the files have moved.
std::optional<sim::Scenario> reload_scenario(const RunDirectory& run_output,
                                             std::vector<std::string>& warnings) {
  try {
    const RunRecipe recipe =
        run_recipe(run_output.manifest, (run_output.path / "manifest.json").string());
    sim::Scenario scenario = sim::load_scenario(recipe.scenario, recipe.load);
    for (const auto& path : changed_files(scenario, recipe)) {
      warnings.push_back("the scenario file " + path +
                         " changed since the run; names and recorded votes come from its "
                         "current version");
    }
    return scenario;
  } catch (const sim::InputError& error) {
    warnings.push_back("cannot reload the run's scenario (" + error.first_problem() +
                       "); names and recorded votes omitted");
  }
  return std::nullopt;
}

Json read_json_file(const std::filesystem::path& path) {
  const std::string text = read_run_file(path);
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& error) {
    throw json_error(path, text, error.byte, error.what());
  }
}

// (resolution or item, country) → recorded vote.
using RecordedVotes = std::map<std::pair<std::string, std::string>, std::string>;

RecordedVotes recorded_from_compare_rows(const std::filesystem::path& path) {
  const CsvTable table(path, read_run_file(path));
  const std::size_t resolution = table.column("resolution");
  const std::size_t item = table.column("item");
  const std::size_t country = table.column("country");
  const std::size_t recorded = table.column("recorded");
  RecordedVotes votes;
  for (const CsvRecord& record : table.rows()) {
    const auto& fields = record.fields;
    votes[{fields[resolution], fields[country]}] = fields[recorded];
    votes[{fields[item], fields[country]}] = fields[recorded];
  }
  return votes;
}

Json decision_json(const DecisionView& view, const TermLabels& labels) {
  Json decision;
  decision["item"] = view.item;
  decision["item_name"] = view.item_name;
  decision["statement"] = view.statement;
  decision["date"] = view.date;
  decision["country"] = view.country;
  decision["country_name"] = view.country_name;
  decision["options"] = view.options;
  Json probability = Json::array();
  for (double value : view.probability) {
    probability.push_back(rounded(value));
  }
  decision["probability"] = probability;
  decision["chosen"] = view.options[static_cast<std::size_t>(view.chosen)];
  Json terms = Json::object();
  for (std::size_t term = 0; term < view.term_names.size(); ++term) {
    Json values = Json::array();
    bool any = false;
    for (const auto& option_terms : view.terms) {
      values.push_back(rounded(option_terms[term]));
      any = any || std::fabs(option_terms[term]) > 1e-9;
    }
    if (any) {
      terms[view.term_names[term]] = values;
    }
  }
  decision["terms"] = terms;
  const Explanation explanation = explain_decision(view, labels);
  decision["explanation"] = explanation.text;
  Json favouring = Json::array();
  for (const auto& reason : explanation.favouring) {
    favouring.push_back(reason.term);
  }
  decision["favouring"] = favouring;
  return decision;
}

}  // namespace

std::string script_safe(std::string_view text) {
  // Inside a <script> element only "</script" ends it early and "<!--" can switch the parser into
  // its escaped state; both are written with a backslash, which JavaScript strings, regexps and
  // comments read as the same characters. Nothing else is touched: "</" alone is harmless there.
  std::string out;
  out.reserve(text.size());
  const auto starts_with_ci = [&text](std::size_t at, std::string_view word) {
    if (text.size() - at < word.size()) {
      return false;
    }
    for (std::size_t index = 0; index < word.size(); ++index) {
      const char character = text[at + index];
      const char lower =
          character >= 'A' && character <= 'Z' ? static_cast<char>(character + 32) : character;
      if (lower != word[index]) {
        return false;
      }
    }
    return true;
  };
  for (std::size_t index = 0; index < text.size(); ++index) {
    if (text[index] == '<' &&
        (starts_with_ci(index, "</script") || starts_with_ci(index, "<!--"))) {
      out += "<\\";
      continue;
    }
    out += text[index];
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char character : text) {
    switch (character) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += character;
    }
  }
  return out;
}

nlohmann::ordered_json agenda_item_json(const sim::AgendaItem& item) {
  return {{"id", item.id},
          {"name", item.name},
          {"resolution", item.resolution},
          {"date", sim::format_date(item.date)},
          {"statement", item.kind == sim::ItemKind::Statement},
          {"tags", item.tags},
          {"options", item.options}};
}

void check_report_output_replaceable(const std::filesystem::path& output) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(output, error)) {
    return;
  }
  // Told by what the file holds, not its name: an earlier report saved as report.txt is replaced,
  // notes saved as notes.html are not.
  std::string start(512, '\0');
  std::ifstream file(output, std::ios::binary);
  file.read(start.data(), static_cast<std::streamsize>(start.size()));
  start.resize(static_cast<std::size_t>(file.gcount()));
  if (start.starts_with("\xEF\xBB\xBF")) {
    start.erase(0, 3);
  }
  start.erase(0, std::min(start.size(), start.find_first_not_of(" \t\r\n")));
  std::ranges::transform(start, start.begin(), [](unsigned char letter) {
    return static_cast<char>(std::tolower(letter));
  });
  if (start.empty() || start.starts_with("<!doctype html") || start.starts_with("<html")) {
    return;
  }
  throw OutputError("cannot write '" + output.string() +
                    "': it is an existing file that is not a web page, and the report would "
                    "replace it; name another file (or remove that one first)");
}

std::string missing_chart_libraries() {
  std::vector<std::string> missing;
  for (const char* name : {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"}) {
    if (!web_asset(name)) {
      missing.push_back(name);
    }
  }
  if (missing.empty()) {
    return "";
  }
  std::string list;
  for (const auto& name : missing) {
    list += (list.empty() ? "" : ", ") + name;
  }
  return "this build has no chart libraries (" + list +
         "): run scripts/setup.sh --web (or `npm ci` in web/) and rebuild";
}

Json report_data(const ReportInputs& inputs, std::vector<std::string>& warnings) {
  const std::filesystem::path& run = inputs.run_dir;
  const RunDirectory run_output = read_run_directory(run);
  warnings.insert(warnings.end(), run_output.warnings.begin(), run_output.warnings.end());
  const Json manifest(run_output.manifest);
  std::optional<sim::Scenario> scenario = reload_scenario(run_output, warnings);
  const TermLabels labels = scenario ? term_labels(*scenario) : TermLabels{};

  Json data;
  Json meta;
  const Json scenario_meta = manifest.value("scenario", Json::object());
  meta["scenario_id"] = scenario_meta.value("id", std::string{});
  meta["scenario_name"] = scenario_meta.value("name", std::string{});
  meta["description"] = scenario ? scenario->info.description : std::string{};
  meta["start"] = scenario_meta.value("start", std::string{});
  meta["end"] = scenario_meta.value("end", std::string{});
  // As text: JavaScript reads numbers as doubles, and a seed above 2^53 would print rounded, so
  // the report would name a seed that does not reproduce the run.
  const Json seed = manifest.value("seed", Json{});
  meta["seed"] = seed.is_number() ? Json(seed.dump()) : seed;
  // Which files, byte for byte, the run read: the report is a record of one run.
  meta["scenario_files"] = scenario_meta.value("files", Json::array());
  meta["params_file"] = manifest.value("params_file", std::string{});
  meta["decisions"] = manifest.value("decisions", std::string{});
  meta["overrides"] = manifest.value("overrides", Json::array());
  meta["dropped_events"] = manifest.value("dropped_events", Json::array());
  meta["run_version"] = manifest.value("version", std::string{});
  meta["run_created_at"] = manifest.value("created_at", std::string{});
  meta["report_version"] = program_version();
  meta["run_dir"] = run.filename().string();
  data["meta"] = meta;

  // Countries and items, named by the scenario where it could be reloaded.
  std::map<std::string, std::string> country_names;
  std::map<std::string, std::string> item_names;
  Json countries = Json::array();
  Json items = Json::array();
  if (scenario) {
    for (const auto& country : scenario->countries) {
      country_names[country.id] = country.name;
      countries.push_back({{"id", country.id}, {"name", country.name}});
    }
    for (const auto& item : scenario->agenda) {
      item_names[item.id] = item.name;
      items.push_back(agenda_item_json(item));
    }
    Json powers = Json::array();
    for (const auto& power : scenario->powers) {
      powers.push_back({{"id", power.id}, {"name", power.name}, {"position", power.position}});
    }
    data["powers"] = powers;
  }
  const auto country_name = [&](const std::string& id) {
    const auto found = country_names.find(id);
    return found == country_names.end() || found->second.empty() ? id : found->second;
  };
  const auto item_title = [&](const std::string& id, const std::string& resolution) {
    const auto found = item_names.find(id);
    if (found == item_names.end()) {
      return id;
    }
    return resolution.empty() ? found->second : id + " \u201c" + found->second + "\u201d";
  };

  // Recorded votes: the comparison's rows when given, else the scenario's compare_with file.
  RecordedVotes recorded;
  std::string recorded_source;
  if (!inputs.compare_dir.empty()) {
    recorded = recorded_from_compare_rows(inputs.compare_dir / "compare_rows.csv");
    recorded_source = (inputs.compare_dir / "compare_rows.csv").string();
    const Json compare = read_json_file(inputs.compare_dir / "compare.json");
    if (!compare.contains("overall") || !compare["overall"].is_object()) {
      throw sim::InputError(
          sim::SourceLocation{(inputs.compare_dir / "compare.json").string(), 0, 0},
          "expected an object 'overall' with the model's and the baselines' metrics");
    }
    // A comparison of another run (a what-if's, say) would put its accuracy beside this run's
    // votes, a report that misleads whoever reads it: compare.json records what the scored run
    // was made from, so a difference is an error that says which fields differ.
    std::vector<std::string> differing;
    differing.reserve(5);
    for (const char* field : {"seed", "overrides", "dropped_events", "params_file"}) {
      if (compare.contains(field) && compare[field] != manifest.value(field, Json())) {
        differing.emplace_back(field);
      }
    }
    if (compare.contains("scenario_files") &&
        compare["scenario_files"] != scenario_meta.value("files", Json::array())) {
      differing.emplace_back("scenario files");
    }
    if (!differing.empty()) {
      std::string fields;
      for (const auto& field : differing) {
        fields += (fields.empty() ? "" : ", ") + field;
      }
      throw sim::InputError(
          sim::SourceLocation{(inputs.compare_dir / "compare.json").string(), 0, 0},
          "this comparison scored another run (its " + fields +
              " differ from this run's), so its accuracy would be reported beside this run's "
              "votes: run `multivector compare " +
              inputs.run_dir.string() + " --out DIR` and give --compare DIR");
    }
    data["compare"] = {{"overall", compare["overall"]},
                       {"per_resolution", compare.value("per_resolution", Json::object())},
                       {"per_country", compare.value("per_country", Json::object())},
                       {"overall_intervals", compare.value("overall_intervals", Json())}};
  } else if (scenario && !scenario->info.compare_with.empty()) {
    try {
      const VoteHistory history = load_history(scenario->info.compare_with);
      for (const auto& vote : history.votes()) {
        recorded[{vote.resolution, vote.country}] = vote.vote;
      }
      recorded_source = scenario->info.compare_with;
    } catch (const sim::InputError& error) {
      warnings.push_back("cannot read the recorded votes (" + error.first_problem() +
                         "); the vote matrix shows simulated votes only");
    }
  }
  data["recorded_source"] = recorded_source;

  // Votes, then statements, as the run wrote them.
  Json decisions = Json::array();
  Json matrix = Json::array();
  std::set<std::string> seen_items;
  std::set<std::string> seen_countries;
  for (const SimulatedDecision& decision : run_output.decisions) {
    DecisionView view;
    view.item = decision.item;
    view.item_name = item_title(decision.item, decision.resolution);
    view.statement = decision.statement;
    view.date = sim::format_date(decision.date);
    view.country = decision.country;
    view.country_name = country_name(decision.country);
    view.options = decision.options;
    view.probability = decision.probability;
    view.term_names = run_output.term_names;
    view.terms = decision.terms;
    view.chosen = std::max(0, decision.option_index(decision.realised));
    decisions.push_back(decision_json(view, labels));
    if (!scenario && seen_items.insert(view.item).second) {
      items.push_back({{"id", view.item},
                       {"name", view.item},
                       {"resolution", decision.resolution},
                       {"date", view.date},
                       {"statement", decision.statement}});
    }
    if (decision.statement) {
      continue;
    }
    Json cell = {{"item", view.item},
                 {"resolution", decision.resolution},
                 {"date", view.date},
                 {"country", view.country},
                 {"country_name", view.country_name},
                 {"simulated", decision.realised},
                 {"p_simulated", rounded(view.probability[static_cast<std::size_t>(view.chosen)])}};
    auto found = recorded.find({decision.resolution, view.country});
    if (found == recorded.end()) {
      found = recorded.find({view.item, view.country});
    }
    if (found != recorded.end()) {
      cell["recorded"] = found->second;
      cell["match"] = found->second == decision.realised;
    } else {
      cell["recorded"] = nullptr;
      cell["match"] = nullptr;
    }
    matrix.push_back(cell);
    if (!scenario && seen_countries.insert(view.country).second) {
      countries.push_back({{"id", view.country}, {"name", view.country}});
    }
  }
  data["countries"] = countries;
  data["items"] = items;
  data["vote_matrix"] = matrix;
  data["decisions"] = decisions;

  Json term_legend = Json::object();
  for (const auto& term : run_output.term_names) {
    term_legend[term] = {{"short", term_label(term, labels, TermLabelForm::Short)},
                         {"long", term_label(term, labels)}};
  }
  data["terms"] = term_legend;

  // Trajectory, by column per country: far smaller than rows of objects.
  const std::filesystem::path trajectory_path = run / "trajectory.csv";
  if (std::filesystem::exists(trajectory_path)) {
    const CsvTable trajectory(trajectory_path, read_run_file(trajectory_path));
    std::vector<std::size_t> kept;
    for (std::size_t column = 0; column < trajectory.header().size(); ++column) {
      const std::string& name = trajectory.header()[column];
      if (name == "orientation" || name.starts_with("leverage_") ||
          name.starts_with("credibility_")) {
        kept.push_back(column);
      }
    }
    const std::size_t date_column = trajectory.column("date");
    const std::size_t country_column = trajectory.column("country");
    Json dates = Json::array();
    Json series = Json::object();
    for (const CsvRecord& record : trajectory.rows()) {
      const std::string& date = record.fields[date_column];
      if (dates.empty() || dates.back().get<std::string>() != date) {
        dates.push_back(date);
      }
      Json& country = series[record.fields[country_column]];
      for (const std::size_t column : kept) {
        country[trajectory.header()[column]].push_back(rounded(trajectory.number(record, column)));
      }
    }
    data["trajectory"] = {{"dates", dates}, {"series", series}};
  } else {
    warnings.push_back(
        "the run has no trajectory.csv (run without --no-trajectory for the "
        "lines over time)");
  }

  Json events = Json::array();
  for (const auto& event : run_output.events) {
    events.push_back(Json(event));
  }
  data["events"] = events;
  data["warnings"] = warnings;
  return data;
}

std::string render_report_html(const Json& data) {
  if (const std::string missing = missing_chart_libraries(); !missing.empty()) {
    throw std::runtime_error(missing);
  }
  std::string page(required_web_asset("report.html"));
  const auto replace = [&page](std::string_view marker, const std::string& content) {
    fill_page_marker(page, "report.html", marker, content);
  };
  const Json& meta = data.at("meta");
  replace("{{TITLE}}", html_escape("Multivector report: " +
                                   meta.value("scenario_name", meta.value("scenario_id", ""))));
  replace("<!--STYLE-->", page_style());
  std::string libraries;
  for (const char* name : {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"}) {
    libraries += "<script>/* " + std::string(name) + " (web/package-lock.json) */\n" +
                 script_safe(required_web_asset(name)) + "\n</script>\n";
  }
  replace("<!--LIBRARIES-->", libraries);
  // JSON puts '<' only inside strings, where \u003c reads back as the same character.
  std::string json = data.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string escaped;
  escaped.reserve(json.size());
  for (char character : json) {
    if (character == '<') {
      escaped += "\\u003c";
    } else {
      escaped += character;
    }
  }
  replace("<!--DATA-->",
          "<script id=\"report-data\" type=\"application/json\">" + escaped + "</script>");
  replace("<!--SCRIPT-->", page_script("report.js"));
  return page;
}

void fill_page_marker(std::string& page, std::string_view template_name, std::string_view marker,
                      const std::string& content) {
  const auto at = page.find(marker);
  if (at == std::string::npos) {
    throw std::logic_error("web/src/" + std::string(template_name) + " lacks " +
                           std::string(marker));
  }
  page.replace(at, marker.size(), content);
}

std::string page_style() {
  return "<style>\n" + std::string(required_web_asset("style.css")) + "</style>";
}

std::string page_script(std::string_view page_asset) {
  return "<script>\n" + script_safe(required_web_asset("dom.js")) + "\n" +
         script_safe(required_web_asset(page_asset)) + "\n</script>";
}

std::optional<std::string_view> web_asset(std::string_view key) {
  const auto& files = web_asset_files();
  const auto found = files.find(key);
  if (found == files.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::string_view required_web_asset(std::string_view key) {
  const auto asset = web_asset(key);
  if (!asset) {
    throw std::runtime_error("this build lacks the web asset '" + std::string(key) +
                             "': run scripts/setup.sh --web (or `npm ci` in web/) and rebuild");
  }
  return *asset;
}

}  // namespace multivector::results
