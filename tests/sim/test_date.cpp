#include <catch2/catch.hpp>

#include "sim/date.hpp"

using namespace multivector::sim;

TEST_CASE("dates round-trip and count days") {
  const auto date = parse_date("2022-04-07");
  REQUIRE(date);
  CHECK(format_date(*date) == "2022-04-07");
  CHECK(parse_date("1970-01-01")->days == 0);
  CHECK(parse_date("2022-03-02")->days - parse_date("2022-02-24")->days == 6);
  CHECK(parse_date("2024-02-29"));  // leap day
}

TEST_CASE("malformed or impossible dates are rejected") {
  CHECK_FALSE(parse_date("2022-02-30"));
  CHECK_FALSE(parse_date("2023-02-29"));
  CHECK_FALSE(parse_date("2022-13-01"));
  CHECK_FALSE(parse_date("2022-1-01"));
  CHECK_FALSE(parse_date("22-01-01"));
  CHECK_FALSE(parse_date("2022/01/01"));
  CHECK_FALSE(parse_date(""));
}
