// Benchmarks: compute time of one run of the default scenario and of a generated 193-country,
// 1,000-day, 500-event, 50-item scenario; derive-priors over all of Voeten's votes; calibration of
// the world scenario (one fit, and the 16-fold leave-one-resolution-out); reading a history file
// the size of the UN Digital Library's whole export and calibrating with it; peak memory.
// Run: cmake --build build --target bench
//  or: build/bench/multivector_bench [--repeats N] [--only engine|priors|calibration|history]

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_main.hpp"
#include "results/calibration.hpp"
#include "results/csv.hpp"
#include "results/history.hpp"
#include "results/priors.hpp"
#include "sim/engine.hpp"
#include "sim/generate.hpp"
#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"

namespace {

using multivector::sim::DecisionRecord;

// Keeps the decisions observable so the compiler cannot skip the work, and nothing else.
class ChecksumObserver : public multivector::sim::RunObserver {
 public:
  [[nodiscard]] bool wants_events() const override { return false; }
  [[nodiscard]] bool wants_steps() const override { return false; }
  void on_decision(const DecisionRecord& record) override {
    checksum +=
        record.decision->probability(record.realised) + static_cast<double>(record.realised);
  }
  double checksum = 0.0;
};

struct Timing {
  double median_ms;
  double best_ms;
  double checksum;
};

Timing time_runs(const multivector::sim::Scenario& scenario, int repeats) {
  multivector::sim::Engine engine(scenario, {});
  std::vector<double> milliseconds;
  double checksum = 0.0;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    ChecksumObserver observer;
    const auto started = std::chrono::steady_clock::now();
    engine.run(observer);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    milliseconds.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
    checksum = observer.checksum;
  }
  std::sort(milliseconds.begin(), milliseconds.end());
  return Timing{milliseconds[milliseconds.size() / 2], milliseconds.front(), checksum};
}

long peak_memory_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

double seconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void bench_priors() {
  const std::string data = std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/data/";
  const auto started = std::chrono::steady_clock::now();
  const auto voeten = multivector::results::load_voeten(data + "voeten/un_votes.csv.gz",
                                                        data + "voeten/un_roll_calls.csv.gz",
                                                        data + "voeten/un_roll_call_issues.csv");
  const auto history = multivector::results::load_tidy_votes(data + "unga/votes.csv");
  multivector::results::PriorSettings settings;
  settings.before = multivector::sim::date_from_civil(2022, 2, 20);
  const auto priors = multivector::results::derive_priors(voeten, &history, settings, {});
  std::printf(
      "derive-priors: %zu Voeten votes, %zu roll calls, %zu countries in %.2f s "
      "(target <= 10 s)\n",
      voeten.votes.size(), voeten.roll_calls.size(), priors.size(), seconds_since(started));
}

void bench_calibration() {
  const std::string scenario_path =
      std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/world_2022.yaml";
  const auto scenario = multivector::sim::load_scenario(scenario_path);
  const auto history = multivector::results::load_tidy_votes(scenario.info.compare_with);
  multivector::results::CalibrationOptions options;
  auto started = std::chrono::steady_clock::now();
  const auto single = multivector::results::calibrate(scenario, history, options);
  std::printf(
      "calibrate world_2022 (one fit, %d decisions, %d Newton iterations): %.2f s "
      "(target <= 60 s)\n",
      single.fit.rows, single.fit.iterations, seconds_since(started));
  options.folds = multivector::results::Folds::LeaveOneOut;
  started = std::chrono::steady_clock::now();
  const auto folds = multivector::results::calibrate(scenario, history, options);
  std::printf(
      "calibrate world_2022 --folds loro (%zu folds + final fit): %.2f s (target <= 60 s)\n",
      folds.folds.size(), seconds_since(started));
}

// A UN Digital Library voting CSV shaped like the whole 1946– export (about 900,000 rows of
// twenty columns, 436 MB): 5,984 made-up resolutions of 150 members each, with the Library's long
// title, agenda and subject fields, and the 3,088 recorded votes of this repository's sixteen.
std::string library_sized_history(const multivector::results::VoteHistory& recorded) {
  constexpr int kResolutions = 5984;
  constexpr int kMembers = 150;
  std::vector<std::string> members;
  for (const auto& vote : recorded.votes()) {
    if (members.size() < kMembers &&
        std::find(members.begin(), members.end(), vote.country) == members.end()) {
      members.push_back(vote.country);
    }
  }
  std::string text =
      "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
      "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
      "total_non_voting,total_ms,undl_link\n";
  text.reserve(std::size_t{400} * 1024 * 1024);
  const char* const kVotes[] = {"Y", "Y", "Y", "N", "A", ""};
  // Field lengths as in the Library's export, where titles and agenda items run long.
  const std::string kTitle =
      "Question of something of importance, with a comma, and \"quotes\", as titles have : "
      "resolution / adopted by the General Assembly";
  const std::string kAgendaTitle =
      "Promotion and protection of human rights: human rights situations and reports of special "
      "rapporteurs and representatives";
  unsigned state = 12345;  // a fixed linear congruential sequence: the same file every time
  for (int resolution = 0; resolution < kResolutions; ++resolution) {
    const auto day = multivector::sim::Date{multivector::sim::date_from_civil(1946, 12, 11).days +
                                            static_cast<std::int64_t>(resolution) * 4};
    const std::string symbol = "A/RES/SYN/" + std::to_string(resolution);
    const std::string id = std::to_string(100000 + resolution);
    for (const auto& member : members) {
      state = state * 1103515245U + 12345U;
      multivector::results::append_csv_row(text, {id,
                                                  member,
                                                  member + " (MEMBER STATE)",
                                                  kVotes[(state >> 16) % 6],
                                                  multivector::sim::format_date(day),
                                                  "SYN",
                                                  symbol,
                                                  "A/SYN/L." + id,
                                                  "A/SYN/" + id,
                                                  "A/SYN/PV." + id,
                                                  kTitle,
                                                  kAgendaTitle,
                                                  "HUMAN RIGHTS--RESOLUTIONS|TERRITORIAL INTEGRITY",
                                                  "Recorded - No-Show",
                                                  "100",
                                                  "10",
                                                  "20",
                                                  "30",
                                                  "193",
                                                  "https://digitallibrary.un.org/record/" + id});
    }
  }
  for (const auto& vote : recorded.votes()) {
    multivector::results::append_csv_row(text, {"1",
                                                vote.country,
                                                vote.country,
                                                vote.vote == "NV" ? "" : vote.vote,
                                                multivector::sim::format_date(vote.date),
                                                "",
                                                vote.resolution,
                                                "",
                                                "",
                                                "",
                                                "",
                                                "",
                                                "",
                                                "",
                                                "",
                                                "",
                                                "",
                                                "",
                                                "193",
                                                ""});
  }
  return text;
}

void bench_history() {
  const std::string scenario_path =
      std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/world_2022.yaml";
  const auto scenario = multivector::sim::load_scenario(scenario_path);
  const std::string text =
      library_sized_history(multivector::results::load_tidy_votes(scenario.info.compare_with));
  auto started = std::chrono::steady_clock::now();
  const auto history = multivector::results::parse_history(text, "library-sized.csv");
  std::printf("read a Library-sized history (%.0f MB, %zu votes, %zu resolutions): %.2f s\n",
              static_cast<double>(text.size()) / 1e6, history.votes().size(),
              history.resolutions().size(), seconds_since(started));
  multivector::results::CalibrationOptions options;
  options.holdout = {"A/RES/ES-11/6"};
  started = std::chrono::steady_clock::now();
  const auto fit = multivector::results::calibrate(scenario, history, options);
  std::printf("calibrate world_2022 --holdout A/RES/ES-11/6 with it (%zu held-out rows): %.2f s\n",
              fit.held_out.size(), seconds_since(started));
}

namespace {

int run_benchmarks(int repeats, const std::string& only) {
  if (only.empty() || only == "priors") {
    bench_priors();
  }
  if (only.empty() || only == "calibration") {
    bench_calibration();
  }
  if (only == "history") {  // not in the default set: it builds a 436 MB text
    bench_history();
  }
  if (!only.empty() && only != "engine") {
    std::printf("peak memory (whole process): %.1f MiB\n",
                static_cast<double>(peak_memory_kib()) / 1024.0);
    return 0;
  }
  const auto default_scenario =
      multivector::sim::load_scenario(std::string(multivector::sim::kDefaultScenario));
  const Timing small = time_runs(default_scenario, repeats);
  const long after_default = peak_memory_kib();
  std::printf(
      "default scenario (%zu countries, %d steps, %zu events, %zu items): median %.3f ms, "
      "best %.3f ms per run (target <= 1 ms) [checksum %.6f]\n",
      default_scenario.countries.size(), default_scenario.steps(), default_scenario.events.size(),
      default_scenario.agenda.size(), small.median_ms, small.best_ms, small.checksum);
  std::printf("peak memory after the default scenario: %.1f MiB\n",
              static_cast<double>(after_default) / 1024.0);

  multivector::sim::GenerateOptions options;  // 193 countries, 1000 days, 500 events, 50 items
  const auto generated = multivector::sim::load_scenario_from_text(
      multivector::sim::generate_scenario_yaml(options), "generated.yaml");
  const Timing large = time_runs(generated, std::max(1, repeats / 5));
  std::printf(
      "generated scenario (%zu countries, %d steps, %zu events, %zu items): median %.3f ms, "
      "best %.3f ms per run (target <= 20 ms) [checksum %.6f]\n",
      generated.countries.size(), generated.steps(), generated.events.size(),
      generated.agenda.size(), large.median_ms, large.best_ms, large.checksum);
  std::printf("peak memory (whole process): %.1f MiB\n",
              static_cast<double>(peak_memory_kib()) / 1024.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 50;
  std::string only;
  return multivector::bench::run_benchmark_program(
      "multivector_bench",
      "Times one run of the default scenario and of a generated 193-country scenario (engine),\n"
      "derive-priors over Voeten's votes (priors), the world calibration (calibration) and, only\n"
      "when asked, reading a 436 MB UN Digital Library-sized history (history). It reads the\n"
      "scenarios/ of the source tree it was built from.",
      argc, argv,
      [&](CLI::App& app) {
        app.add_option("--repeats", repeats, "Runs per engine timing")
            ->check(CLI::Range(1, 1000000))
            ->capture_default_str();
        app.add_option("--only", only, "One part only (default: engine, priors and calibration)")
            ->check(CLI::IsMember({"engine", "priors", "calibration", "history"}));
      },
      [&] { return run_benchmarks(repeats, only); });
}
