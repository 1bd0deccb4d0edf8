#include "results/text_format.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace multivector::results {
namespace {

std::string printed(const char* format, int precision, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, precision, value);
  return buffer;
}

std::string with_minus_sign(std::string text) {
  if (!text.empty() && text.front() == '-') {
    text = "\u2212" + text.substr(1);
  }
  return text;
}

}  // namespace

std::string fixed_text(double value, int decimals) {
  return printed("%.*f", decimals, value);
}

std::string signed_text(double value, int decimals) {
  if (std::fabs(value) < 0.5 * std::pow(10.0, -decimals)) {
    value = 0.0;
  }
  return with_minus_sign(printed("%+.*f", decimals, value));
}

std::string significant_text(double value, int digits) {
  return with_minus_sign(printed("%.*g", digits, value));
}

std::string signed_significant_text(double value, int digits) {
  return with_minus_sign(printed("%+.*g", digits, value));
}

std::string pad_to(std::string text, std::size_t width) {
  const auto characters = static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char byte) { return (byte & 0xC0) != 0x80; }));
  if (characters < width) {
    text.append(width - characters, ' ');
  }
  return text;
}

std::string shell_quote(const std::string& argument) {
  if (!argument.empty() &&
      argument.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                 "_-+=:,./@%") == std::string::npos) {
    return argument;
  }
  std::string quoted = "'";
  for (const char character : argument) {
    quoted += character == '\'' ? std::string("'\\''") : std::string(1, character);
  }
  return quoted + "'";
}

std::vector<std::string> scenario_option_arguments(const std::string& params_file,
                                                   const std::vector<std::string>& overrides,
                                                   const std::vector<std::string>& drop_events) {
  std::vector<std::string> arguments;
  arguments.reserve(1 + overrides.size() + drop_events.size());
  if (!params_file.empty()) {
    arguments.push_back("--params " + shell_quote(params_file));
  }
  for (const auto& assignment : overrides) {
    arguments.push_back("--set " + shell_quote(assignment));
  }
  for (const auto& id : drop_events) {
    arguments.push_back("--drop-event " + shell_quote(id));
  }
  return arguments;
}

std::string command_line_text(const std::vector<std::string>& arguments) {
  std::string line = "multivector";
  for (std::size_t index = 1; index < arguments.size(); ++index) {
    line += " " + shell_quote(arguments[index]);
  }
  return line;
}

std::string format_count(std::int64_t count) {
  std::string digits = std::to_string(count < 0 ? -count : count);
  std::string grouped;
  for (std::size_t index = 0; index < digits.size(); ++index) {
    if (index > 0 && (digits.size() - index) % 3 == 0) {
      grouped += ',';
    }
    grouped += digits[index];
  }
  return count < 0 ? "-" + grouped : grouped;
}

std::string counted(std::int64_t count, std::string_view singular, std::string_view plural) {
  return format_count(count) + " " + std::string(count == 1 ? singular : plural);
}

std::string format_size(double bytes) {
  constexpr std::array<const char*, 5> kUnits = {"bytes", "KB", "MB", "GB", "TB"};
  std::size_t unit = 0;
  while (bytes >= 1000.0 && unit + 1 < kUnits.size()) {
    bytes /= 1000.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, bytes < 10.0 && unit > 0 ? "%.1f %s" : "%.0f %s", bytes,
                kUnits[unit]);
  return text;
}

}  // namespace multivector::results
