#pragma once
// Helpers shared by the tests: fixture paths, scratch directories, the CLI run in-process.

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/cli.hpp"

namespace multivector::testing {

// 1 / (1 + e^−x): the probability of the first of two options whose utilities differ by x.
inline double logistic(double value) {
  return 1.0 / (1.0 + std::exp(-value));
}

inline std::string test_data(const std::string& relative) {
  return std::string(MULTIVECTOR_TEST_DATA_DIR) + "/" + relative;
}

// A fresh directory under the system's temporary directory, removed with everything in it.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("multivector-test-" + std::to_string(::getpid()) + "-" + std::to_string(device()) +
             std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // A path, which also converts to the std::string a command-line argument is.
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

// Changes the working directory for one scope and changes it back, however the scope ends.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const std::filesystem::path& directory)
      : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(directory);
  }
  ~WorkingDirectory() {
    std::error_code ignored;
    std::filesystem::current_path(previous_, ignored);
  }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  std::filesystem::path previous_;
};

struct CommandResult {
  int status = 0;
  std::string out;
  std::string err;
};

// `multivector ARGUMENTS...` in-process.
inline CommandResult run_command(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {"multivector"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::ostringstream out;
  std::ostringstream err;
  const int status = cli::run_cli(argv, out, err);
  return CommandResult{status, out.str(), err.str()};
}

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream content;
  content << input.rdbuf();
  return content.str();
}

// The lines of `text`, without their line ends.
inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

}  // namespace multivector::testing
