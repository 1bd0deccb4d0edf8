#include "results/run_directory.hpp"

#include <algorithm>
#include <map>

#include "results/atomic_output.hpp"
#include "results/csv.hpp"
#include "sim/diagnostics.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario.hpp"
#include "sim/sha256.hpp"

namespace multivector::results {

int SimulatedDecision::option_index(const std::string& option) const {
  const auto found = std::find(options.begin(), options.end(), option);
  return found == options.end() ? -1 : static_cast<int>(found - options.begin());
}

const SimulatedDecision* RunDirectory::find(const std::string& item,
                                            const std::string& country) const {
  for (const auto& decision : decisions) {
    if (decision.item == item && decision.country == country) {
      return &decision;
    }
  }
  return nullptr;
}

std::uint64_t RunDirectory::seed() const {
  const auto found = manifest.find("seed");
  return found != manifest.end() && found->is_number_unsigned() ? found->get<std::uint64_t>() : 0;
}

std::string RunDirectory::version() const {
  const auto found = manifest.find("version");
  return found != manifest.end() && found->is_string() ? found->get<std::string>() : "";
}

bool is_run_directory(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_directory(path, error) &&
         std::filesystem::is_regular_file(path / "manifest.json", error);
}

void check_not_inside_run_folder(const std::filesystem::path& output) {
  // Every ancestor, found through the absolute path, so that `-o x.csv` from a folder inside a
  // run folder is caught too; shown relative to the current folder when `output` was relative.
  std::error_code error;
  const std::filesystem::path current = std::filesystem::current_path(error);
  const std::filesystem::path absolute = output.is_absolute() || error
                                             ? output.lexically_normal()
                                             : (current / output).lexically_normal();
  const auto shown = [&](const std::filesystem::path& path) {
    if (output.is_absolute() || error) {
      return path;
    }
    const std::filesystem::path relative = path.lexically_relative(current);
    return relative.empty() ? path : relative;
  };
  for (std::filesystem::path folder = absolute.parent_path(); !folder.empty();
       folder = folder.parent_path()) {
    // votes.csv too: a manifest.json alone is common (a web app's), and a folder of the user's
    // that holds one is no run folder to protect.
    if (is_run_directory(folder) && std::filesystem::is_regular_file(folder / "votes.csv", error)) {
      const std::filesystem::path beside =
          folder.parent_path() / (folder.filename().string() + "_" + output.filename().string());
      throw OutputError("cannot write '" + output.string() + "': '" + shown(folder).string() +
                        "' is a run folder, which the next `multivector run --out` into it "
                        "replaces as a whole (and refuses while it holds files it did not "
                        "write); write it beside the run folder, e.g. " +
                        shown(beside).string());
    }
    if (folder == folder.parent_path()) {
      break;  // the root
    }
  }
}

namespace {

constexpr std::size_t kMaxRunFileBytes = std::size_t{2048} * 1024 * 1024;

sim::Date read_date(const CsvTable& table, const CsvRecord& record, std::size_t column) {
  const auto date = sim::parse_date(record.fields[column]);
  if (!date) {
    throw sim::InputError(table.at(record.line),
                          "'" + record.fields[column] + "' is not a date as YYYY-MM-DD");
  }
  return *date;
}

std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    tags.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return tags;
}

// Term names from the votes.csv header: the columns u_Y_<term>.
std::vector<std::string> vote_term_names(const CsvTable& table) {
  std::vector<std::string> names;
  for (const auto& name : table.header()) {
    if (name.starts_with("u_Y_")) {
      names.push_back(name.substr(4));
    }
  }
  return names;
}

void read_votes(const CsvTable& table, RunDirectory& run) {
  const std::size_t item = table.column("item");
  const std::size_t resolution = table.column("resolution");
  const std::size_t tags = table.column("tags");
  const std::size_t date = table.column("date");
  const std::size_t country = table.column("country");
  const std::size_t realised = table.column("realised");
  const std::size_t modal = table.column("modal");
  std::vector<std::size_t> probability;
  std::vector<std::size_t> utility;
  std::vector<std::vector<std::size_t>> terms;
  for (const auto option : sim::kVoteOptions) {
    const std::string name(option);
    probability.push_back(table.column("p_" + name));
    utility.push_back(table.column("u_" + name));
    terms.emplace_back();
    for (const auto& term : run.term_names) {
      terms.back().push_back(table.column("u_" + name + "_" + term));
    }
  }
  for (const CsvRecord& record : table.rows()) {
    SimulatedDecision decision;
    decision.item = record.fields[item];
    decision.resolution = record.fields[resolution];
    decision.tags = split_tags(record.fields[tags]);
    decision.date = read_date(table, record, date);
    decision.country = record.fields[country];
    decision.realised = record.fields[realised];
    decision.modal = record.fields[modal];
    decision.source = table.at(record.line).to_string();
    for (size_t option = 0; option < sim::kVoteOptions.size(); ++option) {
      decision.options.emplace_back(sim::kVoteOptions[option]);
      decision.probability.push_back(table.probability(record, probability[option]));
      decision.utility.push_back(table.number(record, utility[option]));
      decision.terms.emplace_back();
      for (const std::size_t column : terms[option]) {
        decision.terms.back().push_back(table.number(record, column));
      }
    }
    if (decision.option_index(decision.modal) < 0 || decision.option_index(decision.realised) < 0) {
      throw sim::InputError(table.at(record.line), "modal and realised must be Y, N, A or NV");
    }
    run.decisions.push_back(std::move(decision));
  }
}

void read_statements(const CsvTable& table, RunDirectory& run) {
  const std::size_t item = table.column("item");
  const std::size_t date = table.column("date");
  const std::size_t country = table.column("country");
  const std::size_t option = table.column("option");
  const std::size_t probability = table.column("probability");
  const std::size_t utility = table.column("utility");
  const std::size_t modal = table.column("modal");
  const std::size_t realised = table.column("realised");
  std::vector<std::size_t> terms;
  for (const auto& term : run.term_names) {
    terms.push_back(table.column("u_" + term));
  }
  // Rows of one decision are consecutive: one per option.
  std::map<std::pair<std::string, std::string>, std::size_t> open;
  for (const CsvRecord& record : table.rows()) {
    const std::pair<std::string, std::string> key{record.fields[item], record.fields[country]};
    auto found = open.find(key);
    if (found == open.end()) {
      SimulatedDecision decision;
      decision.item = key.first;
      decision.country = key.second;
      decision.statement = true;
      decision.date = read_date(table, record, date);
      decision.source = table.at(record.line).to_string();
      run.decisions.push_back(std::move(decision));
      found = open.emplace(key, run.decisions.size() - 1).first;
    }
    SimulatedDecision& decision = run.decisions[found->second];
    decision.options.push_back(record.fields[option]);
    decision.probability.push_back(table.probability(record, probability));
    decision.utility.push_back(table.number(record, utility));
    decision.terms.emplace_back();
    for (const std::size_t column : terms) {
      decision.terms.back().push_back(table.number(record, column));
    }
    if (record.fields[modal] == "1") {
      decision.modal = record.fields[option];
    }
    if (record.fields[realised] == "1") {
      decision.realised = record.fields[option];
    }
  }
}

}  // namespace

std::string read_run_file(const std::filesystem::path& path) {
  return sim::read_input_file(path.string(), kMaxRunFileBytes,
                              sim::SourceLocation{path.string(), 0, 0})
      .content;
}

sim::InputError json_error(const std::filesystem::path& path, std::string_view text,
                           std::size_t byte, const std::string& what) {
  // nlohmann counts `byte` from 1 at the character it stopped on.
  const std::size_t stop = std::min(byte == 0 ? 0 : byte - 1, text.size());
  const std::string_view before = text.substr(0, stop);
  const auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  const std::size_t line_start = before.rfind('\n');
  const auto column =
      static_cast<int>(stop - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
  // "[json.exception.parse_error.101] parse error at line 2, column 1: syntax error ..." says
  // the position again; the location above already does.
  const std::size_t reason = what.find(": ");
  return {sim::SourceLocation{path.string(), line, column},
          "not valid JSON: " + (reason == std::string::npos ? what : what.substr(reason + 2))};
}

namespace {

std::size_t count_rows(std::string_view name, std::string_view content) {
  const auto lines = static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n'));
  // As the run counted them: a CSV file's header is no row.
  return name.ends_with(".csv") && lines > 0 ? lines - 1 : lines;
}

void check_run_outputs(const std::filesystem::path& directory, const nlohmann::json& manifest,
                       const std::filesystem::path& manifest_path,
                       std::vector<std::string>& warnings) {
  const auto outputs = manifest.find("outputs");
  if (outputs == manifest.end()) {
    return;
  }
  const auto fail = [&](const std::string& message) {
    throw sim::InputError(sim::SourceLocation{manifest_path.string(), 0, 0}, message);
  };
  if (!outputs->is_object()) {
    fail("'outputs' must be an object of file names, each with its rows and sha256");
  }
  for (const auto& [name, recorded] : outputs->items()) {
    // Only files of the run folder itself: a name with a folder in it would check another file.
    if (name.empty() || std::filesystem::path(name).filename() != name || name == "..") {
      fail("'outputs' names '" + name + "', which is not a file name");
    }
    const auto rows = recorded.find("rows");
    const auto sha256 = recorded.find("sha256");
    if (!recorded.is_object() || rows == recorded.end() || !rows->is_number_unsigned() ||
        sha256 == recorded.end() || !sha256->is_string()) {
      fail("'outputs." + name + "' must hold rows (a count) and sha256 (a hex string)");
    }
    const std::filesystem::path path = directory / name;
    const std::string content = read_run_file(path);
    const std::size_t found_rows = count_rows(name, content);
    const auto recorded_rows = rows->get<std::uint64_t>();
    if (found_rows != recorded_rows) {
      throw sim::InputError(
          sim::SourceLocation{path.string(), 0, 0},
          name + " has " + std::to_string(found_rows) + " rows but the run's manifest records " +
              std::to_string(recorded_rows) +
              ": the file was cut short or changed after the run; run it again with the "
              "command_line in " +
              manifest_path.string());
    }
    if (sim::sha256_hex(content) != sha256->get<std::string>()) {
      warnings.push_back(path.string() + " is not the file the run wrote (its SHA-256 differs " +
                         "from the one " + manifest_path.string() +
                         " records, though its row count does not): it was edited after the "
                         "run, so what is read from it may not be the run's");
    }
  }
}

}  // namespace

nlohmann::json read_run_manifest_unchecked(const std::filesystem::path& directory) {
  if (!is_run_directory(directory)) {
    throw sim::InputError(sim::SourceLocation{directory.string(), 0, 0},
                          "not a run directory: expected a directory written by `multivector "
                          "run` (with manifest.json, votes.csv, statements.csv, events.jsonl)");
  }
  const std::filesystem::path manifest_path = directory / "manifest.json";
  const std::string text = read_run_file(manifest_path);
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw json_error(manifest_path, text, error.byte, error.what());
  }
  if (!manifest.is_object()) {
    throw sim::InputError(sim::SourceLocation{manifest_path.string(), 0, 0},
                          "expected a JSON object");
  }
  return manifest;
}

nlohmann::json read_run_manifest(const std::filesystem::path& directory,
                                 std::vector<std::string>& warnings) {
  nlohmann::json manifest = read_run_manifest_unchecked(directory);
  check_run_outputs(directory, manifest, directory / "manifest.json", warnings);
  return manifest;
}

RunRecipe run_recipe(const nlohmann::json& manifest, const std::string& label) {
  const auto fail = [&](const std::string& message) {
    throw sim::InputError(sim::SourceLocation{label, 0, 0}, message);
  };
  const auto strings = [&](const char* key) {
    std::vector<std::string> values;
    const auto found = manifest.find(key);
    if (found == manifest.end()) {
      return values;
    }
    if (!found->is_array()) {
      fail(std::string("'") + key + "' must be a list of strings");
    }
    for (const auto& value : *found) {
      if (!value.is_string()) {
        fail(std::string("'") + key + "' must be a list of strings");
      }
      values.push_back(value.get<std::string>());
    }
    return values;
  };
  RunRecipe recipe;
  const auto scenario = manifest.find("scenario");
  if (scenario == manifest.end() || !scenario->is_object() || !scenario->contains("files") ||
      !(*scenario)["files"].is_array() || (*scenario)["files"].empty()) {
    fail("the manifest names no scenario files (scenario.files)");
  }
  for (const auto& file : (*scenario)["files"]) {
    if (!file.is_object() || !file.contains("path") || !file["path"].is_string()) {
      fail("scenario.files entries must carry a path");
    }
    const std::string sha = file.contains("sha256") && file["sha256"].is_string()
                                ? file["sha256"].get<std::string>()
                                : std::string();
    // A relative path means "from where the run was made"; from elsewhere, the recorded absolute
    // path finds the same file.
    std::string path = file["path"].get<std::string>();
    if (!sim::is_builtin_path(path) && !std::filesystem::exists(path) &&
        file.contains("absolute_path") && file["absolute_path"].is_string()) {
      path = file["absolute_path"].get<std::string>();
    }
    recipe.files.emplace_back(path, sha);
  }
  recipe.scenario = recipe.files.front().first;
  recipe.load.overrides = strings("overrides");
  recipe.load.drop_events = strings("dropped_events");
  if (const auto params = manifest.find("params_file");
      params != manifest.end() && params->is_string()) {
    recipe.load.params_file = params->get<std::string>();
    if (const auto absolute = manifest.find("params_file_absolute");
        !recipe.load.params_file.empty() && !std::filesystem::exists(recipe.load.params_file) &&
        absolute != manifest.end() && absolute->is_string()) {
      recipe.load.params_file = absolute->get<std::string>();
    }
  }
  if (const auto seed = manifest.find("seed"); seed != manifest.end()) {
    if (!seed->is_number_unsigned()) {
      fail("'seed' must be a non-negative integer");
    }
    recipe.run.seed = seed->get<std::uint64_t>();
  }
  if (const auto decisions = manifest.find("decisions"); decisions != manifest.end()) {
    if (*decisions == "sample") {
      recipe.run.decisions = sim::DecisionMode::Sample;
    } else if (*decisions != "modal") {
      fail("'decisions' must be modal or sample");
    }
  }
  return recipe;
}

namespace {

// The directory a run was made in, from its first scenario file's recorded relative and absolute
// paths ("" when they cannot tell: an absolute or builtin path, or no absolute one recorded).
std::filesystem::path run_working_directory(const nlohmann::json& manifest) {
  const auto scenario = manifest.find("scenario");
  if (scenario == manifest.end() || !scenario->is_object() || !scenario->contains("files") ||
      !(*scenario)["files"].is_array() || (*scenario)["files"].empty()) {
    return {};
  }
  const auto& file = (*scenario)["files"].front();
  if (!file.is_object() || !file.contains("path") || !file["path"].is_string() ||
      !file.contains("absolute_path") || !file["absolute_path"].is_string()) {
    return {};
  }
  const std::filesystem::path relative = file["path"].get<std::string>();
  const std::filesystem::path absolute = file["absolute_path"].get<std::string>();
  if (sim::is_builtin_path(relative.string()) || relative.is_absolute() ||
      !absolute.is_absolute()) {
    return {};
  }
  std::filesystem::path directory = absolute;
  const std::filesystem::path normal = relative.lexically_normal();
  for (auto part = normal.begin(); part != normal.end(); ++part) {
    directory = directory.parent_path();
  }
  // A relative path with ".." in it strips the wrong parts: keep only a directory that gives
  // back the recorded absolute path.
  return (directory / relative).lexically_normal() == absolute.lexically_normal()
             ? directory
             : std::filesystem::path();
}

}  // namespace

std::string run_compare_with(const nlohmann::json& manifest) {
  const auto recorded = manifest.find("compare_with");
  if (recorded == manifest.end() || !recorded->is_string()) {
    return "";
  }
  std::string path = recorded->get<std::string>();  // not const: returned by move
  if (path.empty()) {
    return "";
  }
  std::error_code error;
  if (sim::is_builtin_path(path) || std::filesystem::path(path).is_absolute() ||
      std::filesystem::exists(path, error)) {
    return path;
  }
  if (const auto absolute = manifest.find("compare_with_absolute");
      absolute != manifest.end() && absolute->is_string() &&
      std::filesystem::exists(absolute->get<std::string>(), error)) {
    return absolute->get<std::string>();
  }
  if (const std::filesystem::path directory = run_working_directory(manifest);
      !directory.empty() && std::filesystem::exists(directory / path, error)) {
    return (directory / path).string();
  }
  // Not found anywhere: the path as recorded, so the error names what the scenario gave.
  return path;
}

std::vector<std::string> changed_files(const sim::Scenario& loaded, const RunRecipe& recipe) {
  std::vector<std::string> changed;
  for (const auto& recorded : recipe.files) {
    const std::string& path = recorded.first;
    const std::string& sha = recorded.second;
    const auto found = std::find_if(loaded.files.begin(), loaded.files.end(),
                                    [&](const sim::SourceFile& file) { return file.path == path; });
    if (found == loaded.files.end() || (!sha.empty() && found->sha256 != sha)) {
      changed.push_back(path);
    }
  }
  return changed;
}

RunDirectory read_run_directory(const std::filesystem::path& directory) {
  RunDirectory run;
  run.path = directory;
  run.manifest = read_run_manifest(directory, run.warnings);
  const CsvTable votes(directory / "votes.csv", read_run_file(directory / "votes.csv"));
  run.term_names = vote_term_names(votes);
  read_votes(votes, run);
  const std::filesystem::path statements_path = directory / "statements.csv";
  const CsvTable statements(statements_path, read_run_file(statements_path));
  read_statements(statements, run);

  const std::filesystem::path events_path = directory / "events.jsonl";
  const std::string events = read_run_file(events_path);
  std::size_t start = 0;
  int line = 0;
  while (start < events.size()) {
    const std::size_t end = std::min(events.find('\n', start), events.size());
    ++line;
    const std::string_view text(events.data() + start, end - start);
    start = end + 1;
    if (text.empty()) {
      continue;
    }
    try {
      run.events.push_back(nlohmann::json::parse(text));
    } catch (const nlohmann::json::parse_error& error) {
      throw sim::InputError(sim::SourceLocation{events_path.string(), line, 1},
                            std::string("not valid JSON: ") + error.what());
    }
  }
  return run;
}

}  // namespace multivector::results
