// Reading run directories back, and rebuilding a run from its manifest.
#include <catch2/catch.hpp>

#include "results/atomic_output.hpp"
#include "results/run_directory.hpp"
#include "results/text_format.hpp"
#include "sim/diagnostics.hpp"
#include "tests/test_support.hpp"

using namespace multivector;
using namespace multivector::results;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;
using multivector::testing::test_data;

TEST_CASE("a run directory reads back votes and statements with every term") {
  ScratchDirectory scratch;
  REQUIRE(run_command({"run", test_data("explain/two_options.yaml"), "--out", scratch / "run",
                       "--decisions", "sample", "--seed", "11"})
              .status == 0);
  const RunDirectory run = read_run_directory(scratch.path() / "run");
  CHECK(run.seed() == 11);
  CHECK(run.term_names == std::vector<std::string>{"intercept", "participation", "orientation",
                                                   "persistence", "leverage_RUS", "threat_RUS"});
  REQUIRE(run.decisions.size() == 1);
  const SimulatedDecision* speak = run.find("speak", "TJK");
  REQUIRE(speak);
  CHECK(speak->statement);
  CHECK(speak->options == std::vector<std::string>{"speak_out", "stay_quiet"});
  CHECK(speak->modal == "speak_out");
  CHECK(speak->utility[0] == Approx(0.16));
  CHECK(speak->terms[0][4] == Approx(-0.45));  // leverage_RUS on speak_out
  // The threat fired; it lapses only if the draw made TJK speak out anyway.
  CHECK(run.events.size() == (speak->realised == "speak_out" ? 2U : 1U));

  const RunRecipe recipe = run_recipe(run.manifest, "manifest.json");
  CHECK(recipe.scenario == test_data("explain/two_options.yaml"));
  CHECK(recipe.run.decisions == sim::DecisionMode::Sample);
  CHECK(recipe.run.seed == std::optional<std::uint64_t>(11));
  const sim::Scenario scenario = sim::load_scenario(recipe.scenario, recipe.load);
  CHECK(changed_files(scenario, recipe).empty());
}

TEST_CASE("a malformed run file is an error at its line") {
  try {
    (void)read_run_directory(test_data("run_directory/bad_number"));
    FAIL("expected an InputError");
  } catch (const sim::InputError& error) {
    const std::string message = error.what();
    CHECK(message.find("bad_number/votes.csv:3:1: error: 'half' in column 'p_N'") !=
          std::string::npos);
  }
  CHECK_THROWS_AS(read_run_directory(test_data("run_directory/none")), sim::InputError);
  CHECK_FALSE(is_run_directory(test_data("explain/two_options.yaml")));
}

TEST_CASE("every reader of a run refuses a file cut short and warns of one edited since") {
  ScratchDirectory scratch;
  const auto run = scratch / "run";
  REQUIRE(run_command({"run", "--out", run}).status == 0);
  const std::string votes = testing::read_text_file(run / "votes.csv");
  std::vector<std::string> warnings;
  (void)read_run_manifest(run, warnings);
  CHECK(warnings.empty());

  // The first 11 of its 25 rows, as `head -n 12` leaves them.
  const auto cut = scratch / "cut";
  std::filesystem::copy(run, cut);
  {
    const auto lines = testing::split_lines(votes);
    std::ofstream file(cut / "votes.csv", std::ios::binary);
    for (std::size_t line = 0; line < 12; ++line) {
      file << lines[line] << "\n";
    }
  }
  CHECK_THROWS_WITH(read_run_directory(cut),
                    Catch::Contains("votes.csv has 11 rows but the run's manifest records 25"));
  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
           {"compare", cut, "--out", scratch / "compared", "--resamples", "0"},
           {"diff", run, cut},
           {"export-votes", cut},
           {"report", cut, "-o", scratch / "report.html"},
           {"explain", cut, "--country", "KAZ", "--item", "ES-11/1", "--no-search",
            "--no-events"}}) {
    const auto result = run_command(command);
    INFO(command.front() << ": " << result.err);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Catch::Contains("cut short"));
  }
  CHECK_FALSE(std::filesystem::exists(scratch / "compared"));
  CHECK_FALSE(std::filesystem::exists(scratch / "report.html"));

  // The same rows, one probability changed: read, with a warning.
  const auto edited = scratch / "edited";
  std::filesystem::copy(run, edited);
  std::string changed = votes;
  const std::size_t digit = changed.find("0.", changed.find('\n'));
  REQUIRE(digit != std::string::npos);
  changed[digit + 2] = changed[digit + 2] == '1' ? '2' : '1';
  { std::ofstream(edited / "votes.csv", std::ios::binary) << changed; }
  const RunDirectory read = read_run_directory(edited);
  REQUIRE(read.warnings.size() == 1);
  CHECK_THAT(read.warnings[0], Catch::Contains("votes.csv is not the file the run wrote"));
  const auto compared = run_command({"compare", edited, "--resamples", "0"});
  CHECK(compared.status == 0);
  CHECK_THAT(compared.err, Catch::Contains("edited after the run"));

  // A manifest written before outputs were recorded is read unchecked.
  auto manifest = nlohmann::json::parse(testing::read_text_file(cut / "manifest.json"));
  manifest.erase("outputs");
  { std::ofstream(cut / "manifest.json") << manifest.dump(2); }
  CHECK(read_run_directory(cut).decisions.size() > 10);
}

TEST_CASE("a manifest that is not JSON is an error at its line and column") {
  const std::string text = "{\n  \"seed\": 1,\n  oops\n}\n";
  try {
    const auto parsed = nlohmann::json::parse(text);
    CHECK(parsed.is_null());  // not reached
    FAIL("expected a parse error");
  } catch (const nlohmann::json::parse_error& parse_error) {
    const sim::InputError error =
        json_error("run/manifest.json", text, parse_error.byte, parse_error.what());
    const std::string message = error.what();
    INFO(message);
    CHECK(message.starts_with("run/manifest.json:3:3: error: not valid JSON: syntax error"));
    CHECK(message.find("parse error at line") == std::string::npos);
  }
}

TEST_CASE("a manifest without scenario files cannot be rebuilt") {
  const auto manifest = nlohmann::json::parse(R"({"seed": 1, "scenario": {"files": []}})");
  CHECK_THROWS_AS(run_recipe(manifest, "manifest.json"), sim::InputError);
  const auto bad_mode = nlohmann::json::parse(
      R"({"decisions": "random", "scenario": {"files": [{"path": "a.yaml"}]}})");
  CHECK_THROWS_AS(run_recipe(bad_mode, "manifest.json"), sim::InputError);
}

TEST_CASE("printed numbers use a true minus sign and pad by characters") {
  CHECK(signed_text(-0.404, 2) == "\u22120.40");
  CHECK(signed_text(0.001, 2) == "+0.00");
  CHECK(signed_text(-0.001, 2) == "+0.00");
  CHECK(signed_significant_text(-1.27e-5, 3) == "\u22121.27e-05");
  CHECK(significant_text(0.64814814, 4) == "0.6481");
  CHECK(fixed_text(0.5, 3) == "0.500");
  CHECK(pad_to("\u22120.40", 7) == "\u22120.40  ");
}

TEST_CASE("commands printed for pasting back into a shell quote what the shell would split") {
  CHECK(shell_quote("countries.KAZ.exposure.RUS.transit=0.3") ==
        "countries.KAZ.exposure.RUS.transit=0.3");
  CHECK(shell_quote("scenario.name=two words") == "'scenario.name=two words'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("$HOME") == "'$HOME'");
  CHECK(command_line_text({"/usr/bin/multivector", "run", "--set", "a.b=x y"}) ==
        "multivector run --set 'a.b=x y'");
}

TEST_CASE("an output in any folder below a run folder is refused with a path beside it") {
  ScratchDirectory scratch;
  REQUIRE(run_command({"run", "--out", scratch / "run"}).status == 0);
  std::filesystem::create_directories(scratch.path() / "run" / "sub" / "deeper");
  const std::filesystem::path run = scratch.path() / "run";
  CHECK_NOTHROW(check_not_inside_run_folder(scratch.path() / "beside.csv"));
  CHECK_NOTHROW(check_not_inside_run_folder(scratch.path() / "run_exports" / "x.csv"));
  for (const std::filesystem::path& output :
       {run / "x.csv", run / "sub" / "x.csv", run / "sub" / "deeper" / "x.csv",
        run / "not_yet_made" / "x.csv", run / "sub" / ".." / "x.csv"}) {
    INFO(output);
    try {
      check_not_inside_run_folder(output);
      FAIL("accepted");
    } catch (const OutputError& error) {
      CHECK_THAT(error.what(), Catch::Contains("'" + run.string() + "' is a run folder") &&
                                   Catch::Contains("e.g. " + (scratch / "run_x.csv").string()));
    }
  }
}

TEST_CASE(
    "derive-priors, generate and calibrate refuse an output inside a run folder's subfolder") {
  ScratchDirectory scratch;
  REQUIRE(run_command({"run", "--out", scratch / "run"}).status == 0);
  const std::string sub = scratch / "run" / "sub";
  const std::string voeten = std::string(MULTIVECTOR_TEST_DATA_DIR) + "/voeten/";
  const std::string world = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/world_2022.yaml";
  const std::vector<std::vector<std::string>> commands = {
      {"generate", "--countries", "2", "--days", "10", "-o", sub + "/generated.yaml"},
      {"derive-priors", "--voeten-dir", voeten, "--before", "2023-01-01", "-o",
       scratch / "priors.yaml", "--csv", sub + "/priors.csv"},
      {"calibrate", world, "-o", sub + "/params.yaml"},
      {"calibrate", world, "--folds", "forward", "--predictions", sub + "/held.csv"},
      {"export-votes", scratch / "run", "-o", sub + "/votes.csv"}};
  for (const auto& command : commands) {
    INFO(command.front());
    const auto refused = run_command(command);
    CHECK(refused.status == 2);
    CHECK_THAT(refused.err, Catch::Contains("is a run folder"));
  }
  CHECK_FALSE(std::filesystem::exists(sub));
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "priors.yaml"));
  // Nothing was left in the run folder, so the next run into it is allowed.
  CHECK(run_command({"run", "--seed", "2", "--out", scratch / "run"}).status == 0);
}
