// The engine end to end: retaliation, learning, replay, counterfactuals and the default scenario's
// acceptance figures (issue 2).
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>

#include "results/history.hpp"
#include "results/run_pipeline.hpp"
#include "results/vote_table.hpp"
#include "sim/engine.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_paths.hpp"

using namespace multivector;
using sim::Index;

namespace {

// One country, one power, one threatened vote: small enough to follow every step.
std::string threat_scenario(double resolve, const std::string& threatened_options) {
  return R"(
scenario: {id: threat, start: 2022-04-01, end: 2022-04-20, seed: 7}
powers: {RUS: {position: -1, credibility: 0.5}}
channels: {trade: {weight: 1}}
countries:
  AAA:
    orientation: {prior: 0.0, stubbornness: 1.0}
    stay_out: 0.05
    exposure: {RUS: {trade: 0.8}}
agenda:
  - {id: vote1, date: 2022-04-07, tags: [accountability], yes_points: west, stances: {RUS: N}}
events:
  - id: note
    date: 2022-04-06
    source: RUS
    recipient: AAA
    event: THREATEN
    items: [vote1]
    options: )" +
         threatened_options +
         R"(
    channel: trade
    magnitude: 1.0
    resolve: )" +
         std::to_string(resolve) +
         R"(
parameters:
  decision: {intercepts: {Y: 0, N: -5, A: 2, NV: -5}, leverage: {RUS: 1.0}}
  dynamics: {credibility_learning_rate: 0.5, peer_learning_share: 0.5, diversification_rate: 0.0}
)";
}

// Adds a peer in the same group, to watch credibility spread to group-mates.
std::string with_second_country(std::string text) {
  const std::string marker = "agenda:";
  text.insert(text.find(marker),
              "  BBB: {orientation: {prior: 0.0}, stay_out: 0.05}\ngroups: {PEERS: {members: [AAA, "
              "BBB]}}\n");
  return text;
}

// Two runs decided every decision with exactly the same probabilities.
void check_same_probabilities(const results::RunRecorder& expected,
                              const results::RunRecorder& actual) {
  REQUIRE(expected.decisions().size() == actual.decisions().size());
  for (size_t row = 0; row < actual.decisions().size(); ++row) {
    CHECK((expected.decisions()[row].probability - actual.decisions()[row].probability)
              .abs()
              .maxCoeff() == 0.0);
  }
}

const sim::EventRecord* find_event(const results::RunRecorder& recorder, const std::string& id,
                                   sim::EventPhase phase) {
  for (const auto& event : recorder.events()) {
    if (event.id.find(id) == 0 && event.phase == phase) {
      return &event;
    }
  }
  return nullptr;
}

double credibility_on(const results::RunRecorder& recorder, const std::string& date,
                      Index country) {
  const auto columns = recorder.trajectory_columns();
  const auto column =
      std::find(columns.begin(), columns.end(), "credibility_RUS") - columns.begin();
  for (const auto& step : recorder.trajectory()) {
    if (sim::format_date(step.date) == date) {
      return step.values(country, column);
    }
  }
  FAIL("no trajectory row on " << date);
  return 0.0;
}

std::string modal_vote(const results::RunRecorder& recorder, const std::string& item,
                       const std::string& country) {
  const sim::Scenario& scenario = recorder.scenario();
  const auto* row =
      recorder.find_decision(scenario.find_item(item), scenario.find_country(country));
  REQUIRE(row != nullptr);
  return scenario.agenda[static_cast<size_t>(row->item)].options[static_cast<size_t>(row->modal)];
}

double probability_of(const results::RunRecorder& recorder, const std::string& item,
                      const std::string& country, Index option) {
  const sim::Scenario& scenario = recorder.scenario();
  const auto* row =
      recorder.find_decision(scenario.find_item(item), scenario.find_country(country));
  REQUIRE(row != nullptr);
  return row->probability(option);
}

results::SimulatedRun run_text(const std::string& yaml, sim::RunOptions options = {}) {
  return results::simulate(sim::load_scenario_from_text(yaml, "test.yaml"), options);
}

}  // namespace

TEST_CASE("a carried-out threat becomes a sanction the next day and raises credibility") {
  // Abstaining is threatened but still chosen (intercepts make A dominant); resolve 1 means the
  // power always retaliates.
  const auto run = run_text(with_second_country(threat_scenario(1.0, "[A]")));
  const auto& recorder = *run.recorder;
  CHECK(modal_vote(recorder, "vote1", "AAA") == "A");
  const auto* retaliation =
      find_event(recorder, "retaliation:note:AAA:vote1", sim::EventPhase::Fired);
  REQUIRE(retaliation != nullptr);
  CHECK(sim::format_date(retaliation->date) == "2022-04-08");
  CHECK_FALSE(retaliation->scheduled);
  CHECK(retaliation->cause == "AAA chose A on vote1 under threat note");
  // q ← (1 − 0.5)·0.5 + 0.5·1 = 0.75 for the target; its peer learns at half the rate: 0.625.
  CHECK(credibility_on(recorder, "2022-04-07", 0) == Approx(0.5));
  CHECK(credibility_on(recorder, "2022-04-08", 0) == Approx(0.75));
  CHECK(credibility_on(recorder, "2022-04-08", 1) == Approx(0.625));
}

TEST_CASE("a period that is not a whole number of steps ends with a shorter step on the end date") {
  // Weekly steps from 1 April to 20 April fall on the 1st, 8th and 15th, and then on the 20th;
  // an item dated the 18th gets a step of its own that day, and aid fired on the 15th decays for
  // three days to the 18th and two more to the 20th.
  std::string text = threat_scenario(0.0, "[A]");
  text.replace(text.find("seed: 7}"), 8, "seed: 7, step: 1w}");
  text.replace(
      text.find("agenda:\n"), 8,
      "agenda:\n  - {id: late, date: 2022-04-18, tags: [accountability], yes_points: west, "
      "stances: {RUS: N}}\n");
  text.replace(text.find("events:\n"), 8,
               "events:\n  - {id: gift, date: 2022-04-15, source: RUS, recipient: AAA, event: AID, "
               "magnitude: 1.0}\n");
  text.replace(text.find("  dynamics: {"), 13, "  dynamics: {inducement_half_life_days: 5, ");
  const auto run = run_text(text);
  const auto& recorder = *run.recorder;
  // 1, 6 (the note), 7 (vote1), 8, 15, 18 (late), 20.
  CHECK(recorder.scenario().steps() == 7);
  REQUIRE(recorder.trajectory().size() == 7);
  CHECK(sim::format_date(recorder.trajectory().back().date) == "2022-04-20");
  const auto* late = recorder.find_decision(recorder.scenario().find_item("late"), 0);
  REQUIRE(late != nullptr);
  CHECK(sim::format_date(late->date) == "2022-04-18");
  const auto columns = recorder.trajectory_columns();
  const auto inducement =
      std::find(columns.begin(), columns.end(), "inducement_RUS") - columns.begin();
  REQUIRE(inducement < static_cast<std::ptrdiff_t>(columns.size()));
  CHECK(recorder.trajectory()[4].values(0, inducement) == Approx(1.0));
  CHECK(recorder.trajectory()[5].values(0, inducement) == Approx(std::pow(2.0, -3.0 / 5.0)));
  // Five days at a half-life of five: one half, not the 2^(−7/5) of a whole week.
  CHECK(recorder.trajectory()[6].values(0, inducement) == Approx(0.5));
}

TEST_CASE("with weekly steps, events and votes between step days happen on their own dates") {
  // The threat on abstaining is dated the 6th and the vote the 7th, both between the weekly steps
  // of the 1st and the 8th. Before each got a step of its own, both waited for the 8th, the vote
  // was recorded on the 8th, and a threat dated the 8th (after the vote) still moved it.
  const auto weekly = [](std::string text, const std::string& threat_date) {
    text.replace(text.find("seed: 7}"), 8, "seed: 7, step: 1w}");
    text.replace(text.find("date: 2022-04-06"), 16, "date: " + threat_date);
    return text;
  };
  const std::string base = threat_scenario(0.0, "[A]");
  sim::LoadOptions without_threat;
  without_threat.drop_events = {"note"};
  const auto unthreatened = results::simulate(
      sim::load_scenario_from_text(weekly(base, "2022-04-06"), "test.yaml", without_threat), {});
  const auto threatened_before = run_text(weekly(base, "2022-04-06"));
  const auto threatened_after = run_text(weekly(base, "2022-04-08"));
  const auto* vote = threatened_before.recorder->find_decision(
      threatened_before.recorder->scenario().find_item("vote1"), 0);
  REQUIRE(vote != nullptr);
  CHECK(sim::format_date(vote->date) == "2022-04-07");
  CHECK_FALSE(vote->threats.empty());
  CHECK(probability_of(*threatened_before.recorder, "vote1", "AAA", 2) <
        probability_of(*unthreatened.recorder, "vote1", "AAA", 2));
  check_same_probabilities(*unthreatened.recorder, *threatened_after.recorder);
}

TEST_CASE("sampled votes and retaliations do not depend on the order of a scenario's entries") {
  // The same scenario written with its countries and its agenda items in the other order: every
  // draw is keyed by ids, so each sampled vote and each retaliation is the same.
  const auto scenario_text = [](bool reversed) {
    const std::string first_country =
        "  AAA: {orientation: {prior: 0.0}, stay_out: 0.3, "
        "exposure: {RUS: {trade: 0.8}}}\n";
    const std::string second_country =
        "  BBB: {orientation: {prior: 0.2}, stay_out: 0.3, "
        "exposure: {RUS: {trade: 0.6}}}\n";
    const std::string first_item =
        "  - {id: vote1, date: 2022-04-07, tags: [accountability], "
        "yes_points: west, stances: {RUS: N}}\n";
    const std::string second_item =
        "  - {id: vote2, date: 2022-04-07, tags: [humanitarian], "
        "yes_points: west, stances: {RUS: N}}\n";
    return "scenario: {id: order, start: 2022-04-01, end: 2022-04-20, seed: 7}\n"
           "powers: {RUS: {position: -1, credibility: 0.5}}\n"
           "channels: {trade: {weight: 1}}\n"
           "countries:\n" +
           (reversed ? second_country + first_country : first_country + second_country) +
           "agenda:\n" + (reversed ? second_item + first_item : first_item + second_item) +
           "events:\n"
           "  - {id: note, date: 2022-04-06, source: RUS, recipient: [AAA, BBB], event: THREATEN,\n"
           "     items: [vote1, vote2], options: [Y, A, NV], channel: trade, magnitude: 1.0,\n"
           "     resolve: 0.5}\n"
           "parameters:\n"
           "  decision: {intercepts: {Y: 0.5, N: 0, A: 0.5, NV: 0}, leverage: {RUS: 1.0}}\n";
  };
  // Each decision and each fired retaliation, named by ids.
  const auto outcomes = [](const results::RunRecorder& recorder) {
    const sim::Scenario& scenario = recorder.scenario();
    std::set<std::string> named;
    for (const auto& row : recorder.decisions()) {
      const auto& item = scenario.agenda[static_cast<size_t>(row.item)];
      named.insert(item.id + ":" + scenario.countries[static_cast<size_t>(row.country)].id + ":" +
                   item.options[static_cast<size_t>(row.realised)]);
    }
    for (const auto& event : recorder.events()) {
      if (event.phase == sim::EventPhase::Fired && !event.scheduled) {
        named.insert(event.id);
      }
    }
    return named;
  };
  bool any_retaliation = false;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    sim::RunOptions options;
    options.decisions = sim::DecisionMode::Sample;
    options.seed = seed;
    const auto in_order = outcomes(*run_text(scenario_text(false), options).recorder);
    const auto reversed = outcomes(*run_text(scenario_text(true), options).recorder);
    CHECK(in_order == reversed);
    any_retaliation = any_retaliation || in_order.size() > 4;
  }
  // Some seeds must retaliate, or the comparison says nothing about the retaliation draws.
  CHECK(any_retaliation);
}

TEST_CASE("a threat that lapses lowers credibility and is logged with its cause") {
  const auto run = run_text(threat_scenario(0.0, "[A]"));
  const auto& recorder = *run.recorder;
  const auto* lapse = find_event(recorder, "note", sim::EventPhase::Lapsed);
  REQUIRE(lapse != nullptr);
  CHECK(lapse->cause == "AAA chose A on vote1 and RUS did not carry out the threat");
  CHECK(find_event(recorder, "retaliation:", sim::EventPhase::Fired) == nullptr);
  // The trajectory shows the credibility each day's decisions used, so the lapse on 7 April
  // shows on the 8th: (1 − 0.5)·0.5 + 0.5·0.
  CHECK(credibility_on(recorder, "2022-04-07", 0) == Approx(0.5));
  CHECK(credibility_on(recorder, "2022-04-08", 0) == Approx(0.25));
}

TEST_CASE("a threat on an option adds expected punishment to that option only") {
  const auto threatened = run_text(threat_scenario(0.3, "[A]"));
  const auto unthreatened = run_text(threat_scenario(0.3, "[NV]"));
  const auto& row = *threatened.recorder->find_decision(0, 0);
  const agents::TermLayout terms{1, 0};
  // pressure = m·q·credibility·magnitude·V_trade = 1·0.5·1·1·(1·0.8·1); term = −γ·σ·pressure
  CHECK(row.terms(sim::kAbstain, terms.threat(0)) == Approx(-0.4));
  CHECK(row.terms(sim::kYes, terms.threat(0)) == Approx(0.0));
  CHECK(probability_of(*threatened.recorder, "vote1", "AAA", sim::kAbstain) <
        probability_of(*unthreatened.recorder, "vote1", "AAA", sim::kAbstain));
}

TEST_CASE("replay imposes recorded choices while still computing the rule's probabilities") {
  sim::Scenario scenario = sim::load_scenario_from_text(threat_scenario(1.0, "[A]"), "t.yaml");
  sim::ReplayChoices replay;
  replay.countries = 1;
  replay.option = {sim::kNo};  // the country "did" vote No
  sim::RunOptions options;
  options.replay = &replay;
  const auto run = results::simulate(scenario, options);
  const auto* row = run.recorder->find_decision(0, 0);
  REQUIRE(row != nullptr);
  CHECK(row->realised == sim::kNo);
  CHECK(row->modal == sim::kAbstain);  // what the rule would have chosen
  // Voting No is not threatened, so no retaliation follows.
  CHECK(find_event(*run.recorder, "retaliation:", sim::EventPhase::Fired) == nullptr);
}

TEST_CASE("the default scenario reproduces at least 22 of the 25 recorded Central Asian votes") {
  const sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario));
  const auto history = results::load_tidy_votes(scenario.info.compare_with);
  const auto run = results::simulate(scenario, {});
  results::VoteTableSummary summary;
  (void)results::format_vote_table(*run.recorder, history, summary);
  CHECK(summary.compared == 25);
  CHECK(summary.matched >= 22);
}

TEST_CASE(
    "in the default scenario Kazakhstan invokes territorial integrity and the others stay "
    "silent") {
  const auto run = results::simulate(sim::load_scenario(std::string(sim::kDefaultScenario)), {});
  CHECK(modal_vote(*run.recorder, "referendums_statement", "KAZ") ==
        "support_territorial_integrity");
  for (const char* country : {"KGZ", "TJK", "UZB", "TKM"}) {
    CHECK(modal_vote(*run.recorder, "referendums_statement", country) == "silence");
  }
}

TEST_CASE("without Russia's note of 6 April, at least 3 of the 4 voting states move off No") {
  sim::LoadOptions options;
  options.drop_events = {"rus_note_hrc_2022_04_06"};
  const auto with_note =
      results::simulate(sim::load_scenario(std::string(sim::kDefaultScenario)), {});
  const auto without_note =
      results::simulate(sim::load_scenario(std::string(sim::kDefaultScenario), options), {});
  int moved = 0;
  for (const char* country : {"KAZ", "KGZ", "TJK", "UZB"}) {
    const bool no_with_note = modal_vote(*with_note.recorder, "ES-11/3", country) == "N";
    const bool no_without_note = modal_vote(*without_note.recorder, "ES-11/3", country) == "N";
    CHECK_FALSE((no_without_note && !no_with_note));  // dropping a threat never creates a No
    moved += no_with_note && !no_without_note ? 1 : 0;
  }
  CHECK(moved >= 3);
}

TEST_CASE("cutting Tajikistan's remittance exposure to Russia lowers its probability of No") {
  double previous = 2.0;
  for (const char* exposure : {"0.85", "0.5", "0.2", "0.0"}) {
    sim::LoadOptions options;
    options.overrides = {std::string("countries.TJK.exposure.RUS.remittances=") + exposure};
    const auto run =
        results::simulate(sim::load_scenario(std::string(sim::kDefaultScenario), options), {});
    const double p_no = probability_of(*run.recorder, "ES-11/3", "TJK", sim::kNo);
    CHECK(p_no < previous);
    previous = p_no;
  }
}

TEST_CASE("property: more exposure to Russia never lowers the probability of Russia's option") {
  // Through the whole engine: for every country and every exposure channel of the default
  // scenario, raising the exposure never lowers the probability of No on ES-11/3 (Russia's stance).
  const sim::Scenario base = sim::load_scenario(std::string(sim::kDefaultScenario));
  for (const auto& country : base.countries) {
    for (const auto& channel : base.channels) {
      const auto input = sim::resolve_numeric_input(
          base, "countries." + country.id + ".exposure.RUS." + channel.id, {});
      double previous = -1.0;
      for (int quarters = 0; quarters <= 4; ++quarters) {
        const double exposure = 0.25 * quarters;
        sim::Scenario scenario = base;
        input.set(scenario, exposure);
        const auto run = results::simulate(std::move(scenario), {}, false);
        const double p_no = probability_of(*run.recorder, "ES-11/3", country.id, sim::kNo);
        INFO(country.id << " " << channel.id << " exposure " << exposure);
        CHECK(p_no >= previous - 1e-12);
        previous = p_no;
      }
    }
  }
}

TEST_CASE("setting a value by typed path equals setting it with --set") {
  const std::string path = "countries.KAZ.exposure.RUS.transit";
  sim::LoadOptions options;
  options.overrides = {path + "=0.3"};
  const auto by_override =
      results::simulate(sim::load_scenario(std::string(sim::kDefaultScenario), options), {});
  sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario));
  sim::resolve_numeric_input(scenario, path, {}).set(scenario, 0.3);
  const auto by_path = results::simulate(std::move(scenario), {});
  check_same_probabilities(*by_override.recorder, *by_path.recorder);
}

TEST_CASE("a power's credibility set by typed path leaves a country's own, as --set does") {
  // Kazakhstan declares its own credibility for Russia; the power's is everyone else's default.
  const std::string own = "countries.KAZ.credibility.RUS";
  const std::string power = "powers.RUS.credibility";
  sim::LoadOptions declared;
  declared.overrides = {own + "=0.9"};
  sim::LoadOptions both = declared;
  both.overrides.push_back(power + "=0.2");
  const sim::Scenario by_override = sim::load_scenario(std::string(sim::kDefaultScenario), both);
  const auto run_by_override = results::simulate(by_override, {});

  sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario), declared);
  sim::resolve_numeric_input(scenario, power, {}).set(scenario, 0.2);
  const auto kazakhstan = static_cast<size_t>(scenario.find_country("KAZ"));
  const auto tajikistan = static_cast<size_t>(scenario.find_country("TJK"));
  const auto russia = scenario.find_power("RUS");
  CHECK(scenario.countries[kazakhstan].credibility(russia) == 0.9);
  CHECK(scenario.countries[tajikistan].credibility(russia) == 0.2);
  CHECK(by_override.countries[kazakhstan].credibility(russia) == 0.9);
  const auto run_by_path = results::simulate(std::move(scenario), {});
  check_same_probabilities(*run_by_override.recorder, *run_by_path.recorder);

  // A country's own value set by typed path is declared too, whichever is applied first.
  sim::Scenario power_first = sim::load_scenario(std::string(sim::kDefaultScenario));
  sim::resolve_numeric_input(power_first, power, {}).set(power_first, 0.2);
  sim::resolve_numeric_input(power_first, own, {}).set(power_first, 0.9);
  sim::resolve_numeric_input(power_first, power, {}).set(power_first, 0.3);
  CHECK(power_first.countries[kazakhstan].credibility(russia) == 0.9);
  CHECK(power_first.countries[tajikistan].credibility(russia) == 0.3);
}

TEST_CASE("unknown typed paths are rejected with the nearest valid one") {
  const sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario));
  try {
    (void)sim::resolve_numeric_input(scenario, "countries.KAZ.exposure.RUS.trnsit",
                                     sim::SourceLocation{"--vary", 0, 0});
    FAIL("no error");
  } catch (const sim::InputError& error) {
    CHECK(std::string(error.what()) ==
          "--vary: error: unknown or non-numeric path 'countries.KAZ.exposure.RUS.trnsit' (did "
          "you mean 'countries.KAZ.exposure.RUS.transit'?)");
  }
}

TEST_CASE("items are similar when they share kind and type (first tag)") {
  sim::AgendaItem first;
  first.tags = {"territorial_integrity", "aggression"};
  sim::AgendaItem second;
  second.tags = {"territorial_integrity", "annexation"};
  sim::AgendaItem third;
  third.tags = {"human_rights_country", "aggression"};
  CHECK(sim::items_similar(first, second));
  CHECK_FALSE(sim::items_similar(first, third));
  second.kind = sim::ItemKind::Statement;
  CHECK_FALSE(sim::items_similar(first, second));
}

TEST_CASE("tags a fitted parameter set has no intercept for are named with their items") {
  sim::DecisionParameters decision;
  sim::AgendaItem reparation;
  reparation.id = "ES-11/5";
  reparation.tags = {"reparations", "aggression", "emergency_session"};
  sim::AgendaItem tribunal;
  tribunal.id = "tribunal";
  tribunal.tags = {"aggression", "reparations", "tribunal"};
  sim::AgendaItem statement;
  statement.id = "speech";
  statement.kind = sim::ItemKind::Statement;
  statement.tags = {"annexation_statement"};
  const std::vector<sim::AgendaItem> items{reparation, tribunal, statement};
  // Parameters nobody fitted have no tag intercepts: nothing to say about any tag.
  CHECK(sim::tags_without_intercepts(items, decision).empty());

  decision.tag_intercepts["aggression"] = {{"A", -1.5}};
  decision.tag_intercepts["emergency_session"] = {{"A", -1.2}};
  const auto unfitted = sim::tags_without_intercepts(items, decision);
  // In order of first appearance; statements' tags are not the decision rule's intercepts.
  REQUIRE(unfitted.size() == 2);
  CHECK(unfitted[0].tag == "reparations");
  CHECK(unfitted[0].items == std::vector<std::string>{"ES-11/5", "tribunal"});
  CHECK(unfitted[1].tag == "tribunal");
  CHECK(unfitted[1].items == std::vector<std::string>{"tribunal"});
  const std::string line = sim::describe_tag_without_intercept(unfitted[0], decision);
  CHECK_THAT(line, Catch::StartsWith("tag 'reparations' (on ES-11/5, tribunal) has no fitted "
                                     "intercept"));
  CHECK_THAT(line, Catch::Contains("Fitted tags: aggression emergency_session."));
}

TEST_CASE("a typographic minus sign in a --set value reads as a minus, as explain prints it") {
  // explain prints its tipping points with U+2212; pasting one into --set must set the number.
  const std::string path = "countries.KAZ.orientation.prior";
  sim::LoadOptions typographic;
  typographic.overrides = {path + "=\u22120.25"};
  const sim::Scenario scenario =
      sim::load_scenario(std::string(sim::kDefaultScenario), typographic);
  CHECK(sim::resolve_numeric_input(scenario, path, {}).get(scenario) == -0.25);
  sim::LoadOptions list;
  list.overrides = {"countries.KAZ.orientation={prior: \u2212.5}"};
  const sim::Scenario from_list = sim::load_scenario(std::string(sim::kDefaultScenario), list);
  CHECK(sim::resolve_numeric_input(from_list, path, {}).get(from_list) == -0.5);
  // A minus sign that is not before a number stays text, and the loader says what it expected.
  sim::LoadOptions word;
  word.overrides = {path + "=\u2212x"};
  CHECK_THROWS_AS(sim::load_scenario(std::string(sim::kDefaultScenario), word), sim::InputError);
}
