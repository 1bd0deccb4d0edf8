#pragma once
// The table a run prints: simulated votes beside the recorded ones.

#include <string>

#include "results/history.hpp"
#include "results/recorder.hpp"

namespace multivector::results {

struct VoteTableSummary {
  int compared = 0;  // decisions with a recorded vote
  int matched = 0;   // of which the modal option equals the recorded vote
};

// One row per vote item, one column per country (at most `max_countries`, else only the
// summary line). Cells read "A" when simulated and recorded agree, "N≠A" (simulated≠recorded)
// when they do not, and "A/-" when nothing is recorded. An empty `history` (nothing recorded at
// all) gives the simulated votes alone, without the match column and the accuracy line, or ""
// when there are too many countries to print.
[[nodiscard]] std::string format_vote_table(const RunRecorder& recorder, const VoteHistory& history,
                                            VoteTableSummary& summary, int max_countries = 12);

// Statements: one row per occasion, the modal option of each country.
[[nodiscard]] std::string format_statement_table(const RunRecorder& recorder,
                                                 int max_countries = 12);

}  // namespace multivector::results
