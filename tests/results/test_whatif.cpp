// The what-if page's request handling, called in-process without sockets: routes, validation of
// every value like a scenario file, simulation and the YAML download.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "results/run_pipeline.hpp"
#include "results/run_writer.hpp"
#include "results/whatif.hpp"
#include "sim/cli/cli.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_paths.hpp"

using namespace multivector;
using namespace multivector::results;
using Json = nlohmann::ordered_json;

namespace {

const WhatIfModel& model() {
  static const WhatIfModel loaded(std::string(sim::kDefaultScenario), {});
  return loaded;
}

Json body_of(const HttpReply& reply) {
  return Json::parse(reply.body);
}

HttpReply post(const std::string& path, const std::string& body) {
  return model().handle("POST", path, body);
}

// The first error message of a refused request, for readable failures.
std::string first_error(const HttpReply& reply) {
  const Json body = body_of(reply);
  return body["errors"].empty() ? "" : body["errors"][0]["message"].get<std::string>();
}

}  // namespace

TEST_CASE("what-if: the page and the controls") {
  const HttpReply page = model().handle("GET", "/", "");
  CHECK(page.status == 200);
  CHECK(page.content_type.find("text/html") == 0);
  CHECK(page.body.find("<!--SCRIPT-->") == std::string::npos);
  CHECK(page.body.find("/api/simulate") != std::string::npos);
  CHECK(page.body.find("{{TITLE}}") == std::string::npos);
  CHECK(page.body.find("<!--STYLE-->") == std::string::npos);
  CHECK(page.body.find("<title>What if? " + model().base().info.name) != std::string::npos);
  CHECK(model().handle("GET", "/index.html", "").body == page.body);

  const HttpReply controls = model().handle("GET", "/api/controls", "");
  REQUIRE(controls.status == 200);
  const Json body = body_of(controls);
  REQUIRE(body["countries"].size() == 5);
  // Exposure to each power on each channel, plus the norms, for every country.
  const Json& kazakhstan = body["countries"][0];
  CHECK(kazakhstan["groups"].size() == model().base().powers.size() + 1);
  const Json& first = kazakhstan["groups"][0]["sliders"][0];
  CHECK(first["path"].get<std::string>().rfind("countries.KAZ.exposure.RUS.", 0) == 0);
  CHECK(first["low"] == 0.0);
  CHECK(first["high"] == 1.0);
  // Every event has a magnitude; threats also a credibility.
  bool threat_seen = false;
  for (const auto& event : body["events"]) {
    CHECK(event["sliders"][0]["label"] == "magnitude");
    if (event["event"] == "THREATEN") {
      threat_seen = true;
      CHECK(event["sliders"].size() == 2);
    }
  }
  CHECK(threat_seen);
  CHECK(body["base"].size() == 30);
  CHECK(body["recorded"]["ES-11/3"]["KAZ"].is_string());
}

TEST_CASE("what-if: a changed value changes the decisions, no change keeps them") {
  const HttpReply unchanged = post("/api/simulate", "{}");
  REQUIRE(unchanged.status == 200);
  const Json base = body_of(model().handle("GET", "/api/controls", ""))["base"];
  const Json decisions = body_of(unchanged)["decisions"];
  REQUIRE(decisions.size() == base.size());
  for (std::size_t index = 0; index < decisions.size(); ++index) {
    CHECK(decisions[index]["probability"] == base[index]["probability"]);
  }
  const HttpReply changed =
      post("/api/simulate", R"({"set": {"countries.TJK.exposure.RUS.remittances": 0}})");
  REQUIRE(changed.status == 200);
  CHECK(body_of(changed)["decisions"] != decisions);
  CHECK(body_of(changed)["server_ms"].is_number());

  // The page's run equals `multivector run --set ... --drop-event ...`.
  const HttpReply dropped = post(
      "/api/simulate",
      R"({"set": {"countries.KAZ.exposure.RUS.transit": 0.3}, "drop": ["rus_note_hrc_2022_04_06"]})");
  REQUIRE(dropped.status == 200);
  sim::LoadOptions options;
  options.overrides = {"countries.KAZ.exposure.RUS.transit=0.3"};
  options.drop_events = {"rus_note_hrc_2022_04_06"};
  const SimulatedRun run =
      simulate(sim::load_scenario(std::string(sim::kDefaultScenario), options), {}, false);
  const Json page_decisions = body_of(dropped)["decisions"];
  REQUIRE(page_decisions.size() == run.recorder->decisions().size());
  for (std::size_t index = 0; index < page_decisions.size(); ++index) {
    const auto& row = run.recorder->decisions()[index];
    const auto& item = run.scenario->agenda[static_cast<std::size_t>(row.item)];
    CHECK(page_decisions[index]["chosen"] == item.options[static_cast<std::size_t>(row.realised)]);
  }
}

TEST_CASE("what-if: every bad value is a 400 with a message, never a crash") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"NaN", "not valid JSON"},
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": NaN}}", "not valid JSON"},
      {"[1, 2]", "must be a JSON object"},
      {"{\"set\": [1]}", "must be an object"},
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": 1.5}}", "out of range"},
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": -0.1}}", "out of range"},
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": 1e400}}", "too large to be a value"},
      // Cut short: the message says where, not that some number was not finite.
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": 0.3", "not valid JSON: parse error"},
      // As `run` refuses --drop-event ID twice.
      {"{\"drop\": [\"rus_note_hrc_2022_04_06\", \"rus_note_hrc_2022_04_06\"]}",
       "'rus_note_hrc_2022_04_06' is listed twice"},
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": \"0.3\"}}", "expected a number"},
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": null}}", "expected a number"},
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transitt\": 0.3}}", "did you mean"},
      {"{\"set\": {\"countries.XXX.exposure.RUS.transit\": 0.3}}", "unknown"},
      {"{\"set\": {\"scenario.name\": 1}}", "unknown or non-numeric path"},
      {"{\"drop\": [\"rus_note\"]}", "unknown event"},
      {"{\"drop\": \"rus_note_hrc_2022_04_06\"}", "must be a list"},
      {"{\"drop\": [7]}", "expected event ids"},
      {"{\"sett\": {}}", "unknown field"},
      // As every YAML input refuses a repeated key: the first value would be dropped silently.
      {"{\"set\": {\"countries.KAZ.exposure.RUS.transit\": 0.5, "
       "\"countries.KAZ.exposure.RUS.transit\": 0.2}}",
       "'countries.KAZ.exposure.RUS.transit' is given twice"},
      {"{\"drop\": [], \"drop\": []}", "'drop' is given twice"},
  };
  for (const auto& [body, message] : cases) {
    for (const std::string path : {"/api/simulate", "/api/scenario.yaml"}) {
      INFO(path << " " << body);
      const HttpReply reply = post(path, body);
      CHECK(reply.status == 400);
      CHECK(first_error(reply).find(message) != std::string::npos);
    }
  }
  // The path of a refused value comes back, so the page can mark its slider.
  const HttpReply range =
      post("/api/simulate", R"({"set": {"countries.KAZ.norms.neutrality": 11}})");
  CHECK(body_of(range)["errors"][0]["path"] == "countries.KAZ.norms.neutrality");
  // Oversized bodies, unknown routes and wrong methods.
  CHECK(post("/api/simulate", std::string(kMaxWhatIfRequestBytes + 1, ' ')).status == 400);
  CHECK(model().handle("GET", "/api/nothing", "").status == 404);
  const HttpReply get_simulate = model().handle("GET", "/api/simulate", "");
  CHECK(get_simulate.status == 405);
  CHECK(get_simulate.allow == "POST, OPTIONS");
  CHECK(first_error(get_simulate) == "use POST");
  const HttpReply post_page = model().handle("POST", "/", "");
  CHECK(post_page.status == 405);
  CHECK(post_page.allow == "GET, HEAD, OPTIONS");
  CHECK(first_error(post_page) == "use GET");
  CHECK(model().handle("DELETE", "/api/controls", "").status == 405);
  CHECK(model().handle("GET", "/api/scenario.yaml", "").allow == "POST, OPTIONS");
  // OPTIONS lists what a page takes, with no body; a path that is no page stays a 404.
  const HttpReply options_simulate = model().handle("OPTIONS", "/api/simulate", "");
  CHECK(options_simulate.status == 204);
  CHECK(options_simulate.allow == "POST, OPTIONS");
  CHECK(options_simulate.body.empty());
  CHECK(model().handle("OPTIONS", "/index.html", "").allow == "GET, HEAD, OPTIONS");
  CHECK(model().handle("OPTIONS", "/api/nothing", "").status == 404);
  // A method whose name starts like an allowed one is still refused.
  CHECK(model().handle("POS", "/api/simulate", "").status == 405);
  CHECK(model().handle("GE", "/", "").status == 405);
  // HEAD is answered like GET (the server drops the body), not refused.
  CHECK(model().handle("HEAD", "/", "").status == 200);
  CHECK(model().handle("HEAD", "/api/controls", "").status == 200);
  // After all of that the model still answers.
  CHECK(post("/api/simulate", "{}").status == 200);
}

TEST_CASE("what-if: the page's command and the download repeat what serve was started with") {
  sim::LoadOptions options;
  options.overrides = {"countries.KAZ.exposure.RUS.transit=0.3", "scenario.name=two words"};
  options.drop_events = {"rus_note_hrc_2022_04_06"};
  const WhatIfModel started(std::string(sim::kDefaultScenario), options);
  const Json controls = started.controls();
  CHECK(controls["scenario"]["options"] ==
        Json::array({"--set countries.KAZ.exposure.RUS.transit=0.3",
                     "--set 'scenario.name=two words'", "--drop-event rus_note_hrc_2022_04_06"}));
  const HttpReply download = started.handle("POST", "/api/scenario.yaml", R"({"set": {}})");
  REQUIRE(download.status == 200);
  const std::string serve_set = "#   --set countries.KAZ.exposure.RUS.transit=0.3";
  const std::size_t first = download.body.find(serve_set);
  CHECK(first != std::string::npos);
  // Once: serve's options are repeated, not listed again as if the page had changed them.
  CHECK(download.body.find(serve_set, first + 1) == std::string::npos);
  CHECK(download.body.find("version " + results::program_version()) != std::string::npos);
  CHECK(model().controls()["scenario"]["options"].empty());
}

TEST_CASE("what-if: the downloaded YAML is the changed scenario and `run` accepts it") {
  const std::string request =
      R"({"set": {"countries.TKM.norms.neutrality": 0, "events.rus_note_hrc_2022_04_06.credibility": 0.25},
          "drop": ["usa_ericen_2022_09"]})";
  const HttpReply reply = post("/api/scenario.yaml", request);
  INFO(reply.body.substr(0, 400));
  REQUIRE(reply.status == 200);
  CHECK(reply.filename == "central_asia_2022_whatif.yaml");
  CHECK(reply.body.find("--set countries.TKM.norms.neutrality=0") != std::string::npos);
  CHECK(reply.body.find("#   --out out/central_asia_2022_whatif\n") != std::string::npos);

  const sim::Scenario reloaded = sim::load_scenario_from_text(reply.body, "whatif.yaml");
  // Its own id: `run` of the download must not replace the base run in out/central_asia_2022/.
  CHECK(reloaded.info.id == "central_asia_2022_whatif");
  CHECK(reloaded.find_event("usa_ericen_2022_09") < 0);
  CHECK(reloaded.events.size() + 1 == model().base().events.size());
  const auto value = [&reloaded](const std::string& path) {
    return sim::resolve_numeric_input(reloaded, path, {}).get(reloaded);
  };
  CHECK(value("countries.TKM.norms.neutrality") == 0.0);
  CHECK(value("events.rus_note_hrc_2022_04_06.credibility") == 0.25);
  // Everything else is as loaded.
  for (const auto& input : sim::numeric_inputs(model().base())) {
    if (input.path != "countries.TKM.norms.neutrality" &&
        input.path != "events.rus_note_hrc_2022_04_06.credibility" &&
        input.path.rfind("events.usa_ericen_2022_09.", 0) != 0) {
      INFO(input.path);
      CHECK(sim::resolve_numeric_input(reloaded, input.path, {}).get(reloaded) ==
            input.get(model().base()));
    }
  }
  // `validate` and `run` take the file from any directory (compare_with is no longer relative).
  const auto directory = std::filesystem::temp_directory_path() /
                         ("multivector-whatif-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory);
  const auto file = directory / "whatif.yaml";
  std::ofstream(file) << reply.body;
  std::ostringstream out;
  std::ostringstream err;
  CHECK(cli::run_cli({"multivector", "validate", file.string()}, out, err) == 0);
  CHECK(cli::run_cli({"multivector", "run", file.string(), "--out", (directory / "run").string()},
                     out, err) == 0);
  INFO(err.str());
  CHECK(std::filesystem::exists(directory / "run" / "votes.csv"));
  std::filesystem::remove_all(directory);
}

TEST_CASE("scenario_tree_yaml keeps quoted scalars strings and writes comments") {
  sim::Diagnostics diagnostics;
  const sim::SourceNode tree = sim::parse_yaml(
      "a: \"190\"\nb: [x, y]\nc:\n  - id: e1\n    note: 'it''s'\n", "t.yaml", diagnostics);
  REQUIRE(diagnostics.empty());
  const std::string text = scenario_tree_yaml(tree, {"first line"});
  CHECK(text.rfind("# first line", 0) == 0);
  CHECK(text.find("a: \"190\"") != std::string::npos);
  CHECK(text.find("b: [x, y]") != std::string::npos);
  const sim::SourceNode again = sim::parse_yaml(text, "again.yaml", diagnostics);
  REQUIRE(diagnostics.empty());
  CHECK(again.find("a")->quoted);
  CHECK(again.find("c")->items[0].find("note")->text == "it's");
}

TEST_CASE("serve refuses a bad port before listening") {
  std::ostringstream out;
  std::ostringstream err;
  CHECK(cli::run_cli({"multivector", "serve", "--port", "70000"}, out, err) == 2);
  CHECK(cli::run_cli({"multivector", "serve", "--set", "countries.KAZ.exposure.RUS.transit=2"}, out,
                     err) == 2);
  CHECK(err.str().find("transit") != std::string::npos);
}

TEST_CASE("serve refuses a port another server listens on, even one that shares ports") {
  // A listener with SO_REUSEPORT, as cpp-httplib's default makes for an earlier `serve`: a
  // second server that also asked for it would start beside it and take half its requests.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  int yes = 1;
  REQUIRE(::setsockopt(listener, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes)) == 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  socklen_t length = sizeof(address);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  const std::string port = std::to_string(ntohs(address.sin_port));
  std::ostringstream out;
  std::ostringstream err;
  const int status = cli::run_cli({"multivector", "serve", "--port", port}, out, err);
  ::close(listener);
  if (err.str().find("no HTTP server") != std::string::npos) {
    WARN("this build has no HTTP server; nothing to check");
    return;
  }
  CHECK(status == 1);
  CHECK(err.str().find("cannot listen on 127.0.0.1:" + port) != std::string::npos);
  CHECK(err.str().find("another program listens on that port") != std::string::npos);
  CHECK(out.str().empty());
}

TEST_CASE("serve calls a host that is not this machine's bad input, and says why") {
  // 192.0.2.1 is reserved for documentation (RFC 5737): no machine has it.
  for (const std::string host : {"999.1.1.1", "192.0.2.1"}) {
    INFO(host);
    std::ostringstream out;
    std::ostringstream err;
    const int status =
        cli::run_cli({"multivector", "serve", "--host", host, "--port", "0"}, out, err);
    if (err.str().find("no HTTP server") != std::string::npos) {
      WARN("this build has no HTTP server; nothing to check");
      return;
    }
    CHECK(status == 2);
    CHECK(err.str().find(host) != std::string::npos);
    CHECK(err.str().find("127.0.0.1") != std::string::npos);  // the fix is named
    CHECK(out.str().empty());
  }
}

TEST_CASE("what-if: recorded votes come from a UN Digital Library compare_with file too") {
  const std::string scenarios = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/";
  const std::string history = std::string(MULTIVECTOR_TEST_DATA_DIR) + "/history/";
  const auto scratch = std::filesystem::temp_directory_path() /
                       ("multivector-whatif-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(scratch);
  const auto write_scenario = [&](const std::string& name, const std::string& compare_with) {
    std::ofstream file(scratch / name);
    file << "extends: " << scenarios << "central_asia_2022.yaml\n"
         << "scenario: {compare_with: " << history << compare_with << "}\n";
    return (scratch / name).string();
  };

  const WhatIfModel library(write_scenario("library.yaml", "undl_small.csv"), {});
  CHECK(library.recorded_votes_problem().empty());
  const Json recorded = body_of(library.handle("GET", "/api/controls", ""))["recorded"];
  CHECK(recorded["ES-11/1"]["KAZ"] == "A");
  CHECK(recorded["ES-11/1"]["TKM"] == "NV");  // blank in the Library's file
  CHECK(recorded["ES-11/3"]["KAZ"] == "N");
  CHECK(!recorded["ES-11/1"].contains("KGZ"));  // not in the file: no recorded vote shown

  // A file that cannot be read leaves the page without recorded votes and says why.
  const WhatIfModel broken(write_scenario("broken.yaml", "undl_malformed.csv"), {});
  CHECK_THAT(broken.recorded_votes_problem(),
             Catch::Contains("undl_malformed.csv:3:") && Catch::Contains("error:"));
  CHECK(body_of(broken.handle("GET", "/api/controls", ""))["recorded"].empty());
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
}

TEST_CASE(
    "what-if: the download of a scenario with fitted parameters carries them, not their path") {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("multivector-whatif-params-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory / "elsewhere");
  std::ofstream(directory / "fitted.yaml") << "extends: " << MULTIVECTOR_SOURCE_DIR
                                           << "/scenarios/central_asia_2022.yaml\n"
                                              "scenario: {params: fitted_params.yaml}\n";
  std::ofstream(directory / "fitted_params.yaml")
      << "parameters:\n  decision:\n    orientation: 2.5\n";
  const WhatIfModel served((directory / "fitted.yaml").string(), {});
  const HttpReply reply = served.handle("POST", "/api/scenario.yaml", "{}");
  INFO(reply.body.substr(0, 600));
  REQUIRE(reply.status == 200);
  // Saved anywhere, the download must not look for fitted_params.yaml beside itself.
  CHECK(reply.body.find("fitted_params.yaml") == std::string::npos);
  const auto saved = directory / "elsewhere" / "whatif.yaml";
  std::ofstream(saved) << reply.body;
  const sim::Scenario reloaded = sim::load_scenario(saved.string());
  CHECK(reloaded.parameters.decision.orientation == 2.5);
  CHECK(reloaded.scenario_params_file.empty());
  std::filesystem::remove_all(directory);
}
