#pragma once
// Orientation and participation priors of every country from the votes it cast before a date
// (docs/priors.md). A scenario takes these as its countries' orientation.prior and stay_out, so
// what a country did before the scenario starts informs it, and nothing after does.

#include <string>
#include <utility>
#include <vector>

#include "results/csv.hpp"
#include "results/history.hpp"
#include "results/voeten.hpp"
#include "sim/date.hpp"

namespace multivector::results {

struct PriorSettings {
  sim::Date before;  // only votes strictly before this date
  sim::Date orientation_since = sim::date_from_civil(1992, 1, 1);  // post-Soviet roll calls only
  double voeten_weight = 5.0;           // the Voeten orientation counts as this many recorded votes
  int absence_window_years = 10;        // absence rate over the last years of Voeten data
  int min_orientation_roll_calls = 10;  // fewer than this: the Voeten orientation is neutral (0)
  // Roll calls on these resolutions are left out (symbols in the UN's spelling, A/RES/68/262, as
  // the history readers and voeten_resolution_symbol write them), so the votes a scenario is
  // judged on never reach its priors through Voeten's data.
  std::vector<std::string> excluded_resolutions;
};

struct CountryPrior {
  std::string iso3;
  std::string name;
  double orientation_prior = 0.0;
  double stay_out = 0.0;
  // The components, so every prior can be checked by hand.
  int human_rights_roll_calls = 0;   // Voeten roll calls on human rights where USA and RUS differed
  double human_rights_line = 0.0;    // mean position on the line RUS (−1) … USA (+1), clamped
  double voeten_orientation = 0.0;   // clamp(2 · line + 1, −1, 1)
  int recorded_rows = 0;             // rows of the recorded-votes file before the date
  int recorded_cast = 0;             // of which Y, N or A
  double recorded_sum = 0.0;         // Y +1, A 0, N −1
  double recorded_not_voting = 0.0;  // NV share of the rows
  int window_roll_calls = 0;         // roll calls in the absence window while a member
  double absence_rate = 0.0;
};

// Priors for `countries` (ISO3; empty: the 193 members of 2022). `history` may be null.
[[nodiscard]] std::vector<CountryPrior> derive_priors(const VoetenData& voeten,
                                                      const VoteHistory* history,
                                                      const PriorSettings& settings,
                                                      const std::vector<std::string>& countries);

// A YAML fragment `countries: {ISO3: {name, orientation: {prior}, stay_out}}` with a comment per
// country giving its components; `provenance` lines go at the top as comments.
[[nodiscard]] std::string priors_yaml(const std::vector<CountryPrior>& priors,
                                      const std::vector<std::string>& provenance);
// priors_csv's columns in order, each with what it holds (docs/priors.md has the formula).
[[nodiscard]] CsvColumns priors_csv_columns();
[[nodiscard]] std::string priors_csv(const std::vector<CountryPrior>& priors);

}  // namespace multivector::results
