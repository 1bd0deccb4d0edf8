#include "sim/sweep_design.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "sim/random.hpp"

namespace multivector::sim {
namespace {

// Counter tags that keep the design's draws apart from the runs' seeds, which use (run, 0, 0).
constexpr std::uint64_t kPermutationKeyTag = 1;
constexpr std::uint64_t kJitterTag = 2;
constexpr std::uint64_t kFeistelRoundTag = 3;
constexpr int kFeistelRounds = 4;

std::optional<double> parse_number(std::string_view text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || stop != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  for (std::size_t position = 0; position <= text.size(); ++position) {
    if (position == text.size() || text[position] == separator) {
      parts.push_back(text.substr(begin, position - begin));
      begin = position + 1;
    }
  }
  return parts;
}

std::string format_number(double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc{} ? std::string(buffer, end) : std::to_string(value);
}

// Grid levels of LO:HI:STEP. When STEP divides the range (up to rounding), the levels are
// LO + (HI − LO)·j/n, so both ends are exact; otherwise LO + j·STEP up to HI.
struct GridSpacing {
  std::int64_t levels = 1;
  bool divides = false;
};

GridSpacing grid_spacing(double low, double high, double step) {
  if (high <= low) {
    return {1, false};
  }
  const double intervals = (high - low) / step;
  const double rounded = std::round(intervals);
  if (std::abs(intervals - rounded) <= 1e-9 * std::max(1.0, rounded)) {
    return {static_cast<std::int64_t>(std::min(rounded, 9e18)) + 1, true};
  }
  return {static_cast<std::int64_t>(std::min(std::floor(intervals), 9e18)) + 1, false};
}

double grid_value(const VariedInput& varied, std::int64_t level) {
  if (varied.levels <= 1) {
    return varied.low;
  }
  const GridSpacing spacing = grid_spacing(varied.low, varied.high, *varied.step);
  const double value = spacing.divides
                           ? varied.low + (varied.high - varied.low) * static_cast<double>(level) /
                                              static_cast<double>(varied.levels - 1)
                           : varied.low + static_cast<double>(level) * *varied.step;
  // Binary arithmetic turns 0.2 + 0.7 into 0.8999999999999999; a user who filters the runs on
  // the 0.9 they typed must find them. Fifteen significant digits are within what a double
  // represents exactly in decimal, so the level typed or implied comes back as that decimal.
  std::array<char, 32> shortest{};
  std::snprintf(shortest.data(), shortest.size(), "%.15g", value);
  return std::clamp(std::strtod(shortest.data(), nullptr), varied.low, varied.high);
}

// One --vary, parsed and checked; problems go to `diagnostics` and give nothing.
std::optional<VariedInput> parse_varied_input(const Scenario& scenario, const std::string& spec,
                                              bool latin, const std::vector<VariedInput>& earlier,
                                              Diagnostics& diagnostics) {
  const SourceLocation where{"--vary " + spec, 0, 0};
  const auto equals = spec.find('=');
  if (equals == std::string::npos || equals == 0) {
    diagnostics.error(where,
                      "expected PATH=LO:HI or PATH=LO:HI:STEP, e.g. "
                      "parameters.decision.leverage.RUS=0:2:0.5");
    return std::nullopt;
  }
  VariedInput varied;
  varied.spec = spec;
  varied.path = spec.substr(0, equals);
  try {
    varied.input = resolve_numeric_input(scenario, varied.path, where);
  } catch (const InputError& error) {
    for (const auto& diagnostic : error.diagnostics()) {
      diagnostics.error(diagnostic.location, diagnostic.message);
    }
    return std::nullopt;
  }
  const auto parts = split(std::string_view(spec).substr(equals + 1), ':');
  if (parts.size() < 2 || parts.size() > 3) {
    diagnostics.error(where, "expected LO:HI or LO:HI:STEP after '" + varied.path + "='");
    return std::nullopt;
  }
  const auto low = parse_number(parts[0]);
  const auto high = parse_number(parts[1]);
  const auto step = parts.size() == 3 ? parse_number(parts[2]) : std::optional<double>{};
  if (!low || !high || (parts.size() == 3 && !step)) {
    diagnostics.error(where, "LO, HI and STEP must be finite numbers");
    return std::nullopt;
  }
  varied.low = *low;
  varied.high = *high;
  varied.step = step;
  bool valid = true;
  const auto fail = [&](const std::string& message) {
    diagnostics.error(where, message);
    valid = false;
  };
  if (varied.low > varied.high) {
    fail("LO (" + format_number(varied.low) + ") is greater than HI (" +
         format_number(varied.high) + ")");
  }
  if (varied.low < varied.input.low || varied.high > varied.input.high) {
    fail("the range [" + format_number(varied.low) + ", " + format_number(varied.high) +
         "] leaves the values " + varied.path + " accepts, [" + format_number(varied.input.low) +
         ", " + format_number(varied.input.high) + "]");
  }
  if (varied.step && *varied.step <= 0.0) {
    fail("STEP must be positive");
  } else if (varied.step && varied.high > varied.low && *varied.step > varied.high - varied.low) {
    // The grid would hold LO alone, and HI would never be run: a STEP typed in place of HI.
    fail("STEP (" + format_number(*varied.step) + ") is larger than the range from LO to HI (" +
         format_number(varied.high - varied.low) + "), so the grid would hold LO alone; give a " +
         "STEP of at most " + format_number(varied.high - varied.low));
  }
  if (latin && varied.step) {
    fail("--design lhs samples the whole range; drop the STEP (write " + varied.path + "=" +
         std::string(parts[0]) + ":" + std::string(parts[1]) + ")");
  }
  if (!latin && !varied.step && varied.low != varied.high) {
    fail("a grid needs a STEP: " + varied.path + "=LO:HI:STEP (or use --design lhs --samples N)");
  }
  for (const auto& other : earlier) {
    if (other.path == varied.path) {
      fail(varied.path + " is varied twice");
    }
  }
  if (!valid) {
    return std::nullopt;
  }
  if (!latin && varied.step) {
    varied.levels = grid_spacing(varied.low, varied.high, *varied.step).levels;
  }
  return varied;
}

}  // namespace

std::string_view sweep_design_name(SweepDesignKind kind) {
  return kind == SweepDesignKind::Grid ? "grid" : "lhs";
}

std::uint64_t permute_index(std::uint64_t index, std::uint64_t size, std::uint64_t key) {
  if (size <= 1) {
    return 0;
  }
  // The smallest even number of bits whose range holds `size`: at most 4·size values, so cycle
  // walking takes fewer than four steps on average.
  int bits = 2;
  while (bits < 64 && (std::uint64_t{1} << bits) < size) {
    bits += 2;
  }
  const int half = bits / 2;
  const std::uint64_t mask = (std::uint64_t{1} << half) - 1;
  do {
    std::uint64_t left = index >> half;
    std::uint64_t right = index & mask;
    for (int round = 0; round < kFeistelRounds; ++round) {
      const std::uint64_t mixed = random_bits(key, RandomStream::kSweep, right,
                                              static_cast<std::uint64_t>(round), kFeistelRoundTag) &
                                  mask;
      const std::uint64_t next = left ^ mixed;
      left = right;
      right = next;
    }
    index = (left << half) | right;
  } while (index >= size);
  return index;
}

SweepDesign::SweepDesign(const Scenario& scenario, const std::vector<std::string>& vary_specs,
                         const SweepDesignOptions& options)
    : options_(options) {
  Diagnostics diagnostics;
  const bool latin = options.kind == SweepDesignKind::LatinHypercube;
  for (const auto& spec : vary_specs) {
    if (auto varied = parse_varied_input(scenario, spec, latin, inputs_, diagnostics)) {
      inputs_.push_back(std::move(*varied));
    }
  }

  const auto option_error = [&](const char* option, const std::string& message) {
    diagnostics.error(SourceLocation{option, 0, 0}, message);
  };
  if (options.replications < 1) {
    option_error("--replications", "must be at least 1");
  }
  if (latin) {
    if (!options.samples) {
      option_error("--design lhs", "needs --samples N, the number of points to sample");
    } else if (*options.samples < 1) {
      option_error("--samples", "must be at least 1");
    }
    if (vary_specs.empty()) {
      option_error("--design lhs", "needs at least one --vary PATH=LO:HI");
    }
  } else if (options.samples) {
    option_error("--samples", "applies to --design lhs; a grid's size comes from its STEPs");
  }
  diagnostics.throw_if_any();

  // The number of runs, checked against the limit without overflowing.
  const auto limit = static_cast<double>(kMaxSweepRuns);
  double total = static_cast<double>(options.replications);
  if (latin) {
    points_ = *options.samples;
    total *= static_cast<double>(points_);
  } else {
    points_ = 1;
    for (const auto& varied : inputs_) {
      total *= static_cast<double>(varied.levels);
      points_ = total <= limit ? points_ * varied.levels : 0;
    }
  }
  if (total > limit) {
    throw InputError(SourceLocation{"--vary", 0, 0},
                     "the sweep would have " + format_number(total) + " runs; the limit is " +
                         std::to_string(kMaxSweepRuns) + " (check the STEPs and --samples)");
  }
}

SweepRun SweepDesign::run(std::int64_t index) const {
  SweepRun run;
  run.index = index;
  run.point = index / options_.replications;
  run.replication = index % options_.replications;
  run.seed =
      random_bits(options_.seed, RandomStream::kSweep, static_cast<std::uint64_t>(index)) >> 1;
  return run;
}

void SweepDesign::point_values(std::int64_t point, std::vector<double>& values) const {
  values.resize(inputs_.size());
  if (options_.kind == SweepDesignKind::Grid) {
    // Mixed radix, the last --vary changing fastest, as in nested loops written in that order.
    std::int64_t remaining = point;
    for (std::size_t dimension = inputs_.size(); dimension-- > 0;) {
      const VariedInput& varied = inputs_[dimension];
      values[dimension] = grid_value(varied, remaining % varied.levels);
      remaining /= varied.levels;
    }
    return;
  }
  const auto samples = static_cast<std::uint64_t>(points_);
  for (std::size_t dimension = 0; dimension < inputs_.size(); ++dimension) {
    const VariedInput& varied = inputs_[dimension];
    const std::uint64_t key =
        random_bits(options_.seed, RandomStream::kSweep, dimension, 0, kPermutationKeyTag);
    const auto stratum = permute_index(static_cast<std::uint64_t>(point), samples, key);
    const double jitter = random_uniform(options_.seed, RandomStream::kSweep, dimension,
                                         static_cast<std::uint64_t>(point), kJitterTag);
    const double share = (static_cast<double>(stratum) + jitter) / static_cast<double>(samples);
    values[dimension] = std::min(varied.low + (varied.high - varied.low) * share, varied.high);
  }
}

void SweepDesign::apply(Scenario& scenario, const std::vector<double>& values) const {
  for (std::size_t dimension = 0; dimension < inputs_.size(); ++dimension) {
    inputs_[dimension].input.set(scenario, values[dimension]);
  }
}

}  // namespace multivector::sim
