#include "sim/generate.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "sim/date.hpp"
#include "sim/random.hpp"

namespace multivector::sim {
namespace {

class Draws {
 public:
  explicit Draws(std::uint64_t seed) : seed_(seed) {}
  double uniform() { return random_uniform(seed_, RandomStream::kGenerate, counter_++); }
  int below(int bound) {
    return std::min(bound - 1, static_cast<int>(uniform() * static_cast<double>(bound)));
  }

 private:
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

// The comment that marks a file generate wrote, and may therefore replace.
constexpr std::string_view kGeneratedComment =
    "# Synthetic scenario written by `multivector generate`";

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

std::string country_id(int index) {
  std::string id(3, 'A');
  id[0] = static_cast<char>('A' + (index / (26 * 26)) % 26);
  id[1] = static_cast<char>('A' + (index / 26) % 26);
  id[2] = static_cast<char>('A' + index % 26);
  return id;
}

// Built with append rather than "literal" + std::string, which trips a false -Wrestrict in GCC 12.
std::string prefixed(const char* prefix, int index) {
  std::string id(prefix);
  id.append(std::to_string(index));
  return id;
}
std::string power_id(int index) {
  return prefixed("P", index);
}
std::string channel_id(int index) {
  return prefixed("channel_", index);
}
std::string norm_id(int index) {
  return prefixed("norm_", index);
}

}  // namespace

std::string generate_scenario_yaml(const GenerateOptions& options) {
  if (options.countries < 1 || options.countries > 17576 || options.days < 1 ||
      options.events < 0 || options.items < 0 || options.powers < 1 || options.channels < 1 ||
      options.norms < 0) {
    throw std::invalid_argument("generate: sizes out of range");
  }
  Draws draws(options.seed);
  const Date start = date_from_civil(2022, 1, 1);
  const Date end{start.days + options.days - 1};
  const int groups = std::max(1, options.countries / 10);
  std::string out;
  out += std::string(kGeneratedComment) + " (seed " + std::to_string(options.seed) + ").\n";
  out += "scenario:\n  id: generated_" + std::to_string(options.countries) + "x" +
         std::to_string(options.days) + "\n";
  out += "  name: Synthetic scenario\n";
  out += "  start: " + format_date(start) + "\n  end: " + format_date(end) + "\n";
  out += "  step: 1d\n  seed: " + std::to_string(options.seed) + "\n";

  out += "powers:\n";
  for (int power = 0; power < options.powers; ++power) {
    const double position = options.powers == 1 ? 0.0 : -1.0 + 2.0 * power / (options.powers - 1);
    out += "  " + power_id(power) + ": {position: " + number(position) +
           ", capacity: " + number(0.5 + draws.uniform()) +
           ", credibility: " + number(0.3 + 0.4 * draws.uniform()) + "}\n";
  }
  out += "channels:\n";
  for (int channel = 0; channel < options.channels; ++channel) {
    out += "  " + channel_id(channel) + ": {weight: " + number(0.2 + draws.uniform()) +
           ", substitutability: " + number(0.5 * draws.uniform()) + "}\n";
  }
  if (options.norms > 0) {
    out += "norms:\n";
    for (int norm = 0; norm < options.norms; ++norm) {
      out += "  " + norm_id(norm) + ":\n    by_tag:\n      tag_" + std::to_string(norm) +
             ": {Y: 1, N: -1}\n";
    }
  }
  out += "groups:\n";
  for (int group = 0; group < groups; ++group) {
    out += "  G" + std::to_string(group) + ":\n    members: [";
    bool first = true;
    for (int country = group; country < options.countries; country += groups) {
      out += (first ? "" : ", ") + country_id(country);
      first = false;
    }
    out += "]\n";
  }
  out += "countries:\n";
  for (int country = 0; country < options.countries; ++country) {
    out += "  " + country_id(country) + ":\n";
    out += "    orientation: {prior: " + number(2.0 * draws.uniform() - 1.0) +
           ", stubbornness: " + number(0.5 + 0.5 * draws.uniform()) + "}\n";
    out += "    stay_out: " + number(0.02 + 0.3 * draws.uniform()) + "\n";
    if (options.norms > 0) {
      out += "    norms: {";
      for (int norm = 0; norm < options.norms; ++norm) {
        out += (norm == 0 ? "" : ", ") + norm_id(norm) + ": " + number(draws.uniform());
      }
      out += "}\n";
    }
    out += "    exposure:\n";
    for (int power = 0; power < options.powers; ++power) {
      out += "      " + power_id(power) + ": {";
      for (int channel = 0; channel < options.channels; ++channel) {
        out += (channel == 0 ? "" : ", ") + channel_id(channel) + ": " +
               number(draws.uniform() * draws.uniform());
      }
      out += "}\n";
    }
  }

  std::vector<int> item_days(static_cast<size_t>(options.items));
  for (auto& day : item_days) {
    day = draws.below(options.days);
  }
  std::sort(item_days.begin(), item_days.end());
  if (options.items > 0) {
    out += "agenda:\n";
  }
  for (int item = 0; item < options.items; ++item) {
    const std::string date = format_date(Date{start.days + item_days[static_cast<size_t>(item)]});
    const std::string tag = "tag_" + std::to_string(item % std::max(1, options.norms));
    if (item % 10 == 9) {
      out += "  - id: statement_" + std::to_string(item) + "\n    kind: statement\n";
      out += "    date: " + date + "\n    tags: [" + tag + "]\n";
      out +=
          "    options:\n      support: {lean: 0.5}\n      silence: {stay_out: true}\n"
          "      oppose: {lean: -0.5}\n";
      // The first power is offended by support and the last by opposition; a lone power is
      // both first and last, and a map cannot name it twice.
      out += "    offence: {" + power_id(0) + ": {support: 0.6}" +
             (options.powers > 1 ? ", " + power_id(options.powers - 1) + ": {oppose: 0.6}" : "") +
             "}\n";
      continue;
    }
    out += "  - id: vote_" + std::to_string(item) + "\n";
    out += "    date: " + date + "\n    tags: [" + tag + "]\n";
    out += std::string("    yes_points: ") + (draws.uniform() < 0.8 ? "west" : "russia") + "\n";
    out += "    salience: " + number(0.5 + draws.uniform()) + "\n";
    out += "    stances: {";
    static const char* kOptions[] = {"Y", "N", "A", "NV"};
    for (int power = 0; power < options.powers; ++power) {
      out +=
          std::string(power == 0 ? "" : ", ") + power_id(power) + ": " + kOptions[draws.below(3)];
    }
    out += "}\n";
  }

  if (options.events > 0) {
    out += "events:\n";
  }
  static const char* kKinds[] = {"THREATEN", "SANCTION", "AID", "PROTECT", "DISAPPROVE"};
  for (int event = 0; event < options.events; ++event) {
    int kind = event % 5;
    // Fall back to kinds the scenario can express: threats need items, protection needs a second
    // power, disapproval needs a norm.
    if ((kind == 0 && options.items == 0) || (kind == 3 && options.powers < 2) ||
        (kind == 4 && options.norms == 0)) {
      kind = 2;
    }
    const int source = draws.below(options.powers);
    const std::string date = format_date(Date{start.days + draws.below(options.days)});
    out += "  - id: event_" + std::to_string(event) + "\n    date: " + date + "\n";
    out += "    source: " + power_id(source) + "\n    event: " + kKinds[kind] + "\n";
    out += "    recipient: " +
           (draws.uniform() < 0.3 ? "G" + std::to_string(draws.below(groups))
                                  : country_id(draws.below(options.countries))) +
           "\n";
    out += "    magnitude: " + number(draws.uniform()) + "\n";
    switch (kind) {
      case 0:
        // A tag some item carries: items are tagged tag_0, tag_1, ... in turn.
        out += "    item_tags: [tag_" +
               std::to_string(draws.below(std::max(1, std::min(options.norms, options.items)))) +
               "]\n    options: [A, NV]\n    resolve: " + number(draws.uniform()) +
               "\n    duration_days: " + std::to_string(30 + draws.below(120)) + "\n";
        break;
      case 1:
        out += "    channel: " + channel_id(draws.below(options.channels)) +
               "\n    duration_days: " + std::to_string(10 + draws.below(200)) + "\n";
        break;
      case 3:
        out += "    against: " + power_id((source + 1) % options.powers) + "\n";
        break;
      case 4:
        out += "    norm: " + norm_id(draws.below(options.norms)) + "\n";
        break;
      default:
        break;
    }
  }
  // The statement options' intercepts only when a statement exists (every tenth item): the
  // loader refuses an intercept for an option no item offers.
  out +=
      std::string("parameters:\n  decision:\n    intercepts: {Y: 0.5, N: -0.5, A: 0.3, NV: -1.0") +
      (options.items >= 10 ? ", support: 0, silence: 1, oppose: 0" : "") +
      "}\n    orientation: 1.5\n    persistence: 0.5\n";
  return out;
}

bool is_generated_scenario(std::string_view text) {
  // The command line writes its own "# Written by multivector ..." line above the scenario.
  for (int line = 0; line < 2 && !text.empty(); ++line) {
    const std::size_t end = text.find('\n');
    if (text.substr(0, end).starts_with(kGeneratedComment)) {
      return true;
    }
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return false;
}

}  // namespace multivector::sim
