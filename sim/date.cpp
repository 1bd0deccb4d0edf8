#include "sim/date.hpp"

#include <charconv>
#include <cstdio>

namespace multivector::sim {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
Date date_from_civil(int year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return Date{static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(day_of_era) -
              719468};
}

namespace {

struct Civil {
  int year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned month_index = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const unsigned month = month_index < 10 ? month_index + 3 : month_index - 9;
  return Civil{static_cast<int>(year + (month <= 2 ? 1 : 0)), month, day};
}

bool parse_digits(std::string_view text, int& value) {
  const auto* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc{} && result.ptr == end;
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  for (size_t position : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U}) {
    if (text[position] < '0' || text[position] > '9') {
      return std::nullopt;
    }
  }
  int year = 0;
  int month = 0;
  int day = 0;
  if (!parse_digits(text.substr(0, 4), year) || !parse_digits(text.substr(5, 2), month) ||
      !parse_digits(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  const Date date = date_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  // Round-tripping rejects days that do not exist (2022-02-30).
  const Civil check = civil_from_days(date.days);
  if (check.year != year || check.month != static_cast<unsigned>(month) ||
      check.day != static_cast<unsigned>(day)) {
    return std::nullopt;
  }
  return date;
}

std::string format_date(Date date) {
  const Civil civil = civil_from_days(date.days);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", civil.year, civil.month, civil.day);
  return buffer;
}

}  // namespace multivector::sim
