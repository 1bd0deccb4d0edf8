#include "results/yaml_text.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace multivector::results {

std::string yaml_quoted(std::string_view text) {
  // yaml-cpp's own double-quoted style (as the what-if page's YAML uses), so escaping follows the
  // library that reads these files back.
  YAML::Emitter out;
  out << YAML::DoubleQuoted << std::string(text);
  return out.c_str();
}

std::string yaml_key(std::string_view text) {
  // YAML 1.1 reads these as booleans or null (PyYAML and R's yaml still do), so a country or tag
  // spelled like one would come back as a different type.
  static constexpr std::array<std::string_view, 13> kReserved = {
      "y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf", ".nan", ".inf"};
  const auto is_plain_character = [](char character) {
    return std::isalnum(static_cast<unsigned char>(character)) != 0 || character == '_' ||
           character == '.' || character == '/' || character == '-';
  };
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](char character) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  });
  const bool plain =
      !text.empty() &&
      (std::isalpha(static_cast<unsigned char>(text.front())) != 0 || text.front() == '_') &&
      std::all_of(text.begin(), text.end(), is_plain_character) &&
      std::find(kReserved.begin(), kReserved.end(), lowered) == kReserved.end();
  return plain ? std::string(text) : yaml_quoted(text);
}

std::string yaml_comment(std::string_view text) {
  std::string line(text);
  std::replace_if(
      line.begin(), line.end(),
      [](char character) { return character == '\n' || character == '\r'; }, ' ');
  return "# " + line + "\n";
}

}  // namespace multivector::results
