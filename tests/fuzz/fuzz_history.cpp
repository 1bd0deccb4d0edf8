// Fuzzes the loaders of recorded votes through parse_history, which recognises the tidy
// resolution,date,iso3,vote CSV and the UN Digital Library CSV by their headers — so both parsers
// are reached. A malformed file must end in sim::InputError with its line, never in a crash or a
// sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "results/history.hpp"
#include "sim/diagnostics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace multivector;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const results::VoteHistory history = results::parse_history(text, "fuzz.csv");
    (void)history.resolutions();
  } catch (const sim::InputError&) {
    // Rejected with a message.
  }
  return 0;
}
