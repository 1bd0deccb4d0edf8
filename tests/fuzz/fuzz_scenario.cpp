// Fuzzes the scenario loader and validator: arbitrary bytes as a scenario file. Bad input must end
// in sim::InputError, never in a crash, a hang, a leak or a sanitizer report. A scenario that
// loads is also run when it is small, so the engine sees what the validator lets through.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "results/recorder.hpp"
#include "sim/engine.hpp"
#include "sim/scenario_loader.hpp"

namespace {

multivector::sim::LoadOptions fuzz_options() {
  multivector::sim::LoadOptions options;
  // Smaller than the real limits so that each input stays fast; the limits themselves are
  // tested by the bad-input corpus (tests/bad_inputs).
  options.parse_limits.max_bytes = 1U << 20U;
  options.parse_limits.max_nodes = 200'000;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace multivector;
  static const sim::LoadOptions options = fuzz_options();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // A label in a directory that does not exist: a relative `extends` cannot reach real files.
    const sim::Scenario scenario =
        sim::load_scenario_from_text(text, "/nonexistent-fuzz-dir/fuzz.yaml", options);
    const auto countries = static_cast<std::int64_t>(scenario.countries.size());
    const auto decisions = countries * static_cast<std::int64_t>(scenario.agenda.size());
    if (countries * scenario.steps() <= 20'000 && decisions <= 20'000) {
      results::RunRecorder recorder(scenario, true);
      sim::Engine(scenario, sim::RunOptions{}).run(recorder);
    }
  } catch (const sim::InputError&) {
    // Rejected with a message: what bad input should do.
  }
  return 0;
}
