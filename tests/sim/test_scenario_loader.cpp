// The loader's reading of a country's offsets by tag, the names it accepts, and its messages for
// mistakes that used to load silently.
#include <catch2/catch.hpp>
#include <fstream>
#include <limits>
#include <string>

#include "results/run_pipeline.hpp"
#include "sim/diagnostics.hpp"
#include "sim/engine.hpp"
#include "sim/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace multivector;

namespace {

// Two votes a day apart, the second in a forum of its own; KAZ has fitted offsets for that forum.
std::string scenario_with_offsets(const std::string& decision_extra) {
  return R"(scenario: {id: offsets, start: 2022-01-01, end: 2022-12-31}
powers:
  RUS: {position: -1}
  WEST: {position: 1}
channels:
  trade: {weight: 1}
countries:
  KAZ: {exposure: {RUS: {trade: 0.5}}}
  KGZ: {exposure: {RUS: {trade: 0.7}}}
agenda:
  - {id: regular, date: 2022-03-01, tags: [human_rights_country], yes_points: west,
     stances: {RUS: N, WEST: Y}}
  - {id: special, date: 2022-03-02, tags: [human_rights_country, emergency_session],
     yes_points: west, stances: {RUS: N, WEST: Y}}
parameters:
  decision:
)" + decision_extra;
}

const std::string kFittedOffsets = R"(    offset_tags: [emergency_session]
    country_offsets:
      KAZ:
        orientation: 0.5
        by_tag: {emergency_session: {orientation: 2.0, participation: -1.5}}
)";

// The utility a country's run gave an option of an item, from the recorded decision.
double utility(const results::SimulatedRun& run, sim::Index item, sim::Index country,
               sim::Index option) {
  const auto* row = run.recorder->find_decision(item, country);
  REQUIRE(row != nullptr);
  return row->utility(option);
}

}  // namespace

TEST_CASE("a country's offsets by tag are read and applied only to the items with the tag") {
  const sim::Scenario scenario =
      sim::load_scenario_from_text(scenario_with_offsets(kFittedOffsets), "offsets.yaml");
  const sim::DecisionParameters& decision = scenario.parameters.decision;
  CHECK(decision.offset_tags == std::vector<std::string>{"emergency_session"});
  const sim::TagOffset& forum = decision.country_offsets.at("KAZ").by_tag.at("emergency_session");
  CHECK(forum.orientation == Approx(2.0));
  CHECK(forum.participation == Approx(-1.5));

  // Against the same scenario without the tag's offsets, KAZ's Yes gains exactly the tag's
  // orientation offset (lean +1) on the special item and nothing on the regular one; its not
  // voting loses 1.5 there. KGZ has no offsets and does not move.
  sim::Scenario without = scenario;
  without.parameters.decision.country_offsets.at("KAZ").by_tag.clear();
  const auto with_run = results::simulate(scenario, {});
  const auto without_run = results::simulate(without, {});
  const sim::Index regular = scenario.find_item("regular");
  const sim::Index special = scenario.find_item("special");
  const sim::Index kaz = scenario.find_country("KAZ");
  const sim::Index kgz = scenario.find_country("KGZ");
  CHECK(utility(with_run, regular, kaz, sim::kYes) ==
        Approx(utility(without_run, regular, kaz, sim::kYes)));
  CHECK(utility(with_run, special, kaz, sim::kYes) -
            utility(without_run, special, kaz, sim::kYes) ==
        Approx(2.0));
  CHECK(utility(with_run, special, kaz, sim::kNo) - utility(without_run, special, kaz, sim::kNo) ==
        Approx(-2.0));
  CHECK(utility(with_run, special, kaz, sim::kNotVoting) -
            utility(without_run, special, kaz, sim::kNotVoting) ==
        Approx(-1.5));
  CHECK(utility(with_run, special, kgz, sim::kYes) ==
        Approx(utility(without_run, special, kgz, sim::kYes)));
}

TEST_CASE("an offset for a tag the parameters do not list is still applied as fitted") {
  // A parameters file fitted with offset tags that a scenario does not list (or that a later
  // --params file replaced) must not lose its offsets in silence.
  const std::string unlisted = R"(    country_offsets:
      KAZ: {by_tag: {emergency_session: {orientation: 2.0}}}
)";
  const sim::Scenario scenario =
      sim::load_scenario_from_text(scenario_with_offsets(unlisted), "offsets.yaml");
  CHECK(scenario.parameters.decision.offset_tags.empty());
  CHECK(sim::applied_offset_tags(scenario.parameters.decision) ==
        std::vector<std::string>{"emergency_session"});
}

TEST_CASE("a drift held from drift_until moves no further on later items") {
  const sim::Scenario scenario = sim::load_scenario_from_text(
      scenario_with_offsets("    drift_reference: 2021-03-01\n    drift_until: 2022-03-01\n"),
      "drift.yaml");
  REQUIRE(scenario.parameters.decision.drift_until.has_value());
  const sim::Date until = *scenario.parameters.decision.drift_until;
  CHECK(sim::format_date(until) == "2022-03-01");
  // A year from the reference at the held date and on every later one; earlier dates as before.
  CHECK(sim::drift_years(scenario, until) == Approx(365.0 / 365.25));
  CHECK(sim::drift_years(scenario, sim::Date{until.days + 1000}) == Approx(365.0 / 365.25));
  CHECK(sim::drift_years(scenario, sim::Date{until.days - 365}) == Approx(0.0));
  try {
    (void)sim::load_scenario_from_text(scenario_with_offsets("    drift_until: 2022-13-01\n"),
                                       "drift.yaml");
    FAIL("no error");
  } catch (const sim::InputError& error) {
    CHECK_THAT(error.what(), Catch::Contains("drift.yaml:"));
    CHECK_THAT(error.what(), Catch::Contains("drift_until"));
  }
}

TEST_CASE("offset tags are checked like every other name") {
  CHECK(sim::is_valid_name("emergency_session"));
  CHECK(sim::is_valid_name("g7"));
  CHECK_FALSE(sim::is_valid_name("7g"));  // a name starts with a letter
  CHECK_FALSE(sim::is_valid_name("Emergency"));
  CHECK_FALSE(sim::is_valid_name(""));
  CHECK_FALSE(sim::is_valid_name(std::string(65, 'a')));
  const auto message_of = [](const std::string& decision_extra) {
    try {
      (void)sim::load_scenario_from_text(scenario_with_offsets(decision_extra), "offsets.yaml");
    } catch (const sim::InputError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  CHECK_THAT(message_of("    offset_tags: [emergency_session, emergency_session]\n"),
             Catch::Contains("'emergency_session' is listed twice"));
  CHECK_THAT(message_of("    offset_tags: [Emergency]\n"),
             Catch::Contains("'Emergency' is not a valid tag (a lower-case letter"));
  CHECK_THAT(
      message_of("    country_offsets:\n      KAZ: {by_tag: {emergency_session: {lean: 1}}}\n"),
      Catch::Contains("unknown key 'lean'"));
}

TEST_CASE("an empty list that would make an event or a group do nothing is an error") {
  // Left out, these keys are already errors; written as [] they used to load and silently turn the
  // event into a no-op, which reads like a what-if that changed nothing.
  const auto message_of = [](const std::string& members, const std::string& recipient,
                             const std::string& items, const std::string& options) {
    const std::string text = R"(scenario: {id: empty_lists, start: 2022-01-01, end: 2022-12-31}
powers: {RUS: {position: -1}}
channels: {trade: {weight: 1}}
countries:
  KAZ: {exposure: {RUS: {trade: 0.5}}}
  KGZ: {exposure: {RUS: {trade: 0.7}}}
groups: {C2: {members: )" + members +
                             R"(}}
agenda:
  - {id: vote, date: 2022-03-02, tags: [accountability], yes_points: west, stances: {RUS: N}}
events:
  - {id: note, date: 2022-03-01, source: RUS, recipient: )" +
                             recipient + ", event: THREATEN, items: " + items +
                             ", options: " + options + R"(, channel: trade, magnitude: 1,
     resolve: 0.3}
)";
    try {
      (void)sim::load_scenario_from_text(text, "empty_lists.yaml");
    } catch (const sim::InputError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  CHECK(message_of("[KAZ, KGZ]", "C2", "[vote]", "[A, NV]").empty());
  CHECK_THAT(message_of("[]", "KAZ", "[vote]", "[A, NV]"),
             Catch::Contains("empty_lists.yaml:7:") &&
                 Catch::Contains("groups.C2.members: a group needs at least one member"));
  CHECK_THAT(message_of("[KAZ, KGZ]", "[]", "[vote]", "[A, NV]"),
             Catch::Contains("recipient: an event needs at least one recipient"));
  CHECK_THAT(message_of("[KAZ, KGZ]", "C2", "[]", "[A, NV]"),
             Catch::Contains("'items' and 'item_tags' name no vote or statement"));
  CHECK_THAT(message_of("[KAZ, KGZ]", "C2", "[vote]", "[]"),
             Catch::Contains("options: a threat needs at least one option it punishes"));
  // Listed twice, an option's expected punishment used to count twice.
  CHECK_THAT(message_of("[KAZ, KGZ]", "C2", "[vote]", "[A, NV, NV]"),
             Catch::Contains("options: 'NV' is listed twice"));
}

TEST_CASE("switching off an event the scenario does not have names the nearest one") {
  // In a what-if file an entry {id, enabled: false} merges with the base's event of that id; with a
  // misspelt id it merged with nothing and was reported as an event missing its type.
  const std::string text = R"(scenario: {id: switch_off, start: 2022-01-01, end: 2022-12-31}
powers: {RUS: {position: -1}}
channels: {trade: {weight: 1}}
countries:
  KAZ: {exposure: {RUS: {trade: 0.5}}}
events:
  - {id: rus_note_2022_04_06, date: 2022-04-06, source: RUS, recipient: KAZ, event: SANCTION,
     channel: trade, magnitude: 0.5}
  - {id: rus_note_2022_04_07, enabled: false}
)";
  try {
    (void)sim::load_scenario_from_text(text, "switch_off.yaml");
    FAIL("a misspelt event was switched off without a word");
  } catch (const sim::InputError& error) {
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains("switch_off.yaml:9:") &&
                            Catch::Contains("there is no event 'rus_note_2022_04_07'") &&
                            Catch::Contains("rus_note_2022_04_06"));
    CHECK_THAT(message, !Catch::Contains("missing required key"));
  }
}

TEST_CASE("a YAML merge key gives a map the shared entries it does not give itself") {
  // `<<: *defaults` is how people write many similar countries; it used to be an unknown key '<<'.
  const std::string text = R"(scenario: {id: merge, start: 2022-01-01, end: 2022-12-31}
powers: {RUS: {position: -1}, WEST: {position: 1}}
channels: {trade: {weight: 1}}
countries:
  KAZ: &central_asian
    stay_out: 0.2
    exposure: {RUS: {trade: 0.5}}
  KGZ:
    <<: *central_asian
    stay_out: 0.4
  TJK:
    <<: [*central_asian, {orientation: {stubbornness: 0.9}}]
)";
  const sim::Scenario scenario = sim::load_scenario_from_text(text, "merge.yaml");
  const auto& kyrgyzstan = scenario.countries[static_cast<size_t>(scenario.find_country("KGZ"))];
  const auto& tajikistan = scenario.countries[static_cast<size_t>(scenario.find_country("TJK"))];
  const sim::Index russia = scenario.find_power("RUS");
  CHECK(kyrgyzstan.stay_out == Approx(0.4));  // its own value wins over the merged one
  CHECK(kyrgyzstan.exposure(russia, 0) == Approx(0.5));
  CHECK(tajikistan.stay_out == Approx(0.2));
  CHECK(tajikistan.stubbornness == Approx(0.9));
  try {
    (void)sim::load_scenario_from_text(
        "scenario: {id: merge, start: 2022-01-01, end: 2022-12-31}\nx:\n  <<: 3\n", "merge.yaml");
    FAIL("a merge key on a number was accepted");
  } catch (const sim::InputError& error) {
    CHECK_THAT(std::string(error.what()),
               Catch::Contains("merge.yaml:3:3: error: the merge key '<<' takes a map"));
  }
}

TEST_CASE("decision parameters outside the loader's limits are named with the loader's paths") {
  sim::Scenario scenario = sim::load_scenario("builtin:central_asia_2022.yaml");
  CHECK(sim::decision_parameters_out_of_range(scenario, scenario.parameters.decision).empty());
  sim::DecisionParameters decision = scenario.parameters.decision;
  decision.tag_intercepts["accountability"]["N"] = 1383.6;
  decision.persistence = std::numeric_limits<double>::quiet_NaN();
  decision.temperature = 0.0;
  decision.country_offsets["KAZ"].by_tag["emergency"].orientation = -1e3;  // the limit: accepted
  const auto refused = sim::decision_parameters_out_of_range(scenario, decision);
  REQUIRE(refused.size() == 3);
  CHECK(refused[0] == "parameters.decision.temperature = 0 (accepted: 1e-06 to 1000)");
  CHECK(refused[1] ==
        "parameters.decision.tag_intercepts.accountability.N = 1383.6 (accepted: -1000 to 1000)");
  CHECK(refused[2] == "parameters.decision.persistence = nan (accepted: -1000 to 1000)");
}

namespace {

// A small scenario: two countries, one vote tagged human_rights_country, and `extra` appended.
std::string small_scenario(const std::string& extra) {
  return R"(scenario: {id: small, start: 2022-01-01, end: 2022-12-31}
powers: {RUS: {position: -1}, WEST: {position: 1}}
channels: {trade: {weight: 1}}
countries:
  ARM: {name: Armenia, orientation: {prior: -0.3}, exposure: {RUS: {trade: 0.5}}}
  GEO: {name: Georgia, orientation: {prior: 0.6}, exposure: {RUS: {trade: 0.2}}}
agenda:
  - {id: hrc, date: 2022-04-07, tags: [accountability, human_rights_country], yes_points: west,
     stances: {RUS: N, WEST: Y}}
)" + extra;
}

// What loading `text` as `label` reports, or "" when it loads.
std::string load_errors(const std::string& text, const std::string& label) {
  try {
    (void)sim::load_scenario_from_text(text, label);
  } catch (const sim::InputError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a threat's item tag that no agenda item carries is an error with the nearest tag") {
  // A misspelt tag used to load, and the threat covered nothing.
  const auto threat = [](const std::string& tags) {
    return small_scenario(R"(events:
  - {id: note, date: 2022-04-06, source: RUS, recipient: ALL, event: THREATEN,
     item_tags: )" + tags +
                          R"(, options: [Y], magnitude: 0.5, resolve: 0.3}
)");
  };
  CHECK(load_errors(threat("[human_rights_country]"), "tags.yaml").empty());
  CHECK(load_errors(threat("[human_rigths_country]"), "tags.yaml") ==
        "tags.yaml:12:18: error: events.note.item_tags: no agenda item carries the tag "
        "'human_rigths_country' (did you mean 'human_rights_country'?)");
}

TEST_CASE("an event without a type is told so, without errors about keys of some type") {
  const std::string text = small_scenario(R"(events:
  - {id: aid, date: 2022-01-01, source: RUS, recipient: ARM, magnitude: 0.1, channel: trade}
)");
  CHECK(load_errors(text, "untyped.yaml") ==
        "untyped.yaml:11:5: error: events.aid: missing required key 'event' (one of THREATEN, "
        "SANCTION, AID, PROTECT or DISAPPROVE)");
  // A key no type has is still unknown, and the keys of every type are suggested.
  CHECK_THAT(load_errors(small_scenario(R"(events:
  - {id: aid, date: 2022-01-01, source: RUS, recipient: ARM, magnitud: 0.1}
)"),
                         "untyped.yaml"),
             Catch::Contains("unknown key 'magnitud' in events.aid (did you mean 'magnitude'?)"));
}

TEST_CASE("a what-if's country or event that is in no base must be a whole new one") {
  // A misspelt code in a what-if file used to add a country (or an event) silently, and leave the
  // one meant unchanged.
  testing::ScratchDirectory directory;
  std::ofstream(directory / "base.yaml") << small_scenario(R"(events:
  - {id: rus_note_2022_04_06, date: 2022-04-06, source: RUS, recipient: ALL, event: THREATEN,
     item_tags: [human_rights_country], options: [Y], magnitude: 0.5, resolve: 0.3}
)");
  const std::string whatif = (directory / "whatif.yaml").string();
  const std::string header = "extends: base.yaml\nscenario: {id: whatif}\n";
  CHECK(load_errors(header + "countries:\n  ARN:\n    exposure: {RUS: {trade: 0.3}}\n", whatif) ==
        whatif +
            ":4:3: error: countries.ARN: there is no country 'ARN' in the base scenario (did you "
            "mean 'ARM'?); a new country needs at least 'name' and 'orientation'");
  CHECK(load_errors(header + "events:\n  - {id: rus_note_2022_04_6, magnitude: 0.1}\n", whatif) ==
        whatif +
            ":4:5: error: events.rus_note_2022_04_6: there is no event 'rus_note_2022_04_6' in the "
            "base scenario (did you mean 'rus_note_2022_04_06'?), and as a new event it is "
            "missing the required key 'event' (one of THREATEN, SANCTION, AID, PROTECT or "
            "DISAPPROVE)");
  // Changing what the base has, and adding a whole country or event, still work.
  const std::string changes = header + R"(countries:
  ARM: {exposure: {RUS: {trade: 0.3}}}
  AZE: {name: Azerbaijan, orientation: {prior: 0.0}}
events:
  - {id: rus_note_2022_04_06, magnitude: 0.1}
  - {id: west_aid, date: 2022-05-01, source: WEST, recipient: GEO, event: AID, magnitude: 1}
)";
  const sim::Scenario scenario = sim::load_scenario_from_text(changes, whatif);
  CHECK(scenario.countries.size() == 3);
  CHECK(scenario.events.size() == 2);
  CHECK(scenario.events[0].magnitude == Approx(0.1));
}

TEST_CASE("a what-if's power, channel, norm, group or agenda item in no base must be whole") {
  // A misspelt id in these sections used to add an entry silently (or say only that a required
  // key was missing), and leave the one meant unchanged.
  testing::ScratchDirectory directory;
  std::ofstream(directory / "base.yaml") << small_scenario(R"(norms:
  territorial_integrity: {name: Territorial integrity, by_tag: {accountability: {Y: 1, N: -1}}}
groups:
  CSTO: {name: Collective Security Treaty Organization, members: [ARM]}
)");
  const std::string whatif = (directory / "whatif.yaml").string();
  const std::string header = "extends: base.yaml\nscenario: {id: whatif}\n";
  // Each section, and the error for its misspelt id (at line 4 of the what-if file).
  const std::vector<std::pair<std::string, std::string>> misspelt = {
      {"powers:\n  RUSS: {capacity: 0.5}\n",
       ":4:3: error: powers.RUSS: there is no power 'RUSS' in the base scenario (did you mean "
       "'RUS'?); a new power needs at least 'name' and 'position'"},
      {"channels:\n  tradee: {weight: 0.5}\n",
       ":4:3: error: channels.tradee: there is no channel 'tradee' in the base scenario (did you "
       "mean 'trade'?); a new channel needs at least 'name' and 'weight'"},
      {"norms:\n  territorial_integrityy: {default_sensitivity: 0.5}\n",
       ":4:3: error: norms.territorial_integrityy: there is no norm 'territorial_integrityy' in "
       "the base scenario (did you mean 'territorial_integrity'?); a new norm needs at least "
       "'name'"},
      {"groups:\n  CSTOO: {members: [ARM]}\n",
       ":4:3: error: groups.CSTOO: there is no group 'CSTOO' in the base scenario (did you mean "
       "'CSTO'?); a new group needs at least 'name' and 'members'"},
      {"agenda:\n  - {id: hrcc, salience: 0.5}\n",
       ":4:5: error: agenda.hrcc: there is no agenda item 'hrcc' in the base scenario (did you "
       "mean 'hrc'?); a new agenda item needs at least 'date'"},
  };
  for (const auto& [section, error] : misspelt) {
    CHECK(load_errors(header + section, whatif) == whatif + error);
  }
  // Changing what the base has, and adding whole new entries, still work.
  const std::string changes = header + R"(powers:
  RUS: {capacity: 0.5}
  CHN: {name: China, position: -0.3}
channels:
  trade: {weight: 0.5}
  energy: {name: Energy, weight: 0.2}
norms:
  territorial_integrity: {default_sensitivity: 0.5}
  neutrality: {name: Neutrality}
groups:
  CSTO: {members: [ARM, GEO]}
  SOUTH: {name: South Caucasus, members: [ARM, GEO]}
agenda:
  - {id: hrc, salience: 0.5}
  - {id: later, date: 2022-06-01, yes_points: west, stances: {RUS: N}}
)";
  const sim::Scenario scenario = sim::load_scenario_from_text(changes, whatif);
  CHECK(scenario.powers.size() == 3);
  CHECK(scenario.channels.size() == 2);
  CHECK(scenario.norms.size() == 2);
  CHECK(scenario.groups.size() == 2);
  REQUIRE(scenario.agenda.size() == 2);
  CHECK(scenario.agenda[0].salience == Approx(0.5));
}

TEST_CASE("extends with an empty list says the list is empty") {
  CHECK(load_errors("extends: []\nscenario: {id: x}\n", "empty.yaml") ==
        "empty.yaml:1:10: error: extends: the list of base scenarios is empty; name at least one "
        "base scenario, or remove the key");
}

TEST_CASE("a half-life of 0 days is refused, as it would mean no decay at all") {
  const auto with = [](const std::string& dynamics) {
    return small_scenario("parameters:\n  dynamics: {" + dynamics + "}\n");
  };
  CHECK(load_errors(with("inducement_half_life_days: 1, alarm_half_life_days: 1e6"), "h.yaml")
            .empty());
  CHECK(load_errors(with("inducement_half_life_days: 0"), "h.yaml") ==
        "h.yaml:11:41: error: parameters.dynamics.inducement_half_life_days must be more than 0 "
        "days (from 1e-06 to 1000000), got 0; a short half-life makes the effect fade fast, "
        "and for one that never fades give the largest");
  CHECK_THAT(load_errors(with("alarm_half_life_days: 0.0"), "h.yaml"),
             Catch::Contains("parameters.dynamics.alarm_half_life_days must be more than 0 days"));
  CHECK_THAT(load_errors(with("alarm_half_life_days: -1"), "h.yaml"),
             Catch::Contains("must be more than 0 days (from 1e-06 to 1000000), got -1"));
  CHECK_THAT(load_errors(with("alarm_half_life_days: 2e6"), "h.yaml"),
             Catch::Contains("must be more than 0 days (from 1e-06 to 1000000), got 2e6"));
}

TEST_CASE("a --set of an event that --drop-event removes is an error at the --set") {
  // --set applies before --drop-event, so the setting used to vanish with the event unsaid.
  sim::LoadOptions options;
  options.overrides = {"events.rus_note_hrc_2022_04_06.magnitude=0.5"};
  options.drop_events = {"rus_note_hrc_2022_04_06"};
  CHECK_THROWS_WITH(sim::load_scenario("builtin:central_asia_2022.yaml", options),
                    "--set events.rus_note_hrc_2022_04_06.magnitude=0.5: error: event "
                    "'rus_note_hrc_2022_04_06' is removed by --drop-event "
                    "rus_note_hrc_2022_04_06, so this setting would change nothing; drop one of "
                    "the two");
  // Setting another event, or dropping without a setting, still loads.
  options.overrides = {"powers.RUS.capacity=0.5"};
  CHECK_NOTHROW(sim::load_scenario("builtin:central_asia_2022.yaml", options));
}
