// "Did you mean" suggestions: they should name what a person most likely meant, and nothing when
// no candidate is close.
#include <catch2/catch.hpp>
#include <string>

#include "sim/diagnostics.hpp"

using namespace multivector;

TEST_CASE("edit distance counts two swapped neighbours as one typo") {
  CHECK(sim::edit_distance("76/197", "76/179") == 1);
  CHECK(sim::edit_distance("76/197", "72/190") == 2);
  CHECK(sim::edit_distance("KAZ", "KAZ") == 0);
  CHECK(sim::edit_distance("", "KGZ") == 3);
  CHECK(sim::edit_distance("KAZ", "KZA") == 1);
  CHECK(sim::edit_distance("ab", "ba") == 1);
  CHECK(sim::edit_distance("abc", "ca") == 3);  // not a string rewritten twice (that would be 2)
}

TEST_CASE("a suggestion names the swap before an unrelated symbol and nothing far away") {
  CHECK(sim::suggestion("A/RES/76/197", {"A/RES/72/190", "A/RES/76/179"}) ==
        " (did you mean 'A/RES/76/179'?)");
  CHECK(sim::suggestion("TKN", {"TKM", "TJK"}) == " (did you mean 'TKM'?)");
  CHECK(sim::suggestion("XYZ", {"A/RES/76/179"}).empty());
  CHECK(sim::suggestion("KAZ", {}).empty());
}
