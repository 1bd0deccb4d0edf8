// explain on a hand-built two-option case (tests/data/explain/two_options.yaml) where every
// probability, term and flipping threshold is worked out by hand below.
//
// TJK depends on RUS through remittances (weight 0.8, exposure 0.5, substitutability 0) and trade
// (weight 0.5, exposure 0.2, substitutability 0.5):
//   V = 0.8·0.5·1 + 0.5·0.2·0.5 = 0.40 + 0.05 = 0.45; L = m·q̃·V = 2 · 0.5 · 0.45 = 0.45.
// The threat rus_warning (magnitude 0.2, credibility 1) punishes speak_out with pressure
//   m·q̃·credibility·magnitude·V = 2 · 0.5 · 1 · 0.2 · 0.45 = 0.09.
// With γ = 1, σ = 1, β = 1, x = 0.2 (orientation never moves) and α(speak_out) = 0.5:
//   U(speak_out) = 0.5 + 0.2 − 0.45 − 0.09 = 0.16, U(stay_quiet) = 0, P(speak_out) = σ(0.16).
// The leverage term −0.45 splits by channel share: remittances 0.40/0.45, trade 0.05/0.45.
// Flipping thresholds (U(speak_out) = 0): orientation prior x = 0.04 (a change of 0.16 over a
// range of 2, i.e. 8%); credibility q: 0.7 − 1.08 q = 0 → q = 0.648148; remittance exposure e:
// 0.64 − 0.96 e = 0 → e = 2/3; the threat's magnitude μ: 0.25 − 0.45 μ = 0 → μ = 5/9.
#include <catch2/catch.hpp>
#include <cmath>
#include <regex>
#include <sstream>

#include "results/explain.hpp"
#include "results/run_directory.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace multivector;
using namespace multivector::results;
using multivector::testing::logistic;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;
using multivector::testing::test_data;

namespace {

std::string scenario_path() {
  return test_data("explain/two_options.yaml");
}

// Tajikistan on the statement "speak"; the search for flipping inputs is slow and is left to
// the tests about it.
ExplainRequest speak_request(bool search_inputs = true) {
  ExplainRequest request;
  request.country = "TJK";
  request.item = "speak";
  request.search_inputs = search_inputs;
  return request;
}

Explanation explain_two_options(const sim::LoadOptions& load = {}) {
  const sim::Scenario scenario = sim::load_scenario(scenario_path(), load);
  return explain_decision(scenario, sim::RunOptions{}, speak_request());
}

const UtilityTerm* find_term(const OptionExplanation& option, const std::string& kind,
                             const std::string& detail) {
  for (const auto& term : option.terms) {
    if (term.kind == kind && (detail.empty() || term.channel == detail || term.event == detail)) {
      return &term;
    }
  }
  return nullptr;
}

const FlippingChange* find_flip(const Explanation& explanation, const std::string& input) {
  for (const auto& flip : explanation.flips) {
    if (flip.input == input) {
      return &flip;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("explain gives each option's probability and utility") {
  const Explanation explanation = explain_two_options();
  CHECK(explanation.country_name == "Tajikistan");
  CHECK(explanation.statement);
  CHECK(explanation.date == "2022-01-05");
  CHECK(explanation.modal == "speak_out");
  CHECK(explanation.realised == "speak_out");
  REQUIRE(explanation.options.size() == 2);
  CHECK(explanation.options[0].option == "speak_out");
  CHECK(explanation.options[0].utility == Approx(0.16));
  CHECK(explanation.options[0].probability == Approx(logistic(0.16)));
  CHECK(explanation.options[1].utility == Approx(0.0).margin(1e-12));
  CHECK(explanation.options[1].probability == Approx(1.0 - logistic(0.16)));
  CHECK(explanation.options[1].terms.empty());
}

TEST_CASE("explain splits leverage by channel and names the threat's event") {
  const Explanation explanation = explain_two_options();
  const OptionExplanation& speak = explanation.options[0];
  REQUIRE(find_term(speak, "intercept", ""));
  CHECK(find_term(speak, "intercept", "")->value == Approx(0.5));
  CHECK(find_term(speak, "orientation", "")->value == Approx(0.2));
  const UtilityTerm* remittances = find_term(speak, "leverage", "remittances");
  REQUIRE(remittances);
  CHECK(remittances->value == Approx(-0.40));
  CHECK(remittances->power == "RUS");
  CHECK(remittances->text == "Russia's leverage via remittances");
  REQUIRE(find_term(speak, "leverage", "trade"));
  CHECK(find_term(speak, "leverage", "trade")->value == Approx(-0.05));
  CHECK_FALSE(find_term(speak, "leverage", "inducements"));  // no aid received
  const UtilityTerm* threat = find_term(speak, "threat", "rus_warning");
  REQUIRE(threat);
  CHECK(threat->value == Approx(-0.09));
  CHECK(threat->text.find("rus_warning") != std::string::npos);
  // The terms add up to the utility, and come largest first.
  double sum = 0.0;
  for (const auto& term : speak.terms) {
    sum += term.value;
  }
  CHECK(sum == Approx(speak.utility));
  CHECK(speak.terms.front().kind == "intercept");

  // The lead over the runner-up is made of the same terms (stay_quiet has none).
  CHECK(explanation.runner_up == "stay_quiet");
  CHECK(explanation.margin == Approx(0.16));
  REQUIRE(explanation.margin_terms.size() == speak.terms.size());
  CHECK(explanation.margin_terms[0].label == "baseline preferences (intercepts)");
  CHECK(explanation.margin_terms[0].value == Approx(0.5));
  CHECK(explanation.margin_terms[1].label == "Russia's leverage via remittances");

  REQUIRE(explanation.powers.size() == 1);
  CHECK(explanation.powers[0].vulnerability == Approx(0.45));
  CHECK(explanation.powers[0].effective_credibility == Approx(0.5));
  CHECK(explanation.powers[0].leverage == Approx(0.45));
  CHECK(explanation.powers[0].channel_vulnerability[0].second == Approx(0.40));
}

TEST_CASE("explain says which part of a term its fitted country offset makes") {
  // Without offsets (a hand-set scenario) the words name the scenario's inputs only.
  // Kept in a variable: find_term returns a pointer into it.
  const Explanation hand_set = explain_two_options();
  const UtilityTerm* plain = find_term(hand_set.options[0], "orientation", "");
  REQUIRE(plain);
  CHECK(plain->text.find("fitted") == std::string::npos);
  // With an offset from `calibrate` the value includes it, and the words say how much.
  sim::Scenario scenario = sim::load_scenario(scenario_path());
  scenario.parameters.decision.country_offsets["TJK"].orientation = 0.3;
  const ExplainRequest request = speak_request(false);
  const Explanation explanation = explain_decision(scenario, sim::RunOptions{}, request);
  const UtilityTerm* fitted = find_term(explanation.options[0], "orientation", "");
  REQUIRE(fitted);
  CHECK(fitted->value == Approx(0.2 + 0.3));  // β·x·lean + δ·lean with β = 1, x = 0.2, lean 1
  CHECK_THAT(fitted->text, Catch::EndsWith("; fitted to its recorded votes: +0.30"));
  // A drift moves the offset with the item's date, and the words give the drift and its origin.
  const sim::AgendaItem& speak = scenario.agenda[static_cast<size_t>(scenario.find_item("speak"))];
  scenario.parameters.decision.drift_reference = sim::Date{speak.date.days - 730};
  scenario.parameters.decision.country_offsets["TJK"].orientation_drift = 0.1;
  const Explanation drifted = explain_decision(scenario, sim::RunOptions{}, request);
  const UtilityTerm* moved = find_term(drifted.options[0], "orientation", "");
  REQUIRE(moved);
  CHECK(moved->value == Approx(0.2 + 0.3 + 0.1 * 730.0 / 365.25));
  CHECK_THAT(moved->text,
             Catch::EndsWith("; fitted to its recorded votes: +0.50, of which +0.30 as of " +
                             sim::format_date(sim::Date{speak.date.days - 730}) +
                             ", +0.20 of drift since (+0.10 a year)"));
  CHECK(moved->text.find(")(") == std::string::npos);
  // Held from a date before the item, the drift is what it was then, and the words say so.
  scenario.parameters.decision.drift_until = sim::Date{speak.date.days - 365};
  const Explanation held = explain_decision(scenario, sim::RunOptions{}, request);
  const UtilityTerm* stopped = find_term(held.options[0], "orientation", "");
  REQUIRE(stopped);
  CHECK(stopped->value == Approx(0.2 + 0.3 + 0.1 * 365.0 / 365.25));
  CHECK_THAT(stopped->text, Catch::EndsWith("of drift since (+0.10 a year, held from " +
                                            sim::format_date(sim::Date{speak.date.days - 365}) +
                                            ", the last text fitted)"));
}

TEST_CASE("explain names the part of a fitted offset that the country showed on a tag's items") {
  sim::Scenario scenario = sim::load_scenario(scenario_path());
  const auto speak = static_cast<size_t>(scenario.find_item("speak"));
  scenario.agenda[speak].tags = {"forum"};
  sim::CountryOffset& offset = scenario.parameters.decision.country_offsets["TJK"];
  offset.orientation = 0.3;
  offset.by_tag["forum"] = sim::TagOffset{0.4, 0.0};
  offset.by_tag["elsewhere"] = sim::TagOffset{-9.0, 0.0};  // a tag the item does not carry
  const ExplainRequest request = speak_request(false);
  const Explanation explanation = explain_decision(scenario, sim::RunOptions{}, request);
  const UtilityTerm* fitted = find_term(explanation.options[0], "orientation", "");
  REQUIRE(fitted);
  CHECK(fitted->value == Approx(0.2 + 0.3 + 0.4));  // β·x·lean + (δ + δ_forum)·lean
  CHECK_THAT(fitted->text,
             Catch::EndsWith("; fitted to its recorded votes: +0.70, of which +0.30 on every "
                             "text, +0.40 on forum items"));
  // Participation (a vote, whose not-voting option carries it): the salience closes its own
  // parenthesis before the fitted parts are named.
  sim::Scenario central_asia = sim::load_scenario(std::string(sim::kDefaultScenario));
  sim::CountryOffset& turkmenistan = central_asia.parameters.decision.country_offsets["TKM"];
  turkmenistan.participation = 0.3;
  turkmenistan.by_tag["emergency_session"] = sim::TagOffset{0.0, 0.25};
  ExplainRequest vote_request;
  vote_request.country = "TKM";
  vote_request.item = "ES-11/1";
  vote_request.rank_events = false;
  vote_request.search_inputs = false;
  const Explanation staying_out = explain_decision(central_asia, sim::RunOptions{}, vote_request);
  const UtilityTerm* participation = nullptr;
  for (const OptionExplanation& option : staying_out.options) {
    if (participation == nullptr) {
      participation = find_term(option, "participation", "");
    }
  }
  REQUIRE(participation);
  CHECK_THAT(participation->text,
             Catch::EndsWith("(salience 1.50); fitted to its recorded votes: +0.55, of which "
                             "+0.30 on every text, +0.25 on emergency_session items"));
  // Off the tag's items the offset is the country's record elsewhere, and the words say no more.
  scenario.agenda[speak].tags.clear();
  const Explanation elsewhere = explain_decision(scenario, sim::RunOptions{}, request);
  const UtilityTerm* plain = find_term(elsewhere.options[0], "orientation", "");
  REQUIRE(plain);
  CHECK(plain->value == Approx(0.2 + 0.3));
  CHECK_THAT(plain->text, Catch::EndsWith("; fitted to its recorded votes: +0.30"));
}

TEST_CASE("explain ranks events by how much they moved the chosen option") {
  const Explanation explanation = explain_two_options();
  REQUIRE(explanation.events.size() == 1);
  CHECK(explanation.events[0].event == "rus_warning");
  CHECK(explanation.events[0].kind == "THREATEN");
  CHECK(explanation.events[0].chosen_probability_change == Approx(logistic(0.25) - logistic(0.16)));
  CHECK(explanation.events[0].modal_without == "speak_out");
}

TEST_CASE("explain reports progress over every event re-run and every input searched") {
  const sim::Scenario scenario = sim::load_scenario(scenario_path());
  ExplainRequest request;
  request.country = "TJK";
  request.item = "speak";
  std::vector<std::pair<int, int>> calls;
  request.progress = [&calls](int done, int total) { calls.emplace_back(done, total); };
  const Explanation explanation = explain_decision(scenario, sim::RunOptions{}, request);
  REQUIRE(!calls.empty());
  const int total = calls.front().second;
  // One call per step, counting up to the total announced from the first call on.
  CHECK(static_cast<int>(calls.size()) == total);
  for (size_t index = 0; index < calls.size(); ++index) {
    CHECK(calls[index].first == static_cast<int>(index) + 1);
    CHECK(calls[index].second == total);
  }
  CHECK(total == static_cast<int>(explanation.events.size()) + explanation.inputs_searched);

  request.search_inputs = false;
  request.rank_events = false;
  calls.clear();
  (void)explain_decision(scenario, sim::RunOptions{}, request);
  CHECK(calls.empty());
}

TEST_CASE("explain finds the smallest single change that flips the modal choice") {
  const Explanation explanation = explain_two_options();
  REQUIRE_FALSE(explanation.flips.empty());
  const FlippingChange& smallest = explanation.flips.front();
  CHECK(smallest.input == "countries.TJK.orientation.prior");
  CHECK(smallest.from == Approx(0.2));
  CHECK(smallest.to == Approx(0.04).margin(1e-6));
  CHECK(smallest.relative_change == Approx(0.08).margin(1e-6));
  CHECK(smallest.new_modal == "stay_quiet");

  const FlippingChange* credibility = find_flip(explanation, "countries.TJK.credibility.RUS");
  REQUIRE(credibility);
  CHECK(credibility->to == Approx(0.7 / 1.08).margin(1e-6));
  const FlippingChange* exposure = find_flip(explanation, "countries.TJK.exposure.RUS.remittances");
  REQUIRE(exposure);
  CHECK(exposure->to == Approx(2.0 / 3.0).margin(1e-6));
  const FlippingChange* magnitude = find_flip(explanation, "events.rus_warning.magnitude");
  REQUIRE(magnitude);
  CHECK(magnitude->to == Approx(5.0 / 9.0).margin(1e-6));
  // Removing the threat only makes speaking out likelier: no removal flips the choice.
  CHECK_FALSE(find_flip(explanation, "events.rus_warning"));
  // Remittances are irreplaceable (a = 0); raising a only helps speak_out, so nothing flips.
  CHECK_FALSE(find_flip(explanation, "countries.TJK.substitutability.RUS.remittances"));
  for (size_t index = 1; index < explanation.flips.size(); ++index) {
    CHECK(explanation.flips[index - 1].relative_change <= explanation.flips[index].relative_change);
  }
}

TEST_CASE("explain reports an event whose removal alone flips the choice") {
  // x = 0: U(speak_out) = 0.5 − 0.45 − 0.09 = −0.04 < 0, but 0.05 > 0 without the threat.
  sim::LoadOptions neutral;
  neutral.overrides = {"countries.TJK.orientation.prior=0"};
  const Explanation explanation = explain_two_options(neutral);
  CHECK(explanation.modal == "stay_quiet");
  const FlippingChange* removal = find_flip(explanation, "events.rus_warning");
  REQUIRE(removal);
  CHECK(removal->removal);
  CHECK(removal->new_modal == "speak_out");
  CHECK(removal->relative_change == 1.0);
  CHECK(format_explanation(explanation).find("removing one event: rus_warning \u2192 speak_out") !=
        std::string::npos);
}

TEST_CASE("explain applies --set and --drop-event like run") {
  sim::LoadOptions dropped;
  dropped.drop_events = {"rus_warning"};
  const Explanation without_threat = explain_two_options(dropped);
  CHECK(without_threat.options[0].utility == Approx(0.25));
  CHECK(without_threat.events.empty());

  sim::LoadOptions moved;
  moved.overrides = {"countries.TJK.orientation.prior=-0.1"};
  const Explanation flipped = explain_two_options(moved);
  CHECK(flipped.modal == "stay_quiet");
  CHECK(flipped.options[0].utility == Approx(-0.14));
}

TEST_CASE("the explain command works on a scenario and on a run directory alike") {
  ScratchDirectory scratch;
  const auto direct =
      run_command({"explain", scenario_path(), "--country", "TJK", "--item", "speak"});
  INFO(direct.err);
  REQUIRE(direct.status == 0);
  CHECK(direct.out.find("Russia's leverage via remittances") != std::string::npos);
  CHECK(direct.out.find("\u22120.40") != std::string::npos);
  // The tipping point is 0.04, where the two options tie: the text gives the nearest 4-digit
  // value past it, which does flip the choice.
  CHECK(direct.out.find("countries.TJK.orientation.prior: 0.2 \u2192 0.03999") !=
        std::string::npos);

  REQUIRE(
      run_command({"run", scenario_path(), "--out", scratch / "run", "--drop-event", "rus_warning"})
          .status == 0);
  const auto rebuilt =
      run_command({"explain", scratch / "run", "--country", "TJK", "--item", "speak", "--json"});
  INFO(rebuilt.err);
  REQUIRE(rebuilt.status == 0);
  const auto json = nlohmann::json::parse(rebuilt.out);
  // The run dropped the threat, and the rebuilt run does too.
  CHECK(json["options"][0]["utility"].get<double>() == Approx(0.25));
  CHECK(json["events"].empty());
  CHECK(json["smallest_changes"][0]["input"] == "countries.TJK.orientation.prior");
  // And it says so, with the version, seed and scenario bytes, as a run's manifest does.
  CHECK(json["provenance"]["dropped_events"] == nlohmann::json::array({"rus_warning"}));
  CHECK(json["provenance"]["scenario_files"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(json["provenance"].contains("seed"));
  CHECK(json["provenance"]["version"].get<std::string>().starts_with("0."));

  const auto unknown =
      run_command({"explain", scenario_path(), "--country", "TJX", "--item", "speak"});
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("did you mean 'TJK'") != std::string::npos);
  // Typed in lower case on the command line: the one country meant is suggested.
  CHECK_THAT(run_command({"explain", scenario_path(), "--country", "tjk", "--item", "speak"}).err,
             Catch::Contains("did you mean 'TJK'"));
  const auto missing =
      run_command({"explain", scratch / "nowhere", "--country", "TJK", "--item", "speak"});
  CHECK(missing.status == 2);
  // A folder that holds no run is named as such, as compare and diff name it.
  std::filesystem::create_directories(scratch / "empty");
  const auto empty =
      run_command({"explain", scratch / "empty", "--country", "TJK", "--item", "speak"});
  CHECK(empty.status == 2);
  CHECK_THAT(empty.err, Catch::Contains("not a run directory"));
}

TEST_CASE("on the built-in scenario every decision's terms add up to its utilities") {
  const sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario));
  ExplainRequest request;
  request.rank_events = false;
  request.search_inputs = false;
  for (const auto& country : scenario.countries) {
    for (const auto& item : scenario.agenda) {
      request.country = country.id;
      request.item = item.id;
      const Explanation explanation = explain_decision(scenario, sim::RunOptions{}, request);
      double margin = 0.0;
      for (const auto& term : explanation.margin_terms) {
        margin += term.value;
      }
      CHECK(margin == Approx(explanation.margin).margin(1e-9));
      for (const auto& option : explanation.options) {
        double sum = 0.0;
        for (const auto& term : option.terms) {
          sum += term.value;
        }
        INFO(country.id << " " << item.id << " " << option.option);
        CHECK(sum == Approx(option.utility).margin(1e-9));
      }
    }
  }
}

TEST_CASE("every value explain prints as a flip does flip the choice when given to run --set") {
  // Rounded to the nearest, a printed tipping point lands short of it about half the time; the
  // text rounds away from the current value, so a user can type it back in.
  ScratchDirectory scratch;
  const std::regex flip_line(R"(^  ([^ :]+): (\S+) → (\S+) \(.*\) → (\S+)$)");
  int checked = 0;
  for (const std::string country : {"KAZ", "KGZ", "TJK", "UZB"}) {
    const auto explained = run_command({"explain", std::string(sim::kDefaultScenario), "--country",
                                        country, "--item", "ES-11/3", "--top", "8"});
    REQUIRE(explained.status == 0);
    std::istringstream lines(explained.out);
    for (std::string line; std::getline(lines, line);) {
      std::smatch match;
      if (!std::regex_match(line, match, flip_line)) {
        continue;
      }
      std::string value = match[3].str();
      if (value.starts_with("\u2212")) {
        value = "-" + value.substr(std::string("\u2212").size());
      }
      const std::string out = scratch / ("flip" + std::to_string(checked));
      const auto run = run_command(
          {"-q", "run", "--set", match[1].str() + "=" + value, "--no-trajectory", "--out", out});
      REQUIRE(run.status == 0);
      const auto decisions = read_run_directory(out);
      const auto* decision = decisions.find("ES-11/3", country);
      REQUIRE(decision != nullptr);
      INFO(line);
      CHECK(decision->modal == match[4].str());
      ++checked;
    }
  }
  CHECK(checked >= 16);
}

TEST_CASE("each smallest change in explain --json carries the run argument that makes it") {
  ScratchDirectory scratch;
  const auto explained = run_command({"explain", std::string(sim::kDefaultScenario), "--country",
                                      "TJK", "--item", "ES-11/3", "--json"});
  REQUIRE(explained.status == 0);
  const auto json = nlohmann::json::parse(explained.out);
  int checked = 0;
  for (const auto& change : json["smallest_changes"]) {
    const std::string argument = change["argument"];
    // "--set PATH=VALUE" or "--drop-event ID", split where run's parser splits them.
    const auto space = argument.find(' ');
    REQUIRE(space != std::string::npos);
    const std::string out = scratch / ("flip" + std::to_string(checked++));
    const auto run = run_command({"-q", "run", argument.substr(0, space),
                                  argument.substr(space + 1), "--no-trajectory", "--out", out});
    INFO(argument);
    REQUIRE(run.status == 0);
    const auto decisions = read_run_directory(out);
    const auto* decision = decisions.find("ES-11/3", "TJK");
    REQUIRE(decision != nullptr);
    CHECK(decision->modal == change["new_modal"].get<std::string>());
  }
  CHECK(checked >= 4);
}

TEST_CASE("explain says that a search it skipped was skipped, not that it found nothing") {
  // With --no-search the text said "0 inputs searched" and that no input changes the choice.
  // Here removing the one threat does not change the most likely option (speak_out either way).
  const sim::Scenario scenario = sim::load_scenario(scenario_path());
  ExplainRequest request = speak_request(false);
  const std::string events_only =
      format_explanation(explain_decision(scenario, sim::RunOptions{}, request));
  CHECK_THAT(events_only, Catch::Contains("option (inputs not searched, ") &&
                              !Catch::Contains("inputs searched"));
  CHECK_THAT(events_only,
             Catch::EndsWith("  none among the events: no single event removed changes it (the "
                             "inputs were not searched: --no-search)\n"));

  request.rank_events = false;
  CHECK_THAT(format_explanation(explain_decision(scenario, sim::RunOptions{}, request)),
             Catch::EndsWith("  not searched: --no-search and --no-events skip both the inputs "
                             "and the events\n"));

  Explanation searched = explain_decision(scenario, sim::RunOptions{}, speak_request(false));
  searched.inputs_search_skipped = false;
  searched.flips.clear();
  CHECK_THAT(format_explanation(searched),
             Catch::EndsWith("  none: no single input within its range, and no single event "
                             "removed, changes it\n"));
  searched.event_removal_skipped = true;
  CHECK_THAT(format_explanation(searched),
             Catch::EndsWith("  none among the inputs: no single input within its range changes "
                             "it (no event was removed: --no-events)\n"));
}

TEST_CASE("explain counts one input and one simulation in the singular") {
  // The heading said "(1 inputs searched, 1 simulations)".
  const sim::Scenario scenario = sim::load_scenario(scenario_path());
  Explanation explanation = explain_decision(scenario, sim::RunOptions{}, speak_request(false));
  explanation.inputs_search_skipped = false;
  explanation.inputs_searched = 1;
  explanation.simulations = 1;
  CHECK_THAT(format_explanation(explanation),
             Catch::Contains("most likely option (1 input searched, 1 simulation):\n"));
  explanation.inputs_searched = 2;
  explanation.simulations = 1200;
  CHECK_THAT(format_explanation(explanation),
             Catch::Contains("most likely option (2 inputs searched, 1,200 simulations):\n"));
}
