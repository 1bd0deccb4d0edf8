// Resolution symbols in one spelling, so a scenario, a recorded-vote file and the command line
// that write them differently still name the same resolution.
#include <catch2/catch.hpp>
#include <string>

#include "sim/input_files.hpp"
#include "sim/resolution_symbol.hpp"
#include "sim/scenario_loader.hpp"

using namespace multivector;
using sim::canonical_resolution_symbol;

TEST_CASE("resolution symbols are read in the UN's spelling") {
  CHECK(canonical_resolution_symbol("A/RES/68/262") == "A/RES/68/262");
  CHECK(canonical_resolution_symbol("77/229") == "A/RES/77/229");
  CHECK(canonical_resolution_symbol(" a/res/es-11/1 ") == "A/RES/ES-11/1");
  CHECK(canonical_resolution_symbol("es-11/5") == "A/RES/ES-11/5");
  CHECK(canonical_resolution_symbol("S-27/2\r") == "A/RES/S-27/2");
}

TEST_CASE("anything that is not a bare or prefixed symbol is kept as written") {
  // Labels users choose, decisions and old-style symbols must not merge with a real symbol.
  CHECK(canonical_resolution_symbol("R/vote_10") == "R/vote_10");
  CHECK(canonical_resolution_symbol("my label") == "my label");
  CHECK(canonical_resolution_symbol("1514 (XV)") == "1514 (XV)");
  CHECK(canonical_resolution_symbol("77/229A") == "77/229A");
  CHECK(canonical_resolution_symbol("/229") == "/229");
  CHECK(canonical_resolution_symbol("77/") == "77/");
  CHECK(canonical_resolution_symbol("ES-/1") == "ES-/1");
  CHECK(canonical_resolution_symbol("").empty());
}

TEST_CASE("a scenario's items are found by id or by the symbol in any spelling") {
  const sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario));
  const sim::Index by_id = scenario.find_item("ES-11/3");
  REQUIRE(by_id >= 0);
  CHECK(scenario.agenda[static_cast<size_t>(by_id)].resolution == "A/RES/ES-11/3");
  CHECK(scenario.find_item_or_resolution("ES-11/3") == by_id);
  CHECK(scenario.find_item_or_resolution("A/RES/ES-11/3") == by_id);
  CHECK(scenario.find_item_or_resolution("a/res/es-11/3") == by_id);
  CHECK(scenario.find_item_or_resolution("A/RES/ES-11/9") == -1);
  // The symbol as a scenario writes it is stored in the UN's spelling.
  const sim::Scenario written =
      sim::load_scenario_from_text(std::string("extends: ") + MULTIVECTOR_SOURCE_DIR +
                                       R"(/scenarios/central_asia_2022.yaml
agenda:
  - id: extra
    resolution: " es-11/5"
    date: 2022-11-14
    tags: [aggression]
    yes_points: west
)",
                                   "extra.yaml");
  const sim::Index extra = written.find_item("extra");
  REQUIRE(extra >= 0);
  CHECK(written.agenda[static_cast<size_t>(extra)].resolution == "A/RES/ES-11/5");
  CHECK(written.find_item_or_resolution("ES-11/5") == extra);
}
