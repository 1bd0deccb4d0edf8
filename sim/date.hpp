#pragma once
// Calendar dates as days since 1970-01-01, so the clock is integer arithmetic.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace multivector::sim {

struct Date {
  std::int64_t days = 0;  // days since 1970-01-01

  auto operator<=>(const Date&) const = default;
};

// Parses YYYY-MM-DD (ISO 8601 calendar date); nullopt when malformed or not a real day.
[[nodiscard]] std::optional<Date> parse_date(std::string_view text);
[[nodiscard]] std::string format_date(Date date);
[[nodiscard]] Date date_from_civil(int year, unsigned month, unsigned day);

}  // namespace multivector::sim
