// `multivector calibrate --folds forward` end to end: which resolutions are scored, what the
// table and the parameters file say, and a bad --min-earlier refused before any work.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/test_support.hpp"

using multivector::testing::read_text_file;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;

namespace {

const std::string kWorld = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/world_2022.yaml";

}  // namespace

TEST_CASE("calibrate --folds forward scores only resolutions with enough earlier ones") {
  ScratchDirectory scratch;
  const std::string params = scratch / "params.yaml";
  // Sixteen resolutions, the last two (ES-11/4, ES-11/6) with fourteen or more before them.
  const auto result =
      run_command({"calibrate", kWorld, "--folds", "forward", "--min-earlier", "14", "-o", params});
  REQUIRE(result.status == 0);
  CHECK_THAT(
      result.out,
      Catch::Contains("held out (2 forward folds, each fitted on earlier resolutions only)"));
  CHECK_THAT(result.out, Catch::Contains("not scored (fewer than 14 recorded resolutions before "
                                         "them to fit on): A/RES/68/262 A/RES/71/205"));
  CHECK_THAT(result.out, Catch::Contains("  A/RES/ES-11/4 "));
  CHECK_THAT(result.out, Catch::Contains("  A/RES/ES-11/6 "));
  CHECK_THAT(result.out, !Catch::Contains("  A/RES/ES-11/3 "));
  const std::string yaml = read_text_file(params);
  CHECK_THAT(yaml, Catch::Contains("  held_out:\n    folds: forward\n    unscored: "
                                   "[\"A/RES/68/262\", \"A/RES/71/205\""));
  CHECK_THAT(yaml, Catch::Contains("    model: {rows: 386, accuracy: "));
}

TEST_CASE("calibrate refuses a --min-earlier it cannot honour before fitting anything") {
  ScratchDirectory scratch;
  const std::string params = scratch / "params.yaml";
  const auto below_one =
      run_command({"calibrate", kWorld, "--folds", "forward", "--min-earlier", "0", "-o", params});
  CHECK(below_one.status == 2);
  CHECK_THAT(below_one.err, Catch::Contains("--min-earlier"));
  // Leaving one out skips no resolution, so the option would silently do nothing.
  const auto without_forward =
      run_command({"calibrate", kWorld, "--folds", "loro", "--min-earlier", "3", "-o", params});
  CHECK(without_forward.status == 2);
  CHECK_THAT(without_forward.err,
             Catch::Contains("--min-earlier: only applies with --folds forward"));
  CHECK_FALSE(std::filesystem::exists(params));
}
