// Engine benchmarks: compute time of one run of the default scenario and of a generated
// 193-country, 1,000-day, 500-event, 50-item scenario, plus the process's peak memory.
// Run: cmake --build build --target bench   (or build/bench/multivector_bench [--repeats N])

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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

int main(int argc, char** argv) {
  int repeats = 50;
  for (int index = 1; index + 1 < argc; ++index) {
    if (std::string(argv[index]) == "--repeats") {
      repeats = std::max(1, std::atoi(argv[index + 1]));
    }
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
  std::printf("peak memory after the default scenario: %.1f MiB\n", after_default / 1024.0);

  multivector::sim::GenerateOptions options;  // 193 countries, 1000 days, 500 events, 50 items
  const auto generated = multivector::sim::load_scenario_from_text(
      multivector::sim::generate_scenario_yaml(options), "generated.yaml");
  const Timing large = time_runs(generated, std::max(1, repeats / 5));
  std::printf(
      "generated scenario (%zu countries, %d steps, %zu events, %zu items): median %.3f ms, "
      "best %.3f ms per run (target <= 20 ms) [checksum %.6f]\n",
      generated.countries.size(), generated.steps(), generated.events.size(),
      generated.agenda.size(), large.median_ms, large.best_ms, large.checksum);
  std::printf("peak memory (whole process): %.1f MiB\n", peak_memory_kib() / 1024.0);
  return 0;
}
