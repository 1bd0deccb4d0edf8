// Fuzzes `--set PATH=VALUE` and `--drop-event ID` on the built-in Central Asia 2022 scenario.
// Each line of the input is one option: "drop:ID" drops an event, anything else is a --set
// assignment. Bad values must end in sim::InputError, never in a crash or sanitizer report.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/input_files.hpp"
#include "sim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace multivector;
  static const sim::LoadedTree base =
      sim::load_scenario_tree(std::string(sim::kDefaultScenario), sim::LoadOptions{});
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sim::LoadOptions options;
  std::size_t start = 0;
  while (start <= text.size() && options.overrides.size() + options.drop_events.size() < 16) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    if (line.starts_with("drop:")) {
      options.drop_events.emplace_back(line.substr(5));
    } else {
      options.overrides.emplace_back(line);
    }
    start = end + 1;
  }
  sim::LoadedTree tree = base;
  sim::Diagnostics diagnostics;
  for (const auto& assignment : options.overrides) {
    sim::apply_override(tree.root, assignment, diagnostics);
  }
  try {
    diagnostics.throw_if_any();
    const sim::Scenario scenario = sim::build_scenario(tree, options);
    (void)scenario;
  } catch (const sim::InputError&) {
    // Rejected with a message: what a bad option should do.
  }
  return 0;
}
