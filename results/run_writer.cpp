#include "results/run_writer.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>

#include "results/atomic_output.hpp"
#include "results/csv.hpp"
#include "sim/input_files.hpp"
#include "sim/sha256.hpp"

namespace multivector::results {

namespace {

const std::string& option_name(const sim::AgendaItem& item, Index option) {
  return item.options[static_cast<size_t>(option)];
}

std::string count_lines(const std::string& text) {
  std::size_t lines = 0;
  for (const char character : text) {
    lines += character == '\n' ? 1 : 0;
  }
  return std::to_string(lines);
}

}  // namespace

std::string votes_csv(const RunRecorder& recorder) {
  const sim::Scenario& scenario = recorder.scenario();
  const std::vector<std::string> terms = term_names(scenario);
  std::vector<std::string> header = {"item",    "resolution", "tags", "date",
                                     "country", "realised",   "modal"};
  for (const auto option : sim::kVoteOptions) {
    header.push_back("p_" + std::string(option));
  }
  for (const auto option : sim::kVoteOptions) {
    header.push_back("u_" + std::string(option));
  }
  for (const auto option : sim::kVoteOptions) {
    for (const auto& term : terms) {
      header.push_back("u_" + std::string(option) + "_" + term);
    }
  }
  std::string out;
  append_csv_row(out, header);
  std::vector<std::string> fields;
  for (const auto& row : recorder.decisions()) {
    const sim::AgendaItem& item = scenario.agenda[static_cast<size_t>(row.item)];
    if (item.kind != sim::ItemKind::Vote) {
      continue;
    }
    std::string tags;
    for (const auto& tag : item.tags) {
      tags += (tags.empty() ? "" : ";") + tag;
    }
    fields = {item.id,
              item.resolution,
              tags,
              sim::format_date(row.date),
              scenario.countries[static_cast<size_t>(row.country)].id,
              option_name(item, row.realised),
              option_name(item, row.modal)};
    for (Index option = 0; option < 4; ++option) {
      fields.push_back(format_double(row.probability(option)));
    }
    for (Index option = 0; option < 4; ++option) {
      fields.push_back(format_double(row.utility(option)));
    }
    for (Index option = 0; option < 4; ++option) {
      for (Index term = 0; term < row.terms.cols(); ++term) {
        fields.push_back(format_double(row.terms(option, term)));
      }
    }
    append_csv_row(out, fields);
  }
  return out;
}

std::string statements_csv(const RunRecorder& recorder) {
  const sim::Scenario& scenario = recorder.scenario();
  const std::vector<std::string> terms = term_names(scenario);
  std::vector<std::string> header = {"item",        "date",    "country", "option",
                                     "probability", "utility", "modal",   "realised"};
  for (const auto& term : terms) {
    header.push_back("u_" + term);
  }
  std::string out;
  append_csv_row(out, header);
  std::vector<std::string> fields;
  for (const auto& row : recorder.decisions()) {
    const sim::AgendaItem& item = scenario.agenda[static_cast<size_t>(row.item)];
    if (item.kind != sim::ItemKind::Statement) {
      continue;
    }
    for (Index option = 0; option < static_cast<Index>(item.options.size()); ++option) {
      fields = {item.id,
                sim::format_date(row.date),
                scenario.countries[static_cast<size_t>(row.country)].id,
                option_name(item, option),
                format_double(row.probability(option)),
                format_double(row.utility(option)),
                row.modal == option ? "1" : "0",
                row.realised == option ? "1" : "0"};
      for (Index term = 0; term < row.terms.cols(); ++term) {
        fields.push_back(format_double(row.terms(option, term)));
      }
      append_csv_row(out, fields);
    }
  }
  return out;
}

std::string trajectory_csv(const RunRecorder& recorder) {
  const sim::Scenario& scenario = recorder.scenario();
  std::vector<std::string> header = {"step", "date", "country"};
  for (const auto& column : recorder.trajectory_columns()) {
    header.push_back(column);
  }
  std::string out;
  append_csv_row(out, header);
  std::vector<std::string> fields;
  for (const auto& step : recorder.trajectory()) {
    const std::string date = sim::format_date(step.date);
    for (Index country = 0; country < step.values.rows(); ++country) {
      fields = {std::to_string(step.step), date,
                scenario.countries[static_cast<size_t>(country)].id};
      for (Index column = 0; column < step.values.cols(); ++column) {
        fields.push_back(format_double(step.values(country, column)));
      }
      append_csv_row(out, fields);
    }
  }
  return out;
}

std::string events_jsonl(const RunRecorder& recorder) {
  const sim::Scenario& scenario = recorder.scenario();
  std::string out;
  for (const auto& event : recorder.events()) {
    nlohmann::ordered_json line;
    line["date"] = sim::format_date(event.date);
    line["step"] = event.step;
    line["phase"] = std::string(sim::event_phase_name(event.phase));
    line["id"] = event.id;
    line["event"] = std::string(sim::event_kind_name(event.kind));
    line["source"] = event.source >= 0 ? scenario.powers[static_cast<size_t>(event.source)].id : "";
    nlohmann::ordered_json recipients = nlohmann::ordered_json::array();
    for (const Index country : event.recipients) {
      recipients.push_back(scenario.countries[static_cast<size_t>(country)].id);
    }
    line["recipient"] = recipients;
    line["channel"] =
        event.channel >= 0 ? scenario.channels[static_cast<size_t>(event.channel)].id : "all";
    line["magnitude"] = event.magnitude;
    line["scheduled"] = event.scheduled;
    line["cause"] = event.scheduled && event.phase == sim::EventPhase::Fired
                        ? "scheduled in the scenario"
                        : event.cause;
    if (event.declared != nullptr) {
      const sim::Event& declared = *event.declared;
      if (!declared.mode.empty()) {
        line["mode"] = declared.mode;
      }
      if (!declared.context.empty()) {
        line["context"] = declared.context;
      }
      if (!declared.cameo.empty()) {
        line["cameo"] = declared.cameo;
      }
      if (declared.goldstein) {
        line["goldstein"] = *declared.goldstein;
      }
      if (!declared.note.empty()) {
        line["reference"] = declared.note;
      }
    }
    out += line.dump();
    out += '\n';
  }
  return out;
}

nlohmann::ordered_json parameters_json(const sim::Scenario& scenario) {
  const sim::DecisionParameters& decision = scenario.parameters.decision;
  const sim::DynamicsParameters& dynamics = scenario.parameters.dynamics;
  nlohmann::ordered_json json;
  auto& decision_json = json["decision"];
  decision_json["temperature"] = decision.temperature;
  decision_json["intercepts"] = decision.intercepts;
  decision_json["tag_intercepts"] = decision.tag_intercepts;
  decision_json["participation"] = decision.participation;
  decision_json["salience_participation"] = decision.salience_participation;
  decision_json["orientation"] = decision.orientation;
  decision_json["persistence"] = decision.persistence;
  decision_json["recency"] = decision.recency;
  decision_json["habit"] = decision.habit;
  if (decision.drift_reference) {
    decision_json["drift_reference"] = sim::format_date(*decision.drift_reference);
  }
  if (decision.drift_until) {
    decision_json["drift_until"] = sim::format_date(*decision.drift_until);
  }
  if (!decision.offset_tags.empty()) {
    decision_json["offset_tags"] = decision.offset_tags;
  }
  for (size_t power = 0; power < scenario.powers.size(); ++power) {
    decision_json["leverage"][scenario.powers[power].id] =
        decision.leverage(static_cast<Index>(power));
  }
  for (size_t norm = 0; norm < scenario.norms.size(); ++norm) {
    decision_json["norms"][scenario.norms[norm].id] = decision.norm(static_cast<Index>(norm));
  }
  nlohmann::ordered_json offsets = nlohmann::ordered_json::object();
  for (const auto& [country, offset] : decision.country_offsets) {
    offsets[country] = {{"orientation", offset.orientation},
                        {"orientation_drift", offset.orientation_drift},
                        {"participation", offset.participation}};
    // Every fitted part of the offset, so that a run's record holds all it was run with.
    if (!offset.norms.empty()) {
      offsets[country]["norms"] = offset.norms;
    }
    for (const auto& [tag, tag_offset] : offset.by_tag) {
      offsets[country]["by_tag"][tag] = {{"orientation", tag_offset.orientation},
                                         {"participation", tag_offset.participation}};
    }
  }
  decision_json["country_offsets"] = offsets;
  auto& dynamics_json = json["dynamics"];
  dynamics_json["credibility_learning_rate"] = dynamics.credibility_learning_rate;
  dynamics_json["peer_learning_share"] = dynamics.peer_learning_share;
  dynamics_json["ambiguous_observation"] = dynamics.ambiguous_observation;
  dynamics_json["inducement_weight"] = dynamics.inducement_weight;
  dynamics_json["inducement_half_life_days"] = dynamics.inducement_half_life_days;
  dynamics_json["alarm_half_life_days"] = dynamics.alarm_half_life_days;
  dynamics_json["alarm_per_magnitude"] = dynamics.alarm_per_magnitude;
  dynamics_json["orientation_rate"] = dynamics.orientation_rate;
  dynamics_json["orientation_self_weight"] = dynamics.orientation_self_weight;
  dynamics_json["orientation_peer_weight"] = dynamics.orientation_peer_weight;
  dynamics_json["orientation_power_pull"] = dynamics.orientation_power_pull;
  dynamics_json["diversification_rate"] = dynamics.diversification_rate;
  dynamics_json["diversification_threshold"] = dynamics.diversification_threshold;
  dynamics_json["threat_duration_days"] = dynamics.threat_duration_days;
  dynamics_json["retaliation_duration_days"] = dynamics.retaliation_duration_days;
  return json;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

nlohmann::ordered_json manifest_json(const RunRecorder& recorder, const RunInfo& info) {
  const sim::Scenario& scenario = recorder.scenario();
  nlohmann::ordered_json manifest;
  manifest["program"] = "multivector";
  manifest["version"] = program_version();
  manifest["scenario"]["id"] = scenario.info.id;
  manifest["scenario"]["name"] = scenario.info.name;
  manifest["scenario"]["start"] = sim::format_date(scenario.info.start);
  manifest["scenario"]["end"] = sim::format_date(scenario.info.end);
  manifest["scenario"]["step_days"] = scenario.info.step_days;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& file : scenario.files) {
    nlohmann::ordered_json entry = {{"path", file.path}};
    // The absolute path lets explain, diff and report rebuild the run from any directory.
    if (!sim::is_builtin_path(file.path)) {
      std::error_code error;
      const auto absolute = std::filesystem::absolute(file.path, error);
      if (!error) {
        entry["absolute_path"] = absolute.lexically_normal().string();
      }
    }
    entry["sha256"] = file.sha256;
    files.push_back(entry);
  }
  manifest["scenario"]["files"] = files;
  manifest["seed"] = info.seed;
  manifest["decisions"] = info.decisions == sim::DecisionMode::Modal ? "modal" : "sample";
  manifest["overrides"] = scenario.overrides;
  manifest["dropped_events"] = scenario.dropped_events;
  manifest["params_file"] = scenario.params_file;
  // The scenario's own fitted parameters (scenario.params), when they were read instead; a
  // rerun of the scenario reads them again, so only --params needs repeating.
  if (!scenario.scenario_params_file.empty()) {
    manifest["scenario_params_file"] = scenario.scenario_params_file;
  }
  if (!scenario.params_file.empty()) {
    std::error_code error;
    const auto absolute = std::filesystem::absolute(scenario.params_file, error);
    manifest["params_file_absolute"] =
        error ? scenario.params_file : absolute.lexically_normal().string();
  }
  // Where `multivector compare` finds the recorded votes when no --history is given.
  manifest["compare_with"] = scenario.info.compare_with;
  // compare_with is relative to where the run was made; the absolute path lets compare and
  // report find it from any directory, as explain does the scenario files.
  if (!scenario.info.compare_with.empty() && !sim::is_builtin_path(scenario.info.compare_with)) {
    std::error_code error;
    const auto absolute = std::filesystem::absolute(scenario.info.compare_with, error);
    if (!error) {
      manifest["compare_with_absolute"] = absolute.lexically_normal().string();
    }
  }
  manifest["parameters"] = parameters_json(scenario);
  manifest["command_line"] = info.command_line;
  // The only fields that differ between two runs of the same inputs.
  manifest["created_at"] = utc_now();
  manifest["compute_seconds"] = info.compute_seconds;
  return manifest;
}

std::vector<std::filesystem::path> run_file_paths(const std::filesystem::path& run_dir) {
  std::vector<std::filesystem::path> paths;
  paths.reserve(kRunFiles.size());
  for (const char* name : kRunFiles) {
    paths.push_back(run_dir / name);
  }
  return paths;
}

void write_run(const RunRecorder& recorder, const RunInfo& info,
               const std::filesystem::path& directory) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"votes.csv", votes_csv(recorder)},
      {"statements.csv", statements_csv(recorder)},
      {"events.jsonl", events_jsonl(recorder)}};
  // A run without a trajectory (--no-trajectory) has no trajectory.csv rather than a header with
  // no rows, which a reader would take for a trajectory of nothing: the report then says why
  // its over-time charts are missing.
  if (recorder.wants_steps()) {
    files.insert(files.begin() + 2, {"trajectory.csv", trajectory_csv(recorder)});
  }
  nlohmann::ordered_json manifest = manifest_json(recorder, info);
  for (const auto& [name, content] : files) {
    const bool has_header = name.ends_with(".csv");
    const std::size_t lines = std::stoul(count_lines(content));
    manifest["outputs"][name] = {{"rows", has_header && lines > 0 ? lines - 1 : lines},
                                 {"sha256", sim::sha256_hex(content)}};
  }
  StagedDirectory staged(directory, kRunFolder);
  for (const auto& [name, content] : files) {
    staged.write_file(name, content);
  }
  staged.write_file("manifest.json", manifest.dump(2) + "\n");
  staged.commit();
}

}  // namespace multivector::results
