#include "process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include "tests/test_support.hpp"

extern char** environ;

namespace multivector::testing {

std::string program_path() {
  return MULTIVECTOR_BINARY;
}

pid_t spawn(const std::string& program, const std::vector<std::string>& arguments,
            const std::filesystem::path& out_file, const std::filesystem::path& err_file) {
  std::vector<std::string> storage;
  storage.push_back(program);
  storage.insert(storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (auto& argument : storage) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int result = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (result != 0) {
    throw std::runtime_error("cannot start " + program);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error("waitpid failed");
    }
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}

ProcessResult run_program(const std::vector<std::string>& arguments,
                          const std::filesystem::path& scratch) {
  const auto out_file = scratch / "stdout.txt";
  const auto err_file = scratch / "stderr.txt";
  ProcessResult result;
  result.status = wait_for(spawn(program_path(), arguments, out_file, err_file));
  result.out = read_text_file(out_file);
  result.err = read_text_file(err_file);
  return result;
}

TreeSnapshot snapshot(const std::filesystem::path& root) {
  TreeSnapshot entries;
  if (!std::filesystem::exists(std::filesystem::symlink_status(root))) {
    return entries;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto status = entry.symlink_status();
    std::string description;
    if (std::filesystem::is_symlink(status)) {
      description = "link";
    } else if (std::filesystem::is_directory(status)) {
      description = "directory";
    } else if (std::filesystem::is_regular_file(status)) {
      description = "file " + std::to_string(entry.file_size());
    } else {
      description = "special";
    }
    entries[std::filesystem::relative(entry.path(), root).generic_string()] = description;
  }
  return entries;
}

TemporaryDirectory::TemporaryDirectory(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory");
  }
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace multivector::testing
