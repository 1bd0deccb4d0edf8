// The validation figures of docs/validation.md that can fail: the world model held out beats
// every baseline, and the weights fitted on the world reproduce the Central Asian votes.
#include <catch2/catch.hpp>
#include <string>

#include "results/calibration.hpp"
#include "results/history.hpp"
#include "results/run_pipeline.hpp"
#include "results/vote_table.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"

using namespace multivector;

namespace {

const std::string kScenarios = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/";

}  // namespace

TEST_CASE("held out, the world model beats every baseline on accuracy and log-loss") {
  const sim::Scenario world = sim::load_scenario(kScenarios + "world_2022.yaml");
  const auto history = results::load_history(world.info.compare_with);
  results::CalibrationOptions options;
  options.leave_one_resolution_out = true;
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
  CHECK(summary.matched >= 23);
}
