#pragma once
// Test helpers for the reliability suite: the real program as a subprocess, and snapshots of a
// directory tree to prove that a failed command wrote nothing.

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace multivector::testing {

// The built `multivector` program (MULTIVECTOR_BINARY, set by tests/CMakeLists.txt).
[[nodiscard]] std::string program_path();

struct ProcessResult {
  int status = -1;  // exit status, or 128 + signal when killed
  std::string out;
  std::string err;
};

// Starts `program` with `arguments` (argv[1...]); stdout and stderr go to the given files.
[[nodiscard]] pid_t spawn(const std::string& program, const std::vector<std::string>& arguments,
                          const std::filesystem::path& out_file,
                          const std::filesystem::path& err_file);
// Waits for `pid`; returns the exit status, or 128 + signal.
int wait_for(pid_t pid);
// Runs the program to completion and collects its output.
[[nodiscard]] ProcessResult run_program(const std::vector<std::string>& arguments,
                                        const std::filesystem::path& scratch);

// Every entry below `root` (relative path → kind and size); symlinks are not followed.
using TreeSnapshot = std::map<std::string, std::string>;
[[nodiscard]] TreeSnapshot snapshot(const std::filesystem::path& root);

// A fresh, empty directory under the system's temporary directory, removed on destruction.
class TemporaryDirectory {
 public:
  explicit TemporaryDirectory(const std::string& prefix);
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace multivector::testing
