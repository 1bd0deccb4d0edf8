#include "results/yaml_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace multivector::results {

std::string yaml_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    switch (character) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned>(byte));
          out += escaped;
        } else {
          out += character;
        }
    }
  }
  return out + "\"";
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
