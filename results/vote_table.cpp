#include "results/vote_table.hpp"

#include <algorithm>
#include <cstdio>

namespace multivector::results {
namespace {

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

// A table line without the padding after its last cell.
std::string without_trailing_spaces(std::string line) {
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

}  // namespace

std::string format_vote_table(const RunRecorder& recorder, const VoteHistory& history,
                              VoteTableSummary& summary, int max_countries) {
  const sim::Scenario& scenario = recorder.scenario();
  const auto countries = static_cast<Index>(scenario.countries.size());
  const bool show_rows = countries <= max_countries;
  // No recorded votes at all (a scenario without compare_with, and no --history): the simulated
  // votes alone, without the match column and the accuracy line that would read 0 of 0.
  const bool with_recorded = !history.empty();
  summary = VoteTableSummary{};
  if (!show_rows && !with_recorded) {
    return "";
  }
  std::size_t item_width = 8;
  for (const auto& item : scenario.agenda) {
    item_width = std::max(item_width, item.id.size() + 2);
  }
  std::string out;
  if (show_rows) {
    out += pad("vote", item_width);
    for (const auto& country : scenario.countries) {
      out += pad(country.id, 8);
    }
    out = with_recorded ? out + "match\n" : without_trailing_spaces(out) + "\n";
  }
  for (Index item_index = 0; item_index < static_cast<Index>(scenario.agenda.size());
       ++item_index) {
    const sim::AgendaItem& item = scenario.agenda[static_cast<size_t>(item_index)];
    if (item.kind != sim::ItemKind::Vote) {
      continue;
    }
    std::string line = pad(item.id, item_width);
    int compared = 0;
    int matched = 0;
    for (Index country = 0; country < countries; ++country) {
      const DecisionRow* row = recorder.find_decision(item_index, country);
      if (row == nullptr) {
        line += pad("", 8);
        continue;
      }
      const std::string& simulated = item.options[static_cast<size_t>(row->modal)];
      const RecordedVote* recorded =
          item.resolution.empty()
              ? nullptr
              : history.find(item.resolution, scenario.countries[static_cast<size_t>(country)].id);
      std::string cell;
      if (!with_recorded) {
        cell = simulated;
      } else if (recorded == nullptr) {
        cell = simulated + "/-";
      } else if (recorded->vote == simulated) {
        cell = simulated;
        ++compared;
        ++matched;
      } else {
        cell = simulated + "≠" + recorded->vote;
        ++compared;
      }
      // "≠" is one column wide but three bytes long.
      const std::size_t visible =
          cell.find("≠") == std::string::npos ? cell.size() : cell.size() - 2;
      line += cell + std::string(visible < 8 ? 8 - visible : 1, ' ');
    }
    summary.compared += compared;
    summary.matched += matched;
    if (show_rows) {
      out += (with_recorded ? line + std::to_string(matched) + "/" + std::to_string(compared)
                            : without_trailing_spaces(line)) +
             "\n";
    }
  }
  if (!with_recorded) {
    return out;
  }
  char totals[160];
  std::snprintf(totals, sizeof totals,
                "simulated modal vote equals the recorded vote in %d of %d cases (%.1f%%)\n",
                summary.matched, summary.compared,
                summary.compared > 0 ? 100.0 * summary.matched / summary.compared : 0.0);
  out += totals;
  return out;
}

std::string format_statement_table(const RunRecorder& recorder, int max_countries) {
  const sim::Scenario& scenario = recorder.scenario();
  const auto countries = static_cast<Index>(scenario.countries.size());
  if (countries > max_countries) {
    return "";
  }
  std::string out;
  for (Index item_index = 0; item_index < static_cast<Index>(scenario.agenda.size());
       ++item_index) {
    const sim::AgendaItem& item = scenario.agenda[static_cast<size_t>(item_index)];
    if (item.kind != sim::ItemKind::Statement) {
      continue;
    }
    out += "statement " + item.id + " (" + sim::format_date(item.date) + ")\n";
    for (Index country = 0; country < countries; ++country) {
      const DecisionRow* row = recorder.find_decision(item_index, country);
      if (row == nullptr) {
        continue;
      }
      char probability[32];
      std::snprintf(probability, sizeof probability, "%.2f", row->probability(row->modal));
      out += "  " + scenario.countries[static_cast<size_t>(country)].id + "  " +
             item.options[static_cast<size_t>(row->modal)] + " (p=" + probability + ")\n";
    }
  }
  return out;
}

}  // namespace multivector::results
