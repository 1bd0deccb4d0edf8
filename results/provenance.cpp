#include "results/provenance.hpp"

#include "results/run_writer.hpp"
#include "sim/input_files.hpp"
#include "sim/sha256.hpp"

namespace multivector::results {

namespace {

nlohmann::ordered_json files_json(const std::vector<HashedInput>& files) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& file : files) {
    list.push_back({{"path", file.path}, {"sha256", file.sha256}});
  }
  return list;
}

}  // namespace

std::filesystem::path provenance_path(const std::filesystem::path& output) {
  std::filesystem::path path = output;
  path.replace_extension(".manifest.json");
  return path;
}

std::string provenance_json(const OutputProvenance& provenance,
                            const std::filesystem::path& output) {
  nlohmann::ordered_json json;
  json["program"] = "multivector";
  json["version"] = program_version();
  json["command"] = provenance.command;
  json["command_line"] = provenance.command_line;
  json["output"] = output.filename().string();
  if (!provenance.run_dir.empty()) {
    json["run_dir"] = provenance.run_dir;
  }
  json["scenario_files"] = files_json(provenance.scenario_files);
  json["vote_files"] = files_json(provenance.vote_files);
  json["seed"] = provenance.seed ? nlohmann::ordered_json(*provenance.seed) : nullptr;
  json["overrides"] = provenance.overrides;
  json["dropped_events"] = provenance.dropped_events;
  json["params_file"] = provenance.params_file;
  json["settings"] = provenance.settings;
  nlohmann::ordered_json columns = nlohmann::ordered_json::object();
  for (const auto& [name, meaning] : provenance.columns) {
    columns[name] = meaning;
  }
  json["columns"] = columns;
  return json.dump(2) + "\n";
}

std::vector<HashedInput> hashed_inputs(const std::vector<std::string>& paths) {
  // Recorded-vote files reach a few hundred megabytes (the Library's whole export); the bound
  // only keeps a wrong path (a device, say) from being read without end.
  constexpr std::size_t kLargestInput = std::size_t{4} << 30U;
  std::vector<HashedInput> hashed;
  hashed.reserve(paths.size());
  for (const auto& path : paths) {
    hashed.push_back(
        {path,
         sim::sha256_hex(
             sim::read_input_file(path, kLargestInput, sim::SourceLocation{path, 0, 0}).content)});
  }
  return hashed;
}

}  // namespace multivector::results
