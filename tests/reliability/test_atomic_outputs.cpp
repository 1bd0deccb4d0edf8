// Outputs appear whole or not at all. A run (or `generate -o`) killed with SIGKILL at a random
// moment must leave either the previous complete output — every file present and matching the
// sha256 its manifest records — or none, never a half-written file; what killed writers leave in
// hidden temporary names is removed by the next writer.

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "process.hpp"
#include "results/atomic_output.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"
#include "sim/generate.hpp"
#include "sim/sha256.hpp"
#include "tests/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using multivector::testing::read_text_file;
using multivector::testing::TemporaryDirectory;

const std::vector<std::string>& run_files() {
  static const std::vector<std::string> files = {"votes.csv", "statements.csv", "trajectory.csv",
                                                 "events.jsonl", "manifest.json"};
  return files;
}

// Empty when `directory` is a complete, self-consistent run; otherwise what is wrong with it.
std::string run_directory_problem(const fs::path& directory) {
  std::vector<std::string> present;
  for (const auto& entry : fs::directory_iterator(directory)) {
    present.push_back(entry.path().filename().string());
  }
  std::sort(present.begin(), present.end());
  std::vector<std::string> wanted = run_files();
  std::sort(wanted.begin(), wanted.end());
  if (present != wanted) {
    return "the run directory holds " + std::to_string(present.size()) + " entries, not the 5";
  }
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(read_text_file(directory / "manifest.json"));
  } catch (const nlohmann::json::exception& error) {
    return std::string("manifest.json does not parse: ") + error.what();
  }
  for (const auto& name : run_files()) {
    if (name == "manifest.json") {
      continue;
    }
    const std::string content = read_text_file(directory / name);
    if (manifest["outputs"][name]["sha256"] != multivector::sim::sha256_hex(content)) {
      return name + " does not match the sha256 in manifest.json";
    }
  }
  return "";
}

// The leftovers of killed writers: hidden staging directories and temporary files.
std::vector<std::string> temporaries(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos || name.find(".old-") != std::string::npos) {
      names.push_back(name);
    }
  }
  return names;
}

// What a killed run's stderr holds besides the sanitizer runtime's own lines ("==PID==..."). A
// run killed during LeakSanitizer's exit-time leak check leaves its tracer thread printing
// "==PID==Unable to get registers from thread N" as it loses the process; that is the sanitizer
// dying with the run, not the program writing anything.
std::string program_output(const std::string& stderr_text) {
  static const std::regex sanitizer_line("^==[0-9]+==.*$");
  std::string kept;
  std::istringstream lines(stderr_text);
  for (std::string line; std::getline(lines, line);) {
    if (!std::regex_match(line, sanitizer_line)) {
      kept += line + "\n";
    }
  }
  return kept;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a run killed at any moment leaves the previous complete output or none",
          "[reliability][atomic]") {
  TemporaryDirectory work("multivector-kill");
  const fs::path scenario = work.path() / "scenario.yaml";
  multivector::sim::GenerateOptions generate;
  generate.countries = 50;
  generate.days = 300;
  generate.events = 300;
  generate.items = 40;
  multivector::results::write_file_atomically(scenario,
                                              multivector::sim::generate_scenario_yaml(generate));
  const fs::path out = work.path() / "out";
  const auto arguments = [&](int seed) {
    return std::vector<std::string>{"-q",         "run",    scenario.string(),   "--out",
                                    out.string(), "--seed", std::to_string(seed)};
  };
  const fs::path log_out = work.path() / "stdout.txt";
  const fs::path log_err = work.path() / "stderr.txt";

  // How long one complete run takes here, so that kills land all through it: the fastest of a
  // few, then lowered whenever a run finishes before its kill (machines shared with other
  // builds are slow and uneven).
  double run_seconds = 1e9;
  for (int warm_up = 0; warm_up < 3; ++warm_up) {
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(multivector::testing::wait_for(multivector::testing::spawn(
                multivector::testing::program_path(), arguments(0), log_out, log_err)) == 0);
    run_seconds = std::min(run_seconds, seconds_since(started));
  }
  REQUIRE(run_directory_problem(out).empty());

  std::mt19937_64 random(20240601);
  int killed = 0;
  int completed = 0;
  for (int attempt = 1; attempt <= 100; ++attempt) {
    // Half the kills anywhere in the run, half in its last 40%, where the files are written.
    const double fraction = attempt % 2 == 0
                                ? std::uniform_real_distribution<double>(0.0, 1.1)(random)
                                : std::uniform_real_distribution<double>(0.6, 1.1)(random);
    const auto started = std::chrono::steady_clock::now();
    const pid_t pid = multivector::testing::spawn(multivector::testing::program_path(),
                                                  arguments(attempt), log_out, log_err);
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * run_seconds));
    ::kill(pid, SIGKILL);
    const int status = multivector::testing::wait_for(pid);
    if (status == 128 + SIGKILL) {
      ++killed;
    } else {
      ++completed;
      run_seconds = std::min(run_seconds, seconds_since(started));
    }
    INFO("attempt " << attempt << ", killed after " << fraction * run_seconds << " s");
    REQUIRE(status != 2);
    REQUIRE(fs::is_directory(out));  // a complete output existed before: it must remain
    REQUIRE(run_directory_problem(out).empty());
    INFO("status " << status << ", stderr: " << read_text_file(log_err));
    // A completed run writes nothing to stderr at all; a killed one nothing of its own.
    REQUIRE((status == 128 + SIGKILL ? program_output(read_text_file(log_err))
                                     : read_text_file(log_err))
                .empty());
  }
  // A final complete run removes what the killed runs left in hidden temporary names.
  REQUIRE(multivector::testing::wait_for(multivector::testing::spawn(
              multivector::testing::program_path(), arguments(1000), log_out, log_err)) == 0);
  CHECK(run_directory_problem(out).empty());
  CHECK(temporaries(work.path()).empty());
  // The test means something only if most kills really interrupted a run.
  CHECK(killed >= 40);
  WARN("random-kill test: " << killed << " runs killed mid-way, " << completed
                            << " completed before the kill; one run takes " << run_seconds << " s");
}

TEST_CASE("generate -o killed at any moment leaves the previous complete file or none",
          "[reliability][atomic]") {
  TemporaryDirectory work("multivector-kill-generate");
  const fs::path output = work.path() / "generated.yaml";
  const std::vector<std::string> arguments = {"generate", "--countries", "1000",         "--days",
                                              "3000",     "--events",    "20000",        "--items",
                                              "1000",     "-o",          output.string()};
  multivector::sim::GenerateOptions options;
  options.countries = 1000;
  options.days = 3000;
  options.events = 20000;
  // Within docs/limits.md's decision values (items x countries x 4 x 15 = 60 million), which
  // generate checks before it writes.
  options.items = 1000;
  std::vector<std::string> command_line = {"multivector"};
  command_line.insert(command_line.end(), arguments.begin(), arguments.end());
  const std::string complete = "# Written by multivector " +
                               multivector::results::program_version() + ": " +
                               multivector::results::command_line_text(command_line) + "\n" +
                               multivector::sim::generate_scenario_yaml(options);
  const fs::path log_out = work.path() / "stdout.txt";
  const fs::path log_err = work.path() / "stderr.txt";
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(multivector::testing::wait_for(multivector::testing::spawn(
              multivector::testing::program_path(), arguments, log_out, log_err)) == 0);
  const double run_seconds = seconds_since(started);
  REQUIRE(read_text_file(output) == complete);
  fs::remove(output);

  std::mt19937_64 random(7);
  bool written = false;
  for (int attempt = 1; attempt <= 30; ++attempt) {
    const double fraction = std::uniform_real_distribution<double>(0.0, 1.1)(random);
    const pid_t pid = multivector::testing::spawn(multivector::testing::program_path(), arguments,
                                                  log_out, log_err);
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * run_seconds));
    ::kill(pid, SIGKILL);
    (void)multivector::testing::wait_for(pid);
    INFO("attempt " << attempt);
    if (written) {
      REQUIRE(read_text_file(output) == complete);
    } else if (fs::exists(output)) {
      REQUIRE(read_text_file(output) == complete);
      written = true;
    }
  }
  REQUIRE(multivector::testing::wait_for(multivector::testing::spawn(
              multivector::testing::program_path(), arguments, log_out, log_err)) == 0);
  CHECK(read_text_file(output) == complete);
  CHECK(temporaries(work.path()).empty());
}

TEST_CASE("writers remove what dead writers left, and leave what live ones are writing",
          "[reliability][atomic]") {
  TemporaryDirectory work("multivector-leftovers");
  // 4194305 is above Linux's largest process id: no such process can be running.
  const fs::path dead_stage = work.path() / ".run.tmp-4194305-17";
  const fs::path dead_old = work.path() / ".run.old-4194305-18";
  const fs::path live_stage = work.path() / (".run.tmp-" + std::to_string(::getpid()) + "-19");
  const fs::path dead_file = work.path() / "scenario.yaml.tmp-4194305-20";
  const fs::path unrelated = work.path() / ".run.tmp-notapid";
  for (const auto& directory : {dead_stage, dead_old, live_stage, unrelated}) {
    fs::create_directories(directory);
    std::ofstream(directory / "votes.csv") << "half a fi";
  }
  std::ofstream(dead_file) << "scenario: {id: half";

  multivector::results::StagedDirectory staged(work.path() / "run", {"votes.csv", {}, ""});
  staged.write_file("votes.csv", "complete\n");
  staged.commit();
  multivector::results::write_file_atomically(work.path() / "scenario.yaml", "complete\n");

  CHECK_FALSE(fs::exists(dead_stage));
  CHECK_FALSE(fs::exists(dead_old));
  CHECK_FALSE(fs::exists(dead_file));
  CHECK(fs::exists(live_stage));
  CHECK(fs::exists(unrelated));
  CHECK(read_text_file(work.path() / "run" / "votes.csv") == "complete\n");

  // A second commit swaps the new directory in and leaves no trace of the old one.
  multivector::results::StagedDirectory again(work.path() / "run", {"votes.csv", {}, ""});
  again.write_file("votes.csv", "newer\n");
  again.commit();
  CHECK(read_text_file(work.path() / "run" / "votes.csv") == "newer\n");
  const auto left = temporaries(work.path());
  CHECK(left.size() == 2);  // only the live writer's and the unrelated name
}

namespace {

// Caps the size of any file this process writes (RLIMIT_FSIZE) for one scope, with SIGXFSZ
// ignored so that a write past the cap fails with EFBIG instead of ending the process: a full
// disk as an unprivileged test can make one.
class FileSizeCap {
 public:
  explicit FileSizeCap(rlim_t bytes) : previous_signal_(::signal(SIGXFSZ, SIG_IGN)) {
    ::getrlimit(RLIMIT_FSIZE, &previous_);
    rlimit capped = previous_;
    capped.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &capped);
  }
  ~FileSizeCap() {
    ::setrlimit(RLIMIT_FSIZE, &previous_);
    ::signal(SIGXFSZ, previous_signal_);
  }
  FileSizeCap(const FileSizeCap&) = delete;
  FileSizeCap& operator=(const FileSizeCap&) = delete;

 private:
  rlimit previous_{};
  sighandler_t previous_signal_;
};

}  // namespace

TEST_CASE("a write that fails while running exits 1, an output that cannot be used exits 2") {
  using multivector::results::OutputError;
  CHECK(OutputError("cannot write", ENOSPC).failed_while_running());
  CHECK(OutputError("cannot write", EIO).failed_while_running());
  CHECK_FALSE(OutputError("cannot write", EACCES).failed_while_running());
  CHECK_FALSE(OutputError("cannot write: it is a directory").failed_while_running());

  TemporaryDirectory work("multivector-full-disk");
  multivector::testing::CommandResult result;
  {
    const FileSizeCap cap(4096);  // votes.csv is larger
    result = multivector::testing::run_command({"run", "--out", (work.path() / "run").string()});
  }
  INFO(result.err);
  CHECK(result.status == 1);
  CHECK_THAT(result.err, Catch::Contains("File too large"));
  CHECK(fs::is_empty(work.path()));

  // Over a file, refused before the run: bad usage; over the scenario it runs, said the same way
  // (not as a folder that holds the scenario).
  { std::ofstream(work.path() / "file") << "x"; }
  CHECK(
      multivector::testing::run_command({"run", "--out", (work.path() / "file").string()}).status ==
      2);
  const fs::path scenario = work.path() / "scenario.yaml";
  { std::ofstream(scenario) << "extends: builtin:central_asia_2022.yaml\n"; }
  const auto over_scenario =
      multivector::testing::run_command({"run", scenario.string(), "--out", scenario.string()});
  CHECK(over_scenario.status == 2);
  CHECK_THAT(over_scenario.err, Catch::Contains("it exists and is not a directory"));
}

TEST_CASE(
    "an output named by a symbolic link is written where the link points, and the link stays") {
  // A run folder or a file reached through a link (`out -> /data/out`) used to have the link itself
  // replaced by the new output, leaving the old output where the link pointed without a word.
  TemporaryDirectory work("multivector-symlink-output");
  const fs::path target = work.path() / "target";
  const fs::path link = work.path() / "link";
  REQUIRE(multivector::testing::run_command({"run", "--out", target.string()}).status == 0);
  fs::create_symlink("target", link);
  const auto result =
      multivector::testing::run_command({"run", "--seed", "5", "--out", link.string()});
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(fs::is_symlink(link));
  const auto manifest = nlohmann::json::parse(read_text_file(target / "manifest.json"));
  CHECK(manifest.at("seed") == 5);
  CHECK(run_directory_problem(target).empty());

  const fs::path file_target = work.path() / "notes.txt";
  const fs::path file_link = work.path() / "notes-link.txt";
  { std::ofstream(file_target) << "old"; }
  fs::create_symlink("notes.txt", file_link);
  multivector::results::write_file_atomically(file_link, "new");
  CHECK(fs::is_symlink(file_link));
  CHECK(read_text_file(file_target) == "new");
}

TEST_CASE("an output that names a pipe or a device is refused, and the node stays") {
  // Written beside its place and renamed over it, the output would have replaced the node with a
  // regular file: as root, `generate -o /dev/null` broke /dev/null for the whole machine.
  TemporaryDirectory work("multivector-special-output");
  const fs::path pipe = work.path() / "pipe";
  REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
  const fs::path link = work.path() / "link-to-pipe";
  fs::create_symlink("pipe", link);
  for (const fs::path& output : {pipe, link}) {
    INFO(output.string());
    const auto result = multivector::testing::run_command(
        {"generate", "--countries", "2", "--days", "3", "-o", output.string()});
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Catch::Contains("not a regular file"));
    CHECK(fs::is_fifo(pipe));
    CHECK_THROWS_AS(multivector::results::write_file_atomically(output, "x"),
                    multivector::results::OutputError);
  }
  CHECK(fs::is_fifo(pipe));
  CHECK(fs::is_symlink(link));
}

TEST_CASE("an earlier output is replaced only while it holds nothing but what Multivector writes") {
  using multivector::testing::run_command;
  TemporaryDirectory work("multivector-foreign-files");
  const std::string run = (work.path() / "run").string();
  REQUIRE(run_command({"run", "--out", run}).status == 0);
  // What compare and report write into a run folder goes with it when the run is made again.
  REQUIRE(run_command({"compare", run}).status == 0);
  REQUIRE(run_command({"report", run}).status == 0);
  REQUIRE(fs::exists(work.path() / "run" / "report.html"));
  REQUIRE(run_command({"run", "--out", run}).status == 0);
  CHECK_FALSE(fs::exists(work.path() / "run" / "report.html"));

  // A file of the user's own beside the run's: refused, and nothing is touched.
  { std::ofstream(work.path() / "run" / "notes.txt") << "what the class found\n"; }
  const std::string votes = read_text_file(work.path() / "run" / "votes.csv");
  const auto refused =
      run_command({"run", "--out", run, "--drop-event", "rus_note_hrc_2022_04_06"});
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Catch::Contains("besides an earlier output it holds 'notes.txt'"));
  CHECK(read_text_file(work.path() / "run" / "notes.txt") == "what the class found\n");
  CHECK(read_text_file(work.path() / "run" / "votes.csv") == votes);

  // The same for a sweep's CSV export: its tables, and nothing else.
  const std::string database = (work.path() / "sweep.db").string();
  const std::string csv = (work.path() / "csv").string();
  const std::vector<std::string> sweep = {
      "sweep", "--vary", "countries.TJK.exposure.RUS.remittances=0.5:1:0.5", "--db", database,
      "--csv", csv};
  REQUIRE(run_command(sweep).status == 0);
  fs::create_directories(work.path() / "csv" / "charts");
  std::vector<std::string> again = sweep;
  again.emplace_back("--resume");
  const auto sweep_refused = run_command(again);
  CHECK(sweep_refused.status == 2);
  CHECK_THAT(sweep_refused.err, Catch::Contains("holds 'charts'"));
  CHECK(fs::exists(work.path() / "csv" / "charts"));
}
