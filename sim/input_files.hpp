#pragma once
// Reading input files from disk or from the copies compiled into the program, so that
// `multivector run` with no argument works from any directory.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "sim/diagnostics.hpp"

namespace multivector::sim {

inline constexpr std::string_view kBuiltinPrefix = "builtin:";
inline constexpr std::string_view kDefaultScenario = "builtin:central_asia_2022.yaml";

struct InputFile {
  std::string label;  // the path as the user will recognise it
  std::string content;
};

// The files under scenarios/ compiled into the program, keyed by their path below scenarios/.
[[nodiscard]] const std::map<std::string, std::string_view, std::less<>>& builtin_files();

[[nodiscard]] bool is_builtin_path(std::string_view path);

// Reads the whole file. A missing, unreadable or oversized file is an InputError located at
// `requested_at` (the `extends` line or the command-line argument that named it).
[[nodiscard]] InputFile read_input_file(const std::string& path, std::size_t max_bytes,
                                        const SourceLocation& requested_at);

// `relative` resolved against the directory of `base` (works for builtin: paths too).
[[nodiscard]] std::string resolve_relative(const std::string& base, const std::string& relative);

// A canonical form used to detect `extends` cycles.
[[nodiscard]] std::string canonical_path(const std::string& path);

}  // namespace multivector::sim
