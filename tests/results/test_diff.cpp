// diff of runs of the hand-built two-option scenario (see test_explain.cpp for its arithmetic).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "results/diff.hpp"
#include "results/run_writer.hpp"
#include "tests/test_support.hpp"

using namespace multivector;
using namespace multivector::results;
using multivector::testing::logistic;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;
using multivector::testing::test_data;

namespace {

std::string make_run(const ScratchDirectory& scratch, const std::string& name,
                     const std::vector<std::string>& extra = {}) {
  std::vector<std::string> arguments = {"run", test_data("explain/two_options.yaml"), "--out",
                                        scratch / name};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  const auto result = run_command(arguments);
  INFO(result.err);
  REQUIRE(result.status == 0);
  return scratch / name;
}

bool has_input(const RunDiff& diff, const std::string& input) {
  return std::any_of(diff.inputs.begin(), diff.inputs.end(),
                     [&](const InputDifference& difference) { return difference.input == input; });
}

}  // namespace

TEST_CASE("the diff of a run against itself is empty") {
  ScratchDirectory scratch;
  const std::string base = make_run(scratch, "base");
  const RunDirectory run = read_run_directory(base);
  const RunDiff diff = diff_runs(run, run);
  CHECK(diff.empty());
  CHECK(diff.decisions_compared == 1);
  // A second run of the same inputs is the same run, although its manifest has another time.
  const RunDiff again = diff_runs(run, read_run_directory(make_run(scratch, "again")));
  CHECK(again.empty());
  const auto printed = run_command({"diff", base, base});
  CHECK(printed.status == 0);
  CHECK(printed.out.find("no differences") != std::string::npos);
}

TEST_CASE("diff does not pair a vote with a statement that shares its id") {
  ScratchDirectory scratch;
  const RunDirectory base = read_run_directory(make_run(scratch, "base"));
  RunDirectory other = base;
  REQUIRE(other.decisions.size() == 1);
  other.decisions[0].statement = !other.decisions[0].statement;
  const RunDiff diff = diff_runs(base, other);
  CHECK(diff.decisions_compared == 0);
  CHECK(diff.changes.empty());
  REQUIRE(diff.only_in_a.size() == 1);
  CHECK(diff.only_in_a[0] == "speak TJK (a statement in A, a vote in B)");
  CHECK(diff.only_in_b == std::vector<std::string>{"speak TJK"});
}

TEST_CASE("the diff against a --drop-event run names that event") {
  ScratchDirectory scratch;
  const RunDirectory base = read_run_directory(make_run(scratch, "base"));
  const RunDirectory whatif =
      read_run_directory(make_run(scratch, "whatif", {"--drop-event", "rus_warning"}));
  const RunDiff diff = diff_runs(base, whatif);
  REQUIRE(diff.inputs.size() == 1);
  CHECK(diff.inputs[0].input == "--drop-event rus_warning");
  CHECK(diff.inputs[0].in_a.empty());
  CHECK(diff.inputs[0].in_b == "dropped");
  // The threat fired, and lapsed when TJK spoke out anyway (its resolve is 0); both in A only.
  REQUIRE(diff.events.size() == 2);
  CHECK(diff.events[0].id == "rus_warning");
  CHECK(diff.events[0].phase == "fired");
  CHECK(diff.events[0].only_in == "A");
  CHECK(diff.events[1].phase == "lapsed");

  REQUIRE(diff.changes.size() == 1);
  const DecisionChange& change = diff.changes[0];
  CHECK(change.item == "speak");
  CHECK(change.country == "TJK");
  CHECK(change.modal_a == "speak_out");
  CHECK(change.modal_b == "speak_out");
  CHECK(change.probability_a[0] == Approx(logistic(0.16)));
  CHECK(change.probability_b[0] == Approx(logistic(0.25)));
  CHECK(change.largest_change == Approx(logistic(0.25) - logistic(0.16)));
  // The only term that moved: the threat on speak_out, −0.09 → 0.
  REQUIRE(change.terms.size() == 1);
  CHECK(change.terms[0].option == "speak_out");
  CHECK(change.terms[0].term == "threat_RUS");
  CHECK(change.terms[0].delta == Approx(0.09));
  // The lapse follows the decision, so only the firing accounts for it.
  REQUIRE(change.events.size() == 1);
  CHECK(change.events[0].starts_with("rus_warning (fired 2022-01-03"));

  const auto printed = run_command({"diff", base.path.string(), whatif.path.string()});
  CHECK(printed.status == 0);
  CHECK(printed.out.find("--drop-event rus_warning") != std::string::npos);
  CHECK(printed.out.find("only in A: 2022-01-03 fired rus_warning") != std::string::npos);
  CHECK(printed.out.find("events: rus_warning") != std::string::npos);
}

TEST_CASE("diff explains a changed choice by the margin of the new option over the old") {
  ScratchDirectory scratch;
  const RunDirectory base = read_run_directory(make_run(scratch, "base"));
  // Leverage weight 2: U(speak_out) = 0.5 + 0.2 − 2·0.45 − 2·0.09 = −0.38 → stay_quiet.
  const RunDirectory whatif = read_run_directory(
      make_run(scratch, "whatif", {"--set", "parameters.decision.leverage.RUS=2"}));
  const RunDiff diff = diff_runs(base, whatif);
  CHECK(has_input(diff, "--set parameters.decision.leverage.RUS=2"));
  CHECK(has_input(diff, "parameters.decision.leverage.RUS"));
  // The threat lapsed in A only, because there TJK still spoke out; that follows the decision.
  REQUIRE(diff.events.size() == 1);
  CHECK(diff.events[0].phase == "lapsed");
  REQUIRE(diff.changes.size() == 1);
  CHECK(diff.changes[0].events.empty());
  CHECK(diff.modal_changes == 1);
  const DecisionChange& change = diff.changes[0];
  CHECK(change.modal_b == "stay_quiet");
  CHECK(change.probability_b[1] == Approx(1.0 - logistic(-0.38)));
  // stay_quiet − speak_out gained 0.45 from leverage and 0.09 from the threat.
  REQUIRE(change.margin.size() == 2);
  CHECK(change.margin[0].term == "leverage_RUS");
  CHECK(change.margin[0].delta == Approx(0.45));
  CHECK(change.margin[1].term == "threat_RUS");
  CHECK(change.margin[1].delta == Approx(0.09));
}

TEST_CASE("diff's threshold hides small moves but not differing inputs") {
  ScratchDirectory scratch;
  const RunDirectory base = read_run_directory(make_run(scratch, "base"));
  const RunDirectory whatif =
      read_run_directory(make_run(scratch, "whatif", {"--drop-event", "rus_warning"}));
  DiffOptions options;
  options.threshold = 0.1;  // the move is about 0.022
  const RunDiff diff = diff_runs(base, whatif, options);
  CHECK(diff.changes.empty());
  CHECK(diff.inputs.size() == 1);
  CHECK(diff.events.size() == 2);
  const auto json = run_command(
      {"diff", base.path.string(), whatif.path.string(), "--json", "--threshold", "0.1"});
  REQUIRE(json.status == 0);
  CHECK(nlohmann::json::parse(json.out)["changes"].empty());
}

TEST_CASE("diff shows a decision whose date a what-if moved, with both dates") {
  ScratchDirectory scratch;
  const std::string base = make_run(scratch, "base");
  // Moved after the warning's day to a later one: the same terms, so only the date differs.
  const std::string later = make_run(scratch, "later", {"--set", "agenda.speak.date=2022-01-08"});
  const RunDiff diff = diff_runs(read_run_directory(base), read_run_directory(later));
  REQUIRE(diff.changes.size() == 1);
  CHECK(diff.changes[0].date == "2022-01-05");
  CHECK(diff.changes[0].date_b == "2022-01-08");
  CHECK(diff.modal_changes == 0);
  const auto printed = run_command({"diff", base, later});
  REQUIRE(printed.status == 0);
  CHECK(printed.out.find("speak TJK 2022-01-05 \u2192 2022-01-08") != std::string::npos);
  const auto json = run_command({"diff", base, later, "--json"});
  REQUIRE(json.status == 0);
  CHECK(nlohmann::json::parse(json.out)["changes"][0]["date_b"] == "2022-01-08");
}

TEST_CASE("diff exits 2 for a missing run directory") {
  ScratchDirectory scratch;
  const std::string base = make_run(scratch, "base");
  const auto missing = run_command({"diff", base, scratch / "missing"});
  CHECK(missing.status == 2);
  CHECK(missing.err.find("not a run directory") != std::string::npos);
}

TEST_CASE("diff: the same file under another path is no difference, another scenario is said") {
  ScratchDirectory scratch;
  const std::string base = make_run(scratch, "base");
  // The same bytes read from elsewhere: the same input.
  const std::string copy = scratch / "copy.yaml";
  std::filesystem::copy_file(test_data("explain/two_options.yaml"), copy);
  const auto copied = run_command({"run", copy, "--out", scratch / "copied"});
  REQUIRE(copied.status == 0);
  CHECK(diff_runs(read_run_directory(base), read_run_directory(scratch / "copied")).empty());

  // The same files under another scenario id: the id is an input, but it is the same model.
  const auto renamed =
      run_command({"run", copy, "--set", "scenario.id=another", "--out", scratch / "renamed"});
  REQUIRE(renamed.status == 0);
  const RunDiff diff = diff_runs(read_run_directory(base), read_run_directory(scratch / "renamed"));
  CHECK(has_input(diff, "scenario.id"));
  CHECK_FALSE(has_input(diff, "scenario file " + copy));
  CHECK(format_diff(diff).find("two scenarios") == std::string::npos);
  // Another scenario altogether: the text warns that two models are compared.
  const auto other = run_command({"run", "--out", scratch / "other"});
  REQUIRE(other.status == 0);
  const RunDiff models = diff_runs(read_run_directory(base), read_run_directory(scratch / "other"));
  CHECK(has_input(models, "scenario id"));
  const std::string text = format_diff(models);
  CHECK(text.find("runs of two scenarios") != std::string::npos);
  CHECK(format_diff(diff_runs(read_run_directory(base), read_run_directory(base)))
            .find("two scenarios") == std::string::npos);
  // A saved diff names what each run was made from, and the version that compared them.
  const auto json = diff_json(diff);
  CHECK(json["a"]["scenario"]["id"] == "two_options");
  CHECK(json["b"]["scenario"]["id"] == "another");
  CHECK(json["b"]["overrides"][0] == "scenario.id=another");
  CHECK(json["a"]["seed"].is_number());
  CHECK(json["a"]["scenario"]["files"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(json["program_version"] == program_version());
}

TEST_CASE("diff lists a decision whose drawn choice differs between two sampled runs") {
  ScratchDirectory scratch;
  // The two-option scenario's probabilities do not depend on the seed: only the draws do. Over
  // twenty seeds some draw differs from the first seed's.
  const RunDirectory first =
      read_run_directory(make_run(scratch, "seed0", {"--decisions", "sample", "--seed", "0"}));
  int differing_runs = 0;
  for (int seed = 1; seed <= 20; ++seed) {
    const std::string name = "seed" + std::to_string(seed);
    const RunDirectory other = read_run_directory(
        make_run(scratch, name, {"--decisions", "sample", "--seed", std::to_string(seed)}));
    const RunDiff diff = diff_runs(first, other);
    int drawn_apart = 0;
    for (std::size_t index = 0; index < first.decisions.size(); ++index) {
      drawn_apart += first.decisions[index].realised != other.decisions[index].realised ? 1 : 0;
    }
    CHECK(diff.realised_changes == drawn_apart);
    const auto listed = std::count_if(
        diff.changes.begin(), diff.changes.end(),
        [](const DecisionChange& change) { return change.realised_a != change.realised_b; });
    CHECK(listed == drawn_apart);
    if (drawn_apart > 0) {
      ++differing_runs;
      CHECK_THAT(format_diff(diff), Catch::Contains("the choice each run drew"));
    }
  }
  CHECK(differing_runs > 0);
}

TEST_CASE("diff compares parameters files by content, not by the path they were read from") {
  ScratchDirectory scratch;
  for (const char* name : {"fit.yaml", "copy_of_fit.yaml"}) {
    std::ofstream(scratch / name) << "parameters:\n  decision:\n    temperature: 1.5\n";
  }
  std::ofstream(scratch / "other_fit.yaml") << "parameters:\n  decision:\n    temperature: 2\n";
  const RunDirectory fitted =
      read_run_directory(make_run(scratch, "fit", {"--params", scratch / "fit.yaml"}));
  const RunDirectory copied =
      read_run_directory(make_run(scratch, "copy", {"--params", scratch / "copy_of_fit.yaml"}));
  CHECK(diff_runs(fitted, copied).empty());
  const RunDiff other = diff_runs(
      fitted,
      read_run_directory(make_run(scratch, "other", {"--params", scratch / "other_fit.yaml"})));
  CHECK_FALSE(has_input(other, "params_file"));
  CHECK(std::any_of(other.inputs.begin(), other.inputs.end(), [](const InputDifference& input) {
    return input.input.find("other_fit.yaml") != std::string::npos;
  }));
  // Without a parameters file at all: that is a difference of its own.
  CHECK(has_input(diff_runs(fitted, read_run_directory(make_run(scratch, "none"))), "params_file"));
}

TEST_CASE("diff says what a what-if file changed: its values, and an event it changed") {
  ScratchDirectory scratch;
  const std::string base = make_run(scratch, "base");
  // A what-if file with an id of its own, as docs/scenario-format.md's example writes one.
  const std::string what_if = scratch / "what_if.yaml";
  {
    std::ofstream(what_if) << "extends: " << test_data("explain/two_options.yaml") << "\n"
                           << "scenario: {id: two_options_what_if}\n"
                           << "countries:\n  TJK:\n    exposure: {RUS: {remittances: 0.3}}\n"
                           << "events:\n  - {id: rus_warning, magnitude: 0.4}\n";
  }
  const auto run = run_command({"run", what_if, "--out", scratch / "what_if"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const RunDiff diff = diff_runs(read_run_directory(base), read_run_directory(scratch / "what_if"));
  const auto value = [&](const std::string& input) {
    const auto found = std::find_if(diff.inputs.begin(), diff.inputs.end(),
                                    [&](const InputDifference& d) { return d.input == input; });
    return found == diff.inputs.end() ? std::string("missing") : found->in_a + " > " + found->in_b;
  };
  CHECK(value("countries.TJK.exposure.RUS.remittances") == "0.5 > 0.3");
  CHECK(value("events.rus_warning.magnitude") == "0.2 > 0.4");
  CHECK(value("scenario.id") == "two_options > two_options_what_if");
  // Fired, and later expired: the same two lines in both runs, each with the new magnitude.
  REQUIRE(diff.events.size() == 2);
  for (const auto& event : diff.events) {
    CHECK(event.only_in.empty());
    CHECK(event.changed == std::vector<std::string>{"magnitude 0.2 \u2192 0.4"});
  }
  const std::string text = format_diff(diff);
  CHECK(text.find("two scenarios") == std::string::npos);
  CHECK(text.find("changed: 2022-01-03 fired rus_warning (THREATEN by RUS \u2192 TJK): magnitude "
                  "0.2 \u2192 0.4") != std::string::npos);
  CHECK(diff_json(diff)["events"][0]["only_in"].is_null());
}

TEST_CASE("diff of weekly runs: an added event does not make every later line differ") {
  // With weekly steps an event between two step days gets a step of its own, which renumbers
  // the steps after it: the step number is not what differs between the runs.
  ScratchDirectory scratch;
  const std::string weekly = scratch / "weekly.yaml";
  std::ofstream(weekly) << "extends: " << test_data("explain/two_options.yaml")
                        << "\nscenario: {step: 1w}\n";
  const std::string added = scratch / "added.yaml";
  std::ofstream(added) << "extends: weekly.yaml\n"
                       << "events:\n  - {id: gift, date: 2022-01-02, source: RUS, recipient: TJK, "
                          "event: AID, magnitude: 0.1}\n"
                       << "  - {id: rus_warning, duration_days: 2}\n";
  REQUIRE(run_command({"run", weekly, "--out", scratch / "weekly"}).status == 0);
  REQUIRE(run_command({"run", added, "--out", scratch / "added"}).status == 0);
  const RunDiff diff =
      diff_runs(read_run_directory(scratch / "weekly"), read_run_directory(scratch / "added"));
  for (const auto& event : diff.events) {
    INFO(event.id << " " << event.phase << " " << event.only_in);
    CHECK((event.id == "gift" || event.id == "rus_warning"));
    for (const auto& field : event.changed) {
      CHECK(field.find("step") == std::string::npos);
    }
  }
  // The new event, and the threat's shorter duration among the inputs: not numeric inputs a
  // sweep varies, but what the what-if file changed.
  CHECK(std::any_of(diff.events.begin(), diff.events.end(),
                    [](const EventDifference& event) { return event.id == "gift"; }));
  CHECK(has_input(diff, "events.rus_warning.duration_days"));
  CHECK_FALSE(has_input(diff, "scenario id"));
}
