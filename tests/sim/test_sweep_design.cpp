// Sweep designs: --vary parsing and checks, grid levels, Latin hypercube strata, run seeds.
#include <catch2/catch.hpp>
#include <set>

#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/sweep_design.hpp"

using namespace multivector::sim;

namespace {

const Scenario& default_scenario() {
  static const Scenario scenario = load_scenario(std::string(kDefaultScenario));
  return scenario;
}

SweepDesign grid(const std::vector<std::string>& vary, std::int64_t replications = 1) {
  SweepDesignOptions options;
  options.replications = replications;
  options.seed = 7;
  return SweepDesign(default_scenario(), vary, options);
}

SweepDesign latin(const std::vector<std::string>& vary, std::int64_t samples, std::uint64_t seed) {
  SweepDesignOptions options;
  options.kind = SweepDesignKind::LatinHypercube;
  options.samples = samples;
  options.seed = seed;
  return SweepDesign(default_scenario(), vary, options);
}

// The message of the InputError that building the design throws, or "" when it builds.
std::string design_error(const std::vector<std::string>& vary, SweepDesignOptions options) {
  try {
    const SweepDesign design(default_scenario(), vary, options);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a grid takes every STEP from LO to HI with exact ends") {
  const SweepDesign design = grid({"parameters.decision.leverage.RUS=0:1:0.1"});
  REQUIRE(design.points() == 11);
  std::vector<double> values;
  design.point_values(3, values);
  CHECK(values[0] == 0.3);  // 1 · 3/10, not 0.1 · 3 = 0.30000000000000004
  design.point_values(10, values);
  CHECK(values[0] == 1.0);

  // A STEP that does not divide the range stops at the last level below HI.
  const SweepDesign uneven = grid({"parameters.decision.leverage.RUS=0:1:0.3"});
  REQUIRE(uneven.points() == 4);
  uneven.point_values(3, values);
  CHECK(values[0] == 0.9);  // 0.3 · 3, not 0.8999999999999999

  // A range whose ends do not sum exactly in binary: every level is the decimal typed or implied.
  const SweepDesign offset = grid({"countries.KAZ.exposure.RUS.transit=0.2:0.9:0.1"});
  REQUIRE(offset.points() == 8);
  const std::vector<double> decimals = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  for (std::int64_t point = 0; point < offset.points(); ++point) {
    offset.point_values(point, values);
    CHECK(values[0] == decimals[static_cast<std::size_t>(point)]);
  }
}

TEST_CASE("grid points nest like loops, the last --vary fastest, replications innermost") {
  const SweepDesign design = grid(
      {"parameters.decision.leverage.RUS=0:2:1", "countries.KAZ.exposure.RUS.transit=0.2:0.4:0.2"},
      3);
  REQUIRE(design.points() == 6);
  REQUIRE(design.runs() == 18);
  std::vector<double> values;
  design.point_values(1, values);
  CHECK(values == std::vector<double>{0.0, 0.4});
  design.point_values(2, values);
  CHECK(values == std::vector<double>{1.0, 0.2});
  const SweepRun run = design.run(7);
  CHECK(run.point == 2);
  CHECK(run.replication == 1);
}

TEST_CASE("run seeds depend only on the sweep seed and the run index") {
  const SweepDesign design = grid({"parameters.decision.leverage.RUS=0:1:0.5"}, 100);
  std::set<std::uint64_t> seeds;
  for (std::int64_t run = 0; run < design.runs(); ++run) {
    const SweepRun described = design.run(run);
    CHECK(described.seed < (std::uint64_t{1} << 63));  // fits SQLite's signed INTEGER
    seeds.insert(described.seed);
  }
  CHECK(seeds.size() == static_cast<std::size_t>(design.runs()));
  CHECK(grid({"parameters.decision.leverage.RUS=0:1:0.5"}, 100).run(123).seed ==
        design.run(123).seed);
}

TEST_CASE("with no --vary a grid is one point replicated: an ensemble") {
  const SweepDesign design = grid({}, 50);
  CHECK(design.points() == 1);
  CHECK(design.runs() == 50);
  CHECK(design.inputs().empty());
}

TEST_CASE("the Feistel permutation is a bijection of 0 to n - 1") {
  for (std::uint64_t size : {1ULL, 2ULL, 3ULL, 7ULL, 64ULL, 100ULL, 1000ULL, 4097ULL}) {
    std::set<std::uint64_t> images;
    for (std::uint64_t index = 0; index < size; ++index) {
      const std::uint64_t image = permute_index(index, size, 0x1234);
      CHECK(image < size);
      images.insert(image);
    }
    CHECK(images.size() == size);
  }
  // Different keys give different permutations.
  int moved = 0;
  for (std::uint64_t index = 0; index < 100; ++index) {
    moved += permute_index(index, 100, 1) != permute_index(index, 100, 2) ? 1 : 0;
  }
  CHECK(moved > 50);
}

TEST_CASE("a Latin hypercube puts exactly one point in each stratum of every input") {
  const std::int64_t samples = 200;
  const SweepDesign design = latin(
      {"parameters.decision.leverage.RUS=0:2", "events.rus_note_hrc_2022_04_06.magnitude=0.2:1"},
      samples, 99);
  std::vector<std::set<std::int64_t>> strata(2);
  std::vector<double> values;
  for (std::int64_t point = 0; point < samples; ++point) {
    design.point_values(point, values);
    CHECK(values[0] >= 0.0);
    CHECK(values[0] <= 2.0);
    CHECK(values[1] >= 0.2);
    CHECK(values[1] <= 1.0);
    strata[0].insert(static_cast<std::int64_t>(values[0] / 2.0 * samples));
    strata[1].insert(static_cast<std::int64_t>((values[1] - 0.2) / 0.8 * samples));
  }
  CHECK(strata[0].size() == static_cast<std::size_t>(samples));
  CHECK(strata[1].size() == static_cast<std::size_t>(samples));
}

TEST_CASE("a Latin hypercube is fixed by its seed") {
  const std::vector<std::string> vary = {"parameters.decision.leverage.RUS=0:2"};
  std::vector<double> first;
  std::vector<double> again;
  std::vector<double> other;
  latin(vary, 50, 5).point_values(17, first);
  latin(vary, 50, 5).point_values(17, again);
  latin(vary, 50, 6).point_values(17, other);
  CHECK(first == again);
  CHECK(first != other);
}

TEST_CASE("apply sets the varied inputs on a scenario") {
  const SweepDesign design = grid({"countries.KAZ.exposure.RUS.transit=0.1:0.3:0.1"});
  Scenario copy = default_scenario();
  design.apply(copy, {0.25});
  const Index kaz = copy.find_country("KAZ");
  CHECK(copy.countries[static_cast<std::size_t>(kaz)].exposure(
            copy.find_power("RUS"), copy.find_channel("transit")) == 0.25);
}

TEST_CASE("bad --vary specifications and design options are input errors") {
  SweepDesignOptions options;
  CHECK_THAT(design_error({"parameters.decision.leverage.RUZ=0:1:0.5"}, options),
             Catch::Contains("unknown or non-numeric path") && Catch::Contains("leverage.RUS"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS"}, options),
             Catch::Contains("expected PATH=LO:HI"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:x:1"}, options),
             Catch::Contains("finite numbers"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=2:1:0.5"}, options),
             Catch::Contains("greater than HI"));
  CHECK_THAT(design_error({"countries.KAZ.exposure.RUS.transit=0:1.5:0.5"}, options),
             Catch::Contains("accepts, [0, 1]"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:1:0"}, options),
             Catch::Contains("STEP must be positive"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:1:5"}, options),
             Catch::Contains("larger than the range") && Catch::Contains("at most 1"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:1"}, options),
             Catch::Contains("a grid needs a STEP"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:1:0.5",
                           "parameters.decision.leverage.RUS=0:2:1"},
                          options),
             Catch::Contains("varied twice"));
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:1000:1e-6"}, options),
             Catch::Contains("the limit is"));
  // Every problem is reported at once, each naming the option it comes from.
  const std::string both = design_error(
      {"parameters.decision.leverage.RUZ=0:1:1", "powers.RUS.capacity=3:1:1"}, options);
  CHECK_THAT(both, Catch::Contains("--vary parameters.decision.leverage.RUZ=0:1:1: error:") &&
                       Catch::Contains("--vary powers.RUS.capacity=3:1:1: error:"));

  SweepDesignOptions latin_options;
  latin_options.kind = SweepDesignKind::LatinHypercube;
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:1"}, latin_options),
             Catch::Contains("needs --samples"));
  latin_options.samples = 10;
  CHECK_THAT(design_error({"parameters.decision.leverage.RUS=0:1:0.5"}, latin_options),
             Catch::Contains("drop the STEP"));
  CHECK_THAT(design_error({}, latin_options), Catch::Contains("needs at least one --vary"));
  CHECK(design_error({"parameters.decision.leverage.RUS=0:1"}, latin_options).empty());

  SweepDesignOptions grid_with_samples;
  grid_with_samples.samples = 10;
  CHECK_THAT(design_error({}, grid_with_samples), Catch::Contains("applies to --design lhs"));
  SweepDesignOptions no_replications;
  no_replications.replications = 0;
  CHECK_THAT(design_error({}, no_replications), Catch::Contains("--replications: error"));
}

TEST_CASE("varying an input of a dropped event says the event is dropped, not that it is unknown") {
  LoadOptions options;
  options.drop_events = {"rus_note_hrc_2022_04_06"};
  const Scenario scenario = load_scenario("builtin:central_asia_2022.yaml", options);
  CHECK_THROWS_WITH(resolve_numeric_input(scenario, "events.rus_note_hrc_2022_04_06.magnitude", {}),
                    Catch::Contains("which --drop-event removes"));
  CHECK_THROWS_WITH(resolve_numeric_input(scenario, "events.no_such_event.magnitude", {}),
                    Catch::Contains("unknown or non-numeric path"));
}
