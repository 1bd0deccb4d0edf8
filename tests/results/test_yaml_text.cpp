// Generated YAML reads back as the strings that went in, whatever users named things.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <string>

#include "results/calibration.hpp"
#include "results/yaml_text.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"

using namespace multivector;

TEST_CASE("yaml_quoted and yaml_key read back as the same string") {
  const std::string awkward[] = {"KAZ",
                                 "A/RES/78/221",
                                 "human_rights_country",
                                 "say \"no\"",
                                 "back\\slash",
                                 "two\nlines",
                                 "tab\there",
                                 "bell\a",
                                 "key: value",
                                 "# not a comment",
                                 "- not a list",
                                 "no",
                                 "Y",
                                 "Off",
                                 "~",
                                 "",
                                 "123",
                                 "Côte d'Ivoire",
                                 "[1, 2]",
                                 "{a: b}",
                                 "&anchor",
                                 "*alias",
                                 "!tag",
                                 "%directive",
                                 "trailing space "};
  for (const auto& text : awkward) {
    CAPTURE(text);
    const YAML::Node quoted = YAML::Load("value: " + results::yaml_quoted(text));
    CHECK(quoted["value"].as<std::string>() == text);
    if (!text.empty()) {
      const YAML::Node keyed = YAML::Load(results::yaml_key(text) + ": 1");
      REQUIRE(keyed.IsMap());
      CHECK(keyed.begin()->first.as<std::string>() == text);
    }
  }
  // What people write stays as they wrote it; only what could be misread is quoted.
  CHECK(results::yaml_key("KAZ") == "KAZ");
  CHECK(results::yaml_key("human_rights_country") == "human_rights_country");
  CHECK(results::yaml_key("NO") == "\"NO\"");  // a boolean to YAML 1.1 readers (PyYAML, R)
  CHECK(results::yaml_key("say \"no\"") == "\"say \\\"no\\\"\"");
  CHECK(results::yaml_comment("multivector calibrate\nx.yaml") ==
        "# multivector calibrate x.yaml\n");
}

TEST_CASE(
    "the parameters file reads back whatever the resolutions, tags and countries are called") {
  const sim::Scenario scenario = sim::load_scenario(std::string(sim::kDefaultScenario));
  results::CalibrationResult result;
  result.parameters = scenario.parameters;
  result.parameters.decision.tag_intercepts["war: 2022 # ES"]["Y"] = 0.5;
  result.parameters.decision.country_offsets["NO"].orientation = 0.25;
  result.parameters.decision.country_offsets["NO"].orientation_drift = -0.125;
  result.parameters.decision.drift_reference = sim::Date{17783};
  result.parameters.decision.drift_until = sim::Date{19411};
  result.parameters.decision.offset_tags = {"emergency_session"};
  result.parameters.decision.country_offsets["NO"].by_tag["emergency_session"] =
      sim::TagOffset{0.75, -0.5};
  result.fold_kind = results::Folds::Forward;
  result.unscored = {"first \"text\""};
  results::HeldOutPrediction row;
  row.resolution = "A/RES/\"x\"\\y";
  row.country = "KAZ";
  row.recorded = 0;
  row.predicted = 0;
  row.probability = {0.7, 0.1, 0.1, 0.1};
  result.held_out = {row};
  const std::string text = results::parameters_yaml(
      scenario, result, {"multivector calibrate s.yaml --holdout 'a\nb'", "second line"});
  const YAML::Node parameters = YAML::Load(text);
  CHECK(parameters["calibration"]["held_out"]["unscored"][0].as<std::string>() == "first \"text\"");
  CHECK(
      parameters["calibration"]["held_out"]["by_resolution"]["A/RES/\"x\"\\y"]["rows"].as<int>() ==
      1);
  CHECK(
      parameters["parameters"]["decision"]["tag_intercepts"]["war: 2022 # ES"]["Y"].as<double>() ==
      Approx(0.5));
  CHECK(parameters["parameters"]["decision"]["country_offsets"]["NO"]["orientation"].as<double>() ==
        Approx(0.25));
  CHECK(parameters["parameters"]["decision"]["country_offsets"]["NO"]["orientation_drift"]
            .as<double>() == Approx(-0.125));
  CHECK(parameters["parameters"]["decision"]["drift_reference"].as<std::string>() ==
        sim::format_date(sim::Date{17783}));
  CHECK(parameters["parameters"]["decision"]["drift_until"].as<std::string>() ==
        sim::format_date(sim::Date{19411}));
  CHECK(parameters["parameters"]["decision"]["offset_tags"][0].as<std::string>() ==
        "emergency_session");
  const YAML::Node by_tag =
      parameters["parameters"]["decision"]["country_offsets"]["NO"]["by_tag"]["emergency_session"];
  CHECK(by_tag["orientation"].as<double>() == Approx(0.75));
  CHECK(by_tag["participation"].as<double>() == Approx(-0.5));
  CHECK(text.rfind("# multivector calibrate s.yaml --holdout 'a b'\n# second line\n", 0) == 0);
}
