#pragma once
// Text written into the YAML files the program generates (parameters, priors): names, ids and
// command lines come from users' files and the data, so each is written so that it reads back as
// the same string in yaml-cpp, PyYAML and R's yaml, whatever it contains.

#include <string>
#include <string_view>

namespace multivector::results {

// A double-quoted YAML scalar, escaped by yaml-cpp (`"`, `\` and control characters; UTF-8 names
// such as Côte d'Ivoire unchanged).
[[nodiscard]] std::string yaml_quoted(std::string_view text);

// A mapping key or flow value: plain when it cannot be misread (a letter or `_` first, then
// letters, digits, `_`, `.`, `/`, `-`, and not a YAML 1.1 boolean or null such as `no`, `Y`,
// `off`), else yaml_quoted. ISO codes, tags and ids stay as people write them.
[[nodiscard]] std::string yaml_key(std::string_view text);

// A `# ` comment line holding `text` on one line (line breaks become spaces).
[[nodiscard]] std::string yaml_comment(std::string_view text);

}  // namespace multivector::results
