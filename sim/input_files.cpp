#include "sim/input_files.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace multivector::sim {

bool is_builtin_path(std::string_view path) {
  return path.starts_with(kBuiltinPrefix);
}

InputFile read_input_file(const std::string& path, std::size_t max_bytes,
                          const SourceLocation& requested_at) {
  if (is_builtin_path(path)) {
    const std::string key(path.substr(kBuiltinPrefix.size()));
    const auto& files = builtin_files();
    const auto found = files.find(key);
    if (found == files.end()) {
      throw InputError(requested_at, "no built-in file '" + key + "'");
    }
    return InputFile{path, std::string(found->second)};
  }
  std::error_code error;
  const std::filesystem::path file_path(path);
  if (std::filesystem::is_directory(file_path, error)) {
    throw InputError(requested_at, "'" + path + "' is a directory, not a file");
  }
  const auto status = std::filesystem::status(file_path, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    // A FIFO or a device would block or never end; only regular files are read.
    throw InputError(requested_at,
                     "'" + path + "' is not a regular file (a FIFO, socket or device)");
  }
  const auto size = std::filesystem::file_size(file_path, error);
  if (error) {
    throw InputError(requested_at, "cannot open '" + path + "': " + error.message());
  }
  if (size > max_bytes) {
    throw InputError(requested_at, "'" + path + "' is " + std::to_string(size) +
                                       " bytes, over the limit of " + std::to_string(max_bytes) +
                                       " bytes for an input file (docs/limits.md)");
  }
  std::ifstream stream(file_path, std::ios::binary);
  if (!stream) {
    throw InputError(requested_at, "cannot open '" + path + "': " + std::strerror(errno));
  }
  // One read into a string of the file's size: a stream buffer would grow by doubling and then
  // be copied out, several passes over a history file of hundreds of megabytes.
  std::string content(size, '\0');
  stream.read(content.data(), static_cast<std::streamsize>(size));
  if (stream.bad()) {
    throw InputError(requested_at, "cannot read '" + path + "': " + std::strerror(errno));
  }
  content.resize(static_cast<std::size_t>(stream.gcount()));  // the file may have shrunk since
  if (stream.gcount() == static_cast<std::streamsize>(size)) {
    // ... or grown: whatever follows is read too, and held to the same limit.
    std::ostringstream rest;
    if (stream.peek() != std::char_traits<char>::eof()) {
      rest << stream.rdbuf();
    }
    content += rest.str();
    if (content.size() > max_bytes) {
      throw InputError(requested_at, "'" + path + "' is over the limit of " +
                                         std::to_string(max_bytes) +
                                         " bytes for an input file (docs/limits.md)");
    }
  }
  return InputFile{path, std::move(content)};
}

std::string resolve_relative(const std::string& base, const std::string& relative) {
  if (is_builtin_path(relative) || std::filesystem::path(relative).is_absolute()) {
    return relative;
  }
  if (is_builtin_path(base)) {
    const std::string inside = base.substr(kBuiltinPrefix.size());
    const std::filesystem::path directory = std::filesystem::path(inside).parent_path();
    return std::string(kBuiltinPrefix) + (directory / relative).lexically_normal().generic_string();
  }
  const std::filesystem::path directory = std::filesystem::path(base).parent_path();
  return (directory / relative).lexically_normal().generic_string();
}

std::string canonical_path(const std::string& path) {
  if (is_builtin_path(path)) {
    return path;
  }
  std::error_code error;
  const auto canonical = std::filesystem::weakly_canonical(path, error);
  return error ? path : canonical.generic_string();
}

}  // namespace multivector::sim
