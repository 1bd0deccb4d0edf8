#pragma once
// Recorded or simulated votes written out for other tools: the tidy resolution,date,iso3,vote
// CSV with the vote as a letter (Y, N, A, NV), or with Voeten's numeric codes (DESIGN §7:
// 1 yes, 2 abstain, 3 no, 8 absent), so that R or Stata code written for his data reads them.

#include <string>
#include <utility>
#include <vector>

#include "results/csv.hpp"
#include "results/history.hpp"
#include "results/run_directory.hpp"

namespace multivector::results {

enum class VoteCodes { Letters, Voeten };

// Y → 1, A → 2, N → 3, NV → 8; −1 for anything else.
[[nodiscard]] int voeten_code(const std::string& vote);

// A run's realised votes (what the run says each country did). Items without a UN symbol keep
// their agenda item id in the resolution column.
[[nodiscard]] std::vector<RecordedVote> simulated_votes(const RunDirectory& run);

// exported_votes_csv's columns in order, each with what it holds in the given codes.
[[nodiscard]] CsvColumns exported_votes_columns(VoteCodes codes);

// `resolution,date,iso3,vote` sorted by date, resolution and country.
[[nodiscard]] std::string exported_votes_csv(std::vector<RecordedVote> votes, VoteCodes codes);

}  // namespace multivector::results
