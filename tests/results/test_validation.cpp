// The validation figures of docs/validation.md that can fail: the world model held out beats
// every baseline, and the weights fitted on the world reproduce the Central Asian votes.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "results/calibration.hpp"
#include "results/history.hpp"
#include "results/run_pipeline.hpp"
#include "results/voeten.hpp"
#include "results/vote_table.hpp"
#include "sim/date.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace multivector;

namespace {

const std::string kScenarios = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/";

}  // namespace

TEST_CASE("held out, the world model beats every baseline on accuracy and log-loss") {
  const sim::Scenario world = sim::load_scenario(kScenarios + "world_2022.yaml");
  const auto history = results::load_history(world.info.compare_with);
  results::CalibrationOptions options;
  options.folds = results::Folds::LeaveOneOut;
  const auto result = results::calibrate(world, history, options);
  REQUIRE(result.folds.size() == 16);
  const auto held_out = results::compare_held_out(result.held_out);
  CHECK(held_out.model.rows == 16 * 193);
  for (const auto* baseline : {&held_out.always_yes, &held_out.persistence, &held_out.copy_china}) {
    CHECK(held_out.model.accuracy > baseline->accuracy);
    CHECK(held_out.model.log_loss < baseline->log_loss);
  }
  CHECK(held_out.model.accuracy > 0.8);
  const auto central_asia =
      results::compare_held_out(result.held_out, [](const results::HeldOutPrediction& row) {
        return row.resolution.find("ES-11") != std::string::npos &&
               (row.country == "KAZ" || row.country == "KGZ" || row.country == "TJK" ||
                row.country == "UZB" || row.country == "TKM");
      });
  CHECK(central_asia.model.rows == 25);
  CHECK(central_asia.model.accuracy >= 0.85);
}

TEST_CASE(
    "weights fitted on the world, without country offsets, reproduce the Central Asian "
    "votes") {
  sim::LoadOptions options;
  options.params_file = kScenarios + "world_2022_params.yaml";
  sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario), options);
  // The offsets were fitted on these very votes; only the global weights are tested here.
  scenario.parameters.decision.country_offsets.clear();
  const auto history = results::load_history(scenario.info.compare_with);
  const auto run = results::simulate(std::move(scenario), {}, false);
  results::VoteTableSummary summary;
  (void)results::format_vote_table(*run.recorder, history, summary);
  CHECK(summary.compared == 25);
  // The issue's 0.85 on 25 votes. (22 since the scenario's texts carry the emergency_session
  // tag, whose fitted intercept was left out before and flattered this check with 24.)
  CHECK(summary.matched >= 22);
}

TEST_CASE("a resolution added by extending the world scenario is predicted by a fit without it") {
  // The recipe of docs/validation.md for scoring votes that are not in this repository. The
  // "recorded" votes of the new text are ES-11/4's, relabelled: only the mechanics are tested.
  multivector::testing::ScratchDirectory scratch;
  {
    std::ofstream file(scratch / "new_votes.yaml");
    file << "extends: " << kScenarios << "world_2022.yaml\n"
         << "scenario: {id: world_new, end: 2024-01-31}\n"
         << "agenda:\n"
         << "  - id: new/1\n"
         << "    resolution: A/RES/NEW/1\n"
         << "    date: 2023-12-19\n"
         << "    tags: [human_rights_country, a_tag_never_seen]\n"
         << "    yes_points: west\n"
         << "    stances: {RUS: N, WEST: Y, CHN: N}\n";
  }
  const sim::Scenario scenario = sim::load_scenario(scratch / "new_votes.yaml");
  REQUIRE(scenario.agenda.size() == 17);
  results::VoteHistory history = results::load_history(scenario.info.compare_with);
  const std::vector<results::RecordedVote> recorded = history.votes();
  for (const auto& vote : recorded) {
    if (vote.resolution == "A/RES/ES-11/4") {
      history.add({"A/RES/NEW/1", *sim::parse_date("2023-12-19"), vote.country, vote.vote});
    }
  }
  results::CalibrationOptions options;
  options.holdout = {"A/RES/NEW/1"};
  const auto result = results::calibrate(scenario, history, options);
  CHECK(result.fit.rows == 16 * 193);  // the new text's votes never reach the fit
  CHECK(result.parameters.decision.tag_intercepts.count("a_tag_never_seen") == 0);
  REQUIRE(result.held_out.size() == 193);
  for (const auto& prediction : result.held_out) {
    CHECK(prediction.resolution == "A/RES/NEW/1");
    double total = 0.0;
    for (const double probability : prediction.probability) {
      CHECK(probability >= 0.0);
      total += probability;
    }
    CHECK(total == Approx(1.0));
  }
  const auto scored = results::compare_held_out(result.held_out);
  CHECK(scored.model.rows == 193);
}

TEST_CASE(
    "on Georgia's displaced-persons texts it was never fitted on the model has the lowest "
    "log-loss") {
  // docs/validation.md, "Recorded texts outside the sixteen": three recorded votes from Voeten's
  // roll calls, predicted by the sixteen-resolution fit with the record before each replayed.
  const sim::Scenario scenario = sim::load_scenario(kScenarios + "checks/georgia_idp.yaml");
  const std::vector<std::string> georgia = {"A/RES/68/274", "A/RES/69/286", "A/RES/71/290"};
  const results::VoetenPaths paths = results::voeten_paths(kScenarios + "data/voeten");
  results::VoteHistory history = results::load_history(scenario.info.compare_with);
  for (results::RecordedVote vote : results::voeten_resolution_votes(
           results::load_voeten(paths.votes, paths.roll_calls, paths.issues), georgia,
           paths.roll_calls)) {
    history.add(std::move(vote));
  }
  results::CalibrationOptions options;
  options.holdout = georgia;
  const auto result = results::calibrate(scenario, history, options);
  CHECK(result.fit.rows == 16 * 193);
  const auto held_out = results::compare_held_out(result.held_out);
  REQUIRE(held_out.model.rows == 3 * 193);
  for (const auto* baseline : {&held_out.always_yes, &held_out.persistence, &held_out.copy_china}) {
    CHECK(held_out.model.log_loss < baseline->log_loss);
  }
  CHECK(held_out.model.accuracy > held_out.always_yes.accuracy + 0.25);
  CHECK(held_out.model.accuracy > held_out.copy_china.accuracy + 0.25);
  CHECK(held_out.model.accuracy > 0.68);
}

TEST_CASE("the shipped scenarios tag each recorded resolution as resolution_types.csv does") {
  // Fitted tag intercepts and each country's offsets on tagged texts reach an item only through
  // its tags: a scenario that tags a text differently from the world scenario silently leaves
  // out terms that `run --params scenarios/world_2022_params.yaml` is meant to apply.
  std::map<std::string, std::set<std::string>> tags_by_resolution;
  std::ifstream table(kScenarios + "data/unga/resolution_types.csv");
  REQUIRE(table);
  std::string line;
  std::getline(table, line);  // header: resolution,type,tags,note
  while (std::getline(table, line)) {
    std::stringstream fields(line);
    std::string resolution;
    std::string type;
    std::string tags;
    std::getline(fields, resolution, ',');
    std::getline(fields, type, ',');
    std::getline(fields, tags, ',');
    std::stringstream tag_list(tags);
    std::string tag;
    while (std::getline(tag_list, tag, ';')) {
      tags_by_resolution[resolution].insert(tag);
    }
  }
  REQUIRE(tags_by_resolution.size() == 16);
  for (const std::string file : {"world_2022.yaml", "central_asia_2022.yaml"}) {
    const sim::Scenario scenario = sim::load_scenario(kScenarios + file);
    int checked = 0;
    for (const auto& item : scenario.agenda) {
      const auto recorded = tags_by_resolution.find(item.resolution);
      if (recorded == tags_by_resolution.end()) {
        continue;
      }
      INFO(file << " " << item.id);
      CHECK(std::set<std::string>(item.tags.begin(), item.tags.end()) == recorded->second);
      ++checked;
    }
    CHECK(checked >= 5);
  }
}
