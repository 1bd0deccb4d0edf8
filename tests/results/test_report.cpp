// `multivector report`: the data it gathers from a run directory, the explanations, and the HTML
// file (self-contained, small enough) written through the command line in-process.
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include "results/decision_explanation.hpp"
#include "results/report.hpp"
#include "sim/cli/cli.hpp"
#include "tests/test_support.hpp"

using namespace multivector;
using namespace multivector::results;

namespace {

using TemporaryDirectory = testing::ScratchDirectory;
using CliResult = testing::CommandResult;
using testing::run_command;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>());
}

const std::filesystem::path kCompareFixture =
    std::filesystem::path(MULTIVECTOR_TEST_DATA_DIR) / "report" / "compare";

// The default scenario run into `directory`/run.
std::filesystem::path default_run(const TemporaryDirectory& directory) {
  auto run = directory.path() / "run";
  const CliResult result = run_command({"run", "--out", run.string()});
  REQUIRE(result.status == 0);
  return run;
}

const nlohmann::ordered_json* find_cell(const nlohmann::ordered_json& data, const std::string& item,
                                        const std::string& country) {
  for (const auto& cell : data["vote_matrix"]) {
    if (cell["item"] == item && cell["country"] == country) {
      return &cell;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("report data of the default run hold votes, decisions, trajectory and events") {
  TemporaryDirectory directory;
  const auto run = default_run(directory);
  std::vector<std::string> warnings;
  const auto data = report_data({run, {}}, warnings);
  CHECK(warnings.empty());
  CHECK(data["countries"].size() == 5);
  CHECK(data["vote_matrix"].size() == 25);
  // Recorded votes come from the scenario's compare_with; every cell has one.
  for (const auto& cell : data["vote_matrix"]) {
    CHECK(cell["recorded"].is_string());
    CHECK(cell["match"].is_boolean());
  }
  // 25 votes and 5 statements, each with an explanation naming the country and a probability.
  REQUIRE(data["decisions"].size() == 30);
  for (const auto& decision : data["decisions"]) {
    const std::string text = decision["explanation"];
    CHECK(text.find(decision["country_name"].get<std::string>()) == 0);
    CHECK(text.find("probability") != std::string::npos);
    CHECK(!decision["terms"].empty());
  }
  CHECK(data["trajectory"]["dates"].size() == 374);
  CHECK(data["trajectory"]["series"]["KAZ"]["leverage_RUS"].size() == 374);
  CHECK(data["trajectory"]["series"]["KAZ"].contains("credibility_CHN"));
  CHECK(data["trajectory"]["series"]["KAZ"].contains("orientation"));
  CHECK(data["events"].size() > 10);
  CHECK(!data.contains("compare"));
}

TEST_CASE("report data name the run's seed exactly, its scenario files and its parameters file") {
  TemporaryDirectory directory;
  const auto run = directory.path() / "run";
  const auto params = directory.path() / "params.yaml";
  std::ofstream(params) << "parameters:\n  decision:\n    temperature: 3.0\n";
  const CliResult result = run_command({"run", "--out", run.string(), "--seed",
                                        "18446744073709551615", "--params", params.string()});
  REQUIRE(result.status == 0);
  std::vector<std::string> warnings;
  const auto data = report_data({run, {}}, warnings);
  // A string: as a JavaScript number it would print as 18446744073709552000.
  CHECK(data["meta"]["seed"] == "18446744073709551615");
  CHECK(data["meta"]["params_file"] == params.string());
  // The built-in scenario, then the parameters file, each with its SHA-256.
  REQUIRE(data["meta"]["scenario_files"].size() == 2);
  CHECK(data["meta"]["scenario_files"][1]["path"] == params.string());
  for (const auto& file : data["meta"]["scenario_files"]) {
    CHECK(file["sha256"].get<std::string>().size() == 64);
  }
}

TEST_CASE("a run with --no-trajectory has no trajectory.csv, and its report has no trajectory") {
  TemporaryDirectory directory;
  const auto run = directory.path() / "run";
  REQUIRE(run_command({"run", "--no-trajectory", "--out", run.string()}).status == 0);
  CHECK_FALSE(std::filesystem::exists(run / "trajectory.csv"));
  CHECK(std::filesystem::exists(run / "votes.csv"));
  std::vector<std::string> warnings;
  const auto data = report_data({run, {}}, warnings);
  CHECK_FALSE(data.contains("trajectory"));
}

TEST_CASE("report data with --compare read recorded votes and metrics from the comparison") {
  TemporaryDirectory directory;
  const auto run = default_run(directory);
  std::vector<std::string> warnings;
  const auto data = report_data({run, kCompareFixture}, warnings);
  REQUIRE(data.contains("compare"));
  CHECK(data["compare"]["overall"].contains("always_yes"));
  CHECK(data["compare"]["per_resolution"].size() == 5);
  CHECK(data["compare"]["overall_intervals"]["resolutions"] == 5);
  // The fixture records Kazakhstan's vote on ES-11/6 as Y, unlike the scenario's own file.
  const auto* cell = find_cell(data, "ES-11/6", "KAZ");
  REQUIRE(cell != nullptr);
  CHECK((*cell)["recorded"] == "Y");
  CHECK((*cell)["match"] == false);
}

TEST_CASE("report refuses to write over the scenario or parameters file its run was made from") {
  TemporaryDirectory directory;
  const auto scenario = directory.path() / "scenario.yaml";
  { std::ofstream(scenario) << "extends: builtin:central_asia_2022.yaml\n"; }
  const auto run = directory.path() / "run";
  REQUIRE(run_command({"run", scenario.string(), "--out", run.string()}).status == 0);
  const CliResult over_scenario = run_command({"report", run.string(), "-o", scenario.string()});
  CHECK(over_scenario.status == 2);
  CHECK_THAT(over_scenario.err, Catch::Contains("which this command reads"));
  CHECK(read_file(scenario) == "extends: builtin:central_asia_2022.yaml\n");
}

TEST_CASE("report refuses to replace an existing file that is not an HTML page") {
  TemporaryDirectory directory;
  const auto run = default_run(directory);
  const auto table = directory.path() / "analysis.csv";
  { std::ofstream(table) << "country,share\nKAZ,0.5\n"; }
  const CliResult over_table = run_command({"report", run.string(), "-o", table.string()});
  CHECK(over_table.status == 2);
  CHECK_THAT(over_table.err, Catch::Contains("not a web page"));
  CHECK(read_file(table) == "country,share\nKAZ,0.5\n");

  // Told by content, not by name: notes saved as .html are kept, an earlier report is replaced
  // whatever its name, and so is a report written before to a name without .html.
  const auto notes = directory.path() / "notes.html";
  { std::ofstream(notes) << "my notes\n"; }
  CHECK(run_command({"report", run.string(), "-o", notes.string()}).status == 2);
  CHECK(read_file(notes) == "my notes\n");
  const auto earlier = directory.path() / "Earlier.HTM";
  { std::ofstream(earlier) << "\n<HTML></HTML>"; }
  CHECK(run_command({"report", run.string(), "-o", earlier.string()}).status == 0);
  CHECK(read_file(earlier).size() > 1000);
  const auto fresh = directory.path() / "report_without_extension";
  CHECK(run_command({"report", run.string(), "-o", fresh.string()}).status == 0);
  CHECK(std::filesystem::exists(fresh));
  CHECK(run_command({"report", run.string(), "-o", fresh.string()}).status == 0);
}

TEST_CASE("report refuses to write over the recorded votes its scenario compares with") {
  TemporaryDirectory directory;
  const auto votes = directory.path() / "votes.csv";
  std::filesystem::copy_file(
      std::filesystem::path(MULTIVECTOR_SOURCE_DIR) / "scenarios/data/unga/votes.csv", votes);
  const std::string recorded = read_file(votes);
  const auto scenario = directory.path() / "scenario.yaml";
  {
    std::ofstream(scenario) << "extends: " << MULTIVECTOR_SOURCE_DIR
                            << "/scenarios/central_asia_2022.yaml\n"
                            << "scenario: {compare_with: votes.csv}\n";
  }
  const auto run = directory.path() / "run";
  REQUIRE(run_command({"run", scenario.string(), "--out", run.string()}).status == 0);
  const CliResult over_votes = run_command({"report", run.string(), "-o", votes.string()});
  CHECK(over_votes.status == 2);
  CHECK_THAT(over_votes.err, Catch::Contains("which this command reads"));
  CHECK(read_file(votes) == recorded);
}

TEST_CASE("report refuses a --compare that scored another run") {
  TemporaryDirectory directory;
  const auto run = default_run(directory);
  const auto whatif = directory.path() / "whatif";
  REQUIRE(run_command({"run", "--drop-event", "rus_note_hrc_2022_04_06", "--out", whatif.string()})
              .status == 0);
  REQUIRE(run_command({"compare", whatif.string(), "--resamples", "0"}).status == 0);
  std::vector<std::string> warnings;
  CHECK_THROWS_WITH(report_data({run, whatif}, warnings),
                    Catch::Contains("scored another run (its dropped_events differ"));
  const CliResult refused = run_command({"report", run.string(), "--compare", whatif.string(), "-o",
                                         (directory.path() / "report.html").string()});
  CHECK(refused.status == 2);
  CHECK_FALSE(std::filesystem::exists(directory.path() / "report.html"));
  // Its own comparison is no warning.
  (void)report_data({whatif, whatif}, warnings);
  CHECK(warnings.empty());
}

TEST_CASE("report data read a UN Digital Library compare_with file, and say why they cannot") {
  TemporaryDirectory directory;
  const std::string history = std::string(MULTIVECTOR_TEST_DATA_DIR) + "/history/";
  const auto run_with = [&](const std::string& name, const std::string& compare_with) {
    // compare_with is a path relative to the history fixtures, or an absolute one.
    const auto scenario = directory.path() / (name + ".yaml");
    std::ofstream(scenario) << "extends: " << MULTIVECTOR_SOURCE_DIR
                            << "/scenarios/central_asia_2022.yaml\n"
                            << "scenario: {compare_with: "
                            << (compare_with.front() == '/' ? "" : history) << compare_with
                            << "}\n";
    auto run = directory.path() / name;
    const CliResult result = run_command({"run", scenario.string(), "--out", run.string()});
    INFO(result.err);
    REQUIRE(result.status == 0);
    return run;
  };

  std::vector<std::string> warnings;
  const auto library = report_data({run_with("library", "undl_small.csv"), {}}, warnings);
  CHECK(warnings.empty());
  const auto* kazakhstan = find_cell(library, "ES-11/1", "KAZ");
  REQUIRE(kazakhstan != nullptr);
  CHECK((*kazakhstan)["recorded"] == "A");
  const auto* kyrgyzstan = find_cell(library, "ES-11/1", "KGZ");  // not in the file
  REQUIRE(kyrgyzstan != nullptr);
  CHECK((*kyrgyzstan)["recorded"].is_null());

  // `run` refuses an unreadable compare_with, so the file is broken after the run.
  const auto copy = directory.path() / "undl_copy.csv";
  std::filesystem::copy_file(history + "undl_small.csv", copy);
  const auto run = run_with("broken", copy.string());
  std::filesystem::copy_file(history + "undl_malformed.csv", copy,
                             std::filesystem::copy_options::overwrite_existing);
  warnings.clear();
  const auto broken = report_data({run, {}}, warnings);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0],
             Catch::Contains("cannot read the recorded votes (" + copy.string() + ":3:") &&
                 Catch::Contains("simulated votes only"));
  CHECK(find_cell(broken, "ES-11/1", "KAZ")->at("recorded").is_null());
}

TEST_CASE("report data refuse what is not a run directory or a comparison") {
  TemporaryDirectory directory;
  std::vector<std::string> warnings;
  CHECK_THROWS_AS(report_data({directory.path() / "missing", {}}, warnings), sim::InputError);
  CHECK_THROWS_AS(report_data({directory.path(), {}}, warnings), sim::InputError);  // no manifest
  const auto run = default_run(directory);
  CHECK_THROWS_AS(report_data({run, directory.path()}, warnings), sim::InputError);
  // A broken votes.csv is reported with its file, not skipped.
  std::ofstream(run / "votes.csv") << "item,resolution\nES-11/1\n";
  try {
    (void)report_data({run, {}}, warnings);
    FAIL("a broken votes.csv was accepted");
  } catch (const sim::InputError& error) {
    CHECK(error.diagnostics().front().to_string().find("votes.csv") != std::string::npos);
  }
}

TEST_CASE("report: one self-contained HTML file under 3 MB") {
  TemporaryDirectory directory;
  const auto run = default_run(directory);
  const auto output = directory.path() / "report.html";
  const CliResult result = run_command({"report", run.string(), "-o", output.string()});
  if (!missing_chart_libraries().empty()) {
    // A build without web/node_modules must say what to do, not write a broken page.
    CHECK(result.status == 1);
    CHECK(result.err.find("npm ci") != std::string::npos);
    CHECK(!std::filesystem::exists(output));
    WARN("chart libraries not embedded: run scripts/setup.sh --web and rebuild to test the report");
    return;
  }
  INFO(result.err);
  REQUIRE(result.status == 0);
  REQUIRE(std::filesystem::exists(output));
  CHECK(std::filesystem::file_size(output) < std::uintmax_t{3} * 1024U * 1024U);
  const std::string html = read_file(output);
  CHECK(html.rfind("<!doctype html>", 0) == 0);
  // Nothing is loaded from the network: no script or stylesheet with an http(s) source.
  CHECK_FALSE(std::regex_search(html, std::regex(R"(<script[^>]+src\s*=)", std::regex::icase)));
  CHECK_FALSE(std::regex_search(
      html, std::regex(R"(<link[^>]+href\s*=\s*["']?https?:)", std::regex::icase)));
  CHECK(html.find("vegaEmbed") != std::string::npos);
  CHECK(html.find("id=\"report-data\"") != std::string::npos);
  // Every template marker was filled.
  CHECK(html.find("<!--DATA-->") == std::string::npos);
  CHECK(html.find("{{TITLE}}") == std::string::npos);

  // Default output: RUN_DIR/report.html; --compare adds the accuracy data.
  const CliResult default_output =
      run_command({"report", run.string(), "--compare", kCompareFixture.string()});
  CHECK(default_output.status == 0);
  CHECK(std::filesystem::exists(run / "report.html"));
  CHECK(read_file(run / "report.html").find("\"always_yes\"") != std::string::npos);

  // Bad input: exit status 2 and a message, no file.
  const CliResult missing = run_command({"report", (directory.path() / "nowhere").string(), "-o",
                                         (directory.path() / "x.html").string()});
  CHECK(missing.status == 2);
  CHECK(!std::filesystem::exists(directory.path() / "x.html"));
}

TEST_CASE("script_safe keeps inlined text from ending its <script> element") {
  CHECK(script_safe("a</script>b") == "a<\\/script>b");
  CHECK(script_safe("a</SCRIPT>b") == "a<\\/SCRIPT>b");
  CHECK(script_safe("x<!--y") == "x<\\!--y");
  CHECK(script_safe("s.replace(/</g, '&lt;') && a</b") == "s.replace(/</g, '&lt;') && a</b");
  CHECK(html_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

TEST_CASE("a page template's marker is filled once, and a missing marker is a build mistake") {
  std::string page = "<title>{{TITLE}}</title><p>{{TITLE}}</p>";
  fill_page_marker(page, "test.html", "{{TITLE}}", "A &amp; B");
  CHECK(page == "<title>A &amp; B</title><p>{{TITLE}}</p>");
  std::string without = "<html></html>";
  CHECK_THROWS_WITH(fill_page_marker(without, "test.html", "<!--SCRIPT-->", "x"),
                    "web/src/test.html lacks <!--SCRIPT-->");
  CHECK(without == "<html></html>");
}

TEST_CASE("an explanation names the choice, its probability and the terms that favoured it") {
  DecisionView view;
  view.item = "R1";
  view.item_name = "R1 \u201cA resolution\u201d";
  view.country = "KAZ";
  view.country_name = "Kazakhstan";
  view.options = {"Y", "N", "A", "NV"};
  view.probability = {0.2, 0.05, 0.7, 0.05};
  view.term_names = {"intercept", "leverage_RUS", "norm_territorial_integrity", "orientation"};
  view.terms = {
      {0.0, -2.5, 1.0, 0.3}, {-1.0, 0.0, -1.0, -0.3}, {1.0, -0.3, 0.0, 0.0}, {0.0, -0.2, 0.0, 0.0}};
  view.chosen = 2;
  TermLabels labels;
  labels.powers["RUS"] = "Russia";
  labels.norms["territorial_integrity"] = "territorial integrity";
  const Explanation explanation = explain_decision(view, labels);
  INFO(explanation.text);
  CHECK(explanation.text.find("Kazakhstan abstained on R1") == 0);
  CHECK(explanation.text.find("probability 70%") != std::string::npos);
  CHECK(explanation.runner_up == "Y");
  REQUIRE(explanation.favouring.size() >= 2);
  // Against the likeliest rival (Yes), Russian leverage weighs most: −0.3 against −2.5.
  CHECK(explanation.favouring.front().term == "leverage_RUS");
  CHECK(explanation.text.find("fear of offending Russia") != std::string::npos);
  CHECK(explanation.text.find("+2.20 over voting Yes") != std::string::npos);
  // The norm pulled towards Yes: named as the force against.
  CHECK(explanation.text.find("Against it: the norm of territorial integrity") !=
        std::string::npos);
}
