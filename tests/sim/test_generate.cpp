// Synthetic scenarios: whatever the sizes, generate writes what the loader accepts.
#include <catch2/catch.hpp>
#include <string>

#include "sim/generate.hpp"
#include "sim/scenario_loader.hpp"

using namespace multivector;

TEST_CASE("a generated scenario with one power or few items loads") {
  // With one power a statement's offence named P0 twice (a duplicate key), and with fewer items
  // than norms a threat could name a tag no item carries.
  for (const int powers : {1, 2, 3}) {
    for (const int items : {1, 2, 10, 25}) {
      sim::GenerateOptions options;
      options.countries = 2;
      options.days = 10;
      options.events = 10;
      options.items = items;
      options.powers = powers;
      INFO(powers << " powers, " << items << " items");
      const sim::Scenario scenario =
          sim::load_scenario_from_text(sim::generate_scenario_yaml(options), "generated.yaml");
      CHECK(static_cast<int>(scenario.powers.size()) == powers);
      CHECK(static_cast<int>(scenario.agenda.size()) == items);
      CHECK(static_cast<int>(scenario.events.size()) == 10);
    }
  }
}

TEST_CASE("a generated scenario is recognised by its header comment, and nothing else is") {
  sim::GenerateOptions options;
  options.countries = 2;
  options.days = 10;
  const std::string generated = sim::generate_scenario_yaml(options);
  CHECK(sim::is_generated_scenario(generated));
  // The command line writes its own comment line above the scenario's.
  CHECK(sim::is_generated_scenario("# Written by multivector 0.1.0: multivector generate\n" +
                                   generated));
  CHECK_FALSE(sim::is_generated_scenario("scenario:\n  id: mine\n"));
  CHECK_FALSE(sim::is_generated_scenario(""));
  // Quoted further down, the comment does not make a hand-written file a generated one.
  CHECK_FALSE(sim::is_generated_scenario("# mine\n# also mine\n" + generated));
}
