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

TEST_CASE("past the reported errors, the last line counts every error not shown") {
  // The command line used to cut the reported list again and count only what was collected, so
  // 300 errors were "81 more" after the first 20.
  for (const std::size_t total : {std::size_t{25}, std::size_t{130}, std::size_t{300}}) {
    sim::Diagnostics diagnostics;
    for (std::size_t index = 0; index < total; ++index) {
      diagnostics.error(sim::SourceLocation{"many.yaml", static_cast<int>(index) + 1, 1},
                        "bad value");
    }
    try {
      diagnostics.throw_if_any();
      FAIL("no error thrown");
    } catch (const sim::InputError& error) {
      const auto& reported = error.diagnostics();
      REQUIRE(reported.size() == sim::Diagnostics::kMaxReported + 1);
      CHECK(reported[sim::Diagnostics::kMaxReported - 1].location.line ==
            static_cast<int>(sim::Diagnostics::kMaxReported));
      CHECK(reported.back().to_string() ==
            "many.yaml: error: " + std::to_string(total - sim::Diagnostics::kMaxReported) +
                " more errors not shown; fix these first");
    }
  }
}

TEST_CASE("one error past the reported ones is counted in the singular") {
  sim::Diagnostics diagnostics;
  for (std::size_t index = 0; index <= sim::Diagnostics::kMaxReported; ++index) {
    diagnostics.error(sim::SourceLocation{"one.yaml", static_cast<int>(index) + 1, 1}, "bad value");
  }
  try {
    diagnostics.throw_if_any();
    FAIL("no error thrown");
  } catch (const sim::InputError& error) {
    CHECK(error.diagnostics().back().to_string() ==
          "one.yaml: error: 1 more error not shown; fix these first");
  }
}
