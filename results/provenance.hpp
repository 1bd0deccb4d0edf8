#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "results/csv.hpp"

namespace multivector::results {

// A file an output was made from, with the SHA-256 of its bytes.
struct HashedInput {
  std::string path;
  std::string sha256;
};

// Where a single CSV output came from (held-out predictions, exported votes). It is written
// beside the CSV as NAME.manifest.json rather than into it: comment lines would stop pandas, R
// and sqlite3 from reading the CSV as it is.
struct OutputProvenance {
  std::string command;       // the subcommand, e.g. "calibrate"
  std::string command_line;  // as typed, shell-quoted
  std::vector<HashedInput> scenario_files;
  std::vector<HashedInput> vote_files;  // recorded votes read (history files, Voeten's files)
  std::optional<std::uint64_t> seed;    // absent where nothing was drawn
  std::vector<std::string> overrides;
  std::vector<std::string> dropped_events;
  std::string params_file;
  std::string run_dir;  // the run the output was read from, if any
  // What the subcommand was asked to do beyond its inputs (folds, penalties, codes).
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  // Each CSV column and what it holds, in the CSV's order.
  CsvColumns columns;
};

// FOLDER/NAME.csv -> FOLDER/NAME.manifest.json (any extension is replaced; none is added to).
[[nodiscard]] std::filesystem::path provenance_path(const std::filesystem::path& output);

// The manifest's JSON text for `output` (named by its file name, since the two sit together).
[[nodiscard]] std::string provenance_json(const OutputProvenance& provenance,
                                          const std::filesystem::path& output);

// Files with their SHA-256 (an unreadable one is an input error naming it).
[[nodiscard]] std::vector<HashedInput> hashed_inputs(const std::vector<std::string>& paths);

}  // namespace multivector::results
