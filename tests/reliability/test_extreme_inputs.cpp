// Extreme but valid inputs run without undefined behaviour or overflow (the sanitizer build runs
// these too): every probability finite and summing to 1, every recorded number finite.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <string>

#include "results/recorder.hpp"
#include "sim/engine.hpp"
#include "sim/scenario_loader.hpp"

namespace {

using multivector::results::RunRecorder;
using multivector::sim::Scenario;

// Runs `scenario` and checks everything the recorder holds.
void run_and_check(const Scenario& scenario, bool trajectory, std::size_t expected_decisions) {
  RunRecorder recorder(scenario, trajectory);
  multivector::sim::Engine engine(scenario, multivector::sim::RunOptions{});
  engine.run(recorder);
  REQUIRE(recorder.decisions().size() == expected_decisions);
  for (const auto& row : recorder.decisions()) {
    REQUIRE(row.probability.allFinite());
    REQUIRE(row.utility.allFinite());
    REQUIRE(row.terms.allFinite());
    REQUIRE(row.probability.minCoeff() >= 0.0);
    REQUIRE(std::abs(row.probability.sum() - 1.0) < 1e-9);
  }
  for (const auto& step : recorder.trajectory()) {
    REQUIRE(step.values.allFinite());
  }
  const auto& state = engine.state();
  REQUIRE(state.orientation.allFinite());
  REQUIRE(state.credibility.allFinite());
  REQUIRE(state.costs_borne.allFinite());
  REQUIRE(state.inducement.allFinite());
  REQUIRE(state.alarm.allFinite());
}

// One event in flow style: "  - {id: ID, date: DATE, FIELDS}".
std::string event_line(const std::string& id, const std::string& date, const std::string& fields) {
  return "  - {id: " + id + ", date: " + date + ", " + fields + "}\n";
}

}  // namespace

TEST_CASE("all exposures 1 with the largest weights the validator allows",
          "[reliability][extreme]") {
  std::string text = R"(scenario: {id: saturated, start: 2022-01-01, end: 2022-12-31}
powers:
  RUS: {position: -1, capacity: 1000000, credibility: 1}
  WEST: {position: 1, capacity: 1000000, credibility: 1}
channels:
  trade: {weight: 1000000, substitutability: 0}
  energy: {weight: 1000000, substitutability: 0}
norms:
  territorial_integrity: {by_tag: {territorial_integrity: {Y: 1, N: -1}}}
groups:
  C5: {members: [KAZ, KGZ, TJK]}
countries:
)";
  for (const char* country : {"KAZ", "KGZ", "TJK"}) {
    text += std::string("  ") + country + R"(:
    orientation: {prior: 1, stubbornness: 0}
    stay_out: 1
    norms: {territorial_integrity: 1}
    exposure: {RUS: {trade: 1, energy: 1}, WEST: {trade: 1, energy: 1}}
    substitutability: {RUS: {trade: 0, energy: 0}, WEST: {trade: 0, energy: 0}}
    credibility: {RUS: 1, WEST: 1}
)";
  }
  text += "events:\n";
  for (int day = 1; day <= 28; ++day) {
    const std::string date = "2022-02-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    const std::string suffix = std::to_string(day);
    text += event_line("threat" + suffix, date,
                       "source: RUS, recipient: ALL, event: THREATEN, "
                       "item_tags: [territorial_integrity], options: [Y, A, NV], magnitude: 1, "
                       "resolve: 1, credibility: 1");
    text +=
        event_line("aid" + suffix, date, "source: WEST, recipient: C5, event: AID, magnitude: 100");
    text += event_line("speech" + suffix, date,
                       "source: RUS, recipient: ALL, event: DISAPPROVE, "
                       "norm: territorial_integrity, magnitude: 100");
    text += event_line("cut" + suffix, date,
                       "source: WEST, recipient: ALL, event: SANCTION, channel: all, magnitude: 1");
  }
  text += "agenda:\n";
  for (int month = 3; month <= 12; ++month) {
    const std::string date =
        "2022-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-15";
    text += "  - {id: vote" + std::to_string(month) + ", date: " + date +
            ", tags: [territorial_integrity], yes_points: west, salience: 100, "
            "stances: {RUS: N, WEST: Y}}\n";
  }
  text += R"(parameters:
  decision:
    intercepts: {Y: 1000, N: -1000, A: 1000, NV: -1000}
    leverage: {RUS: 1000, WEST: 1000}
    norms: {territorial_integrity: 1000}
    orientation: 1000
    persistence: 1000
    participation: -1000
  dynamics:
    inducement_weight: 1000
    alarm_per_magnitude: 1000
    orientation_power_pull: 1000
    orientation_peer_weight: 1000
)";
  const Scenario scenario = multivector::sim::load_scenario_from_text(text, "saturated.yaml");
  run_and_check(scenario, true, std::size_t{10} * 3);
}

TEST_CASE("the smallest choice temperature gives finite, one-hot probabilities",
          "[reliability][extreme]") {
  const std::string text = R"(scenario: {id: cold, start: 2022-01-01, end: 2022-01-31}
powers:
  RUS: {position: -1}
  WEST: {position: 1}
channels:
  trade: {}
countries:
  KAZ: {exposure: {RUS: {trade: 1}}}
  KGZ: {exposure: {WEST: {trade: 1}}}
  TJK: {}
agenda:
  - {id: tie, date: 2022-01-10, yes_points: west}
  - {id: lean, date: 2022-01-11, yes_points: west, stances: {RUS: N, WEST: Y}, salience: 100}
  - id: say
    kind: statement
    date: 2022-01-12
    options: {support: {lean: 1}, silence: {stay_out: true}, oppose: {lean: -1}}
parameters:
  decision:
    temperature: 0.000001
    intercepts: {Y: 0, N: 0, A: 0, NV: 0}
    leverage: {RUS: 1000, WEST: 1000}
)";
  const Scenario scenario = multivector::sim::load_scenario_from_text(text, "cold.yaml");
  RunRecorder recorder(scenario, false);
  multivector::sim::Engine(scenario, multivector::sim::RunOptions{}).run(recorder);
  REQUIRE(recorder.decisions().size() == 9);
  for (const auto& row : recorder.decisions()) {
    REQUIRE(row.probability.allFinite());
    REQUIRE(std::abs(row.probability.sum() - 1.0) < 1e-9);
    // At a temperature this low the modal option takes (almost) everything unless it ties.
    REQUIRE(row.probability(row.modal) >= 0.25);
  }
  // The same with sampled decisions: a draw from a one-hot distribution is its modal option.
  multivector::sim::RunOptions sampled;
  sampled.decisions = multivector::sim::DecisionMode::Sample;
  RunRecorder sampled_recorder(scenario, false);
  multivector::sim::Engine(scenario, sampled).run(sampled_recorder);
  for (const auto& row : sampled_recorder.decisions()) {
    REQUIRE(row.probability(row.realised) > 0.0);
  }
}

TEST_CASE("a million daily steps run without overflow", "[reliability][extreme]") {
  // One country and one power keep a million steps affordable under the sanitizers too; the
  // limit of docs/limits.md is exactly a million steps, so this is the longest scenario allowed.
  // 2000-01-01 plus 999,999 days is 4737-11-27.
  std::string text = R"(scenario: {id: long, start: 2000-01-01, end: 4737-11-27, step: 1d}
powers:
  RUS: {position: -1}
channels:
  trade: {}
norms:
  sovereignty: {}
countries:
  KAZ: {exposure: {RUS: {trade: 0.9}}, norms: {sovereignty: 1}}
events:
)";
  std::string agenda = "agenda:\n";
  for (int year = 2000; year < 4737; year += 100) {
    const std::string date = std::to_string(year) + "-06-01";
    const std::string suffix = std::to_string(year);
    text +=
        event_line("aid" + suffix, date, "source: RUS, recipient: ALL, event: AID, magnitude: 100");
    text +=
        event_line("cut" + suffix, date,
                   "source: RUS, recipient: KAZ, event: SANCTION, channel: trade, magnitude: 1");
    text += event_line("words" + suffix, date,
                       "source: RUS, recipient: KAZ, event: DISAPPROVE, norm: sovereignty, "
                       "magnitude: 100");
    text += event_line("threat" + suffix, date,
                       "source: RUS, recipient: KAZ, event: THREATEN, item_tags: [accountability], "
                       "options: [Y], magnitude: 1, resolve: 1, duration_days: 100000");
    agenda += "  - {id: vote" + std::to_string(year) + ", date: " + std::to_string(year) +
              "-07-01, tags: [accountability], yes_points: west, stances: {RUS: N}}\n";
  }
  text += agenda;
  const Scenario scenario = multivector::sim::load_scenario_from_text(text, "long.yaml");
  REQUIRE(scenario.steps() == 1'000'000);
  run_and_check(scenario, false, scenario.agenda.size());
}

TEST_CASE("a thousand powers' events on one day", "[reliability][extreme]") {
  std::string text = R"(scenario: {id: crowded, start: 2022-01-01, end: 2022-01-10}
channels:
  trade: {}
norms:
  sovereignty: {}
countries:
  KAZ: {exposure: {P0: {trade: 1}, P1: {trade: 1}, P999: {trade: 1}}}
  KGZ: {exposure: {P0: {trade: 1}}}
  TJK: {}
powers:
)";
  std::string events = "events:\n";
  std::string stances;
  for (int power = 0; power < 1000; ++power) {
    const std::string id = "P" + std::to_string(power);
    text += "  " + id + ": {position: " + std::to_string(power % 2 == 0 ? -1 : 1) +
            ", capacity: 1000000, credibility: 1}\n";
    const std::string common = ", date: 2022-01-05, source: " + id + ", recipient: ALL";
    events += "  - {id: threat_" + id + common + ", event: THREATEN, items: [vote], options: [" +
              (power % 2 == 0 ? "Y" : "N") + ", A], magnitude: 1, resolve: 1}\n";
    events += "  - {id: cut_" + id + common + ", event: SANCTION, channel: all, magnitude: 1}\n";
    events += "  - {id: aid_" + id + common + ", event: AID, magnitude: 100}\n";
    events += "  - {id: words_" + id + common +
              ", event: DISAPPROVE, norm: sovereignty, magnitude: 100}\n";
    if (power > 0) {
      const std::string other = "P" + std::to_string(power - 1);
      events += "  - {id: shield_" + id + common + ", event: PROTECT, against: " + other +
                ", magnitude: 1}\n";
    }
    stances += (stances.empty() ? "" : ", ") + id + ": " + (power % 2 == 0 ? "N" : "Y");
  }
  text += events;
  text += "agenda:\n  - {id: vote, date: 2022-01-06, yes_points: west, salience: 100, stances: {" +
          stances + "}}\n";
  const Scenario scenario = multivector::sim::load_scenario_from_text(text, "crowded.yaml");
  REQUIRE(scenario.powers.size() == 1000);
  REQUIRE(scenario.events.size() == 4999);
  run_and_check(scenario, true, 3);
}
