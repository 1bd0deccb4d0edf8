#include "sim/resolution_symbol.hpp"

#include <algorithm>
#include <cctype>

namespace multivector::sim {

namespace {

bool is_digit(char character) {
  return character >= '0' && character <= '9';
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// A regular session number (77), or an emergency special (ES-11) or special (S-27) session.
bool is_session(std::string_view text) {
  for (const std::string_view prefix : {"ES-", "S-"}) {
    if (text.starts_with(prefix)) {
      return all_digits(text.substr(prefix.size()));
    }
  }
  return all_digits(text);
}

}  // namespace

std::string canonical_resolution_symbol(std::string_view symbol) {
  constexpr std::string_view kBlanks = " \t\r\n";
  const std::size_t first = symbol.find_first_not_of(kBlanks);
  symbol = first == std::string_view::npos
               ? std::string_view()
               : symbol.substr(first, symbol.find_last_not_of(kBlanks) - first + 1);
  std::string upper(symbol);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char character) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(character)));
  });
  constexpr std::string_view kPrefix = "A/RES/";
  if (upper.starts_with(kPrefix)) {
    return upper;
  }
  const std::size_t slash = upper.find('/');
  if (slash != std::string::npos && is_session(std::string_view(upper).substr(0, slash)) &&
      all_digits(std::string_view(upper).substr(slash + 1))) {
    return std::string(kPrefix) + upper;
  }
  return std::string(symbol);  // not a resolution symbol: a label the user chose, kept as written
}

}  // namespace multivector::sim
