#pragma once
// Outputs appear whole or not at all: files are written under a temporary name and renamed into
// place when complete, so a run killed at any moment leaves the previous output or none.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace multivector::results {

// An output location that cannot be written; the command line maps it to exit status 2.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes `content` to `path` via a temporary file in the same directory and an atomic rename.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// A directory built in a hidden staging directory beside its final place, then swapped in.
class StagedDirectory {
 public:
  explicit StagedDirectory(std::filesystem::path final_path);
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& staging() const { return staging_; }
  [[nodiscard]] const std::filesystem::path& final_path() const { return final_; }
  void write_file(const std::string& name, std::string_view content);
  // Moves the staging directory into the final place, replacing what was there.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace multivector::results
