#include "results/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace multivector::results {
namespace {

std::string unique_suffix() {
  // Process id plus a random word: two runs writing to the same place never share a temp name.
  std::random_device device;
  return std::to_string(::getpid()) + "-" + std::to_string(device());
}

void write_and_sync(const std::filesystem::path& path, std::string_view content) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (descriptor < 0) {
    throw OutputError("cannot write '" + path.string() + "': " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t result = ::write(descriptor, content.data() + written, content.size() - written);
    if (result < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int saved = errno;
      ::close(descriptor);
      throw OutputError("cannot write '" + path.string() + "': " + std::strerror(saved));
    }
    written += static_cast<std::size_t>(result);
  }
  // Data reaches the disk before the rename makes it visible under its final name.
  if (::fsync(descriptor) != 0 || ::close(descriptor) != 0) {
    throw OutputError("cannot write '" + path.string() + "': " + std::strerror(errno));
  }
}

void sync_directory(const std::filesystem::path& directory) {
  const int descriptor = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor >= 0) {
    ::fsync(descriptor);
    ::close(descriptor);
  }
}

void create_parent(const std::filesystem::path& path) {
  const auto parent = path.parent_path();
  if (parent.empty()) {
    return;
  }
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw OutputError("cannot create directory '" + parent.string() + "': " + error.message());
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  create_parent(path);
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + unique_suffix();
  try {
    write_and_sync(temporary, content);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw OutputError("cannot write '" + path.string() + "': " + error.message());
  }
  sync_directory(path.parent_path());
}

StagedDirectory::StagedDirectory(std::filesystem::path final_path) : final_(std::move(final_path)) {
  if (final_.filename().empty()) {
    final_ = final_.parent_path();  // "out/run/" names the directory "out/run"
  }
  create_parent(final_);
  staging_ = final_.parent_path() / ("." + final_.filename().string() + ".tmp-" + unique_suffix());
  std::error_code error;
  std::filesystem::create_directory(staging_, error);
  if (error) {
    throw OutputError("cannot create output directory '" + final_.string() +
                      "': " + error.message());
  }
}

StagedDirectory::~StagedDirectory() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove_all(staging_, ignored);
  }
}

void StagedDirectory::write_file(const std::string& name, std::string_view content) {
  write_and_sync(staging_ / name, content);
}

void StagedDirectory::commit() {
  std::error_code error;
  std::filesystem::path previous;
  if (std::filesystem::exists(final_, error)) {
    if (!std::filesystem::is_directory(final_, error)) {
      throw OutputError("cannot replace '" + final_.string() +
                        "': it exists and is not a directory");
    }
    previous =
        final_.parent_path() / ("." + final_.filename().string() + ".old-" + unique_suffix());
    std::filesystem::rename(final_, previous, error);
    if (error) {
      throw OutputError("cannot replace '" + final_.string() + "': " + error.message());
    }
  }
  std::filesystem::rename(staging_, final_, error);
  if (error) {
    if (!previous.empty()) {
      std::error_code restore;
      std::filesystem::rename(previous, final_, restore);
    }
    throw OutputError("cannot write '" + final_.string() + "': " + error.message());
  }
  committed_ = true;
  sync_directory(final_.parent_path());
  if (!previous.empty()) {
    std::filesystem::remove_all(previous, error);
  }
}

}  // namespace multivector::results
