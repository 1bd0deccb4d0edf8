#include "results/priors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "results/country_codes.hpp"
#include "results/csv.hpp"
#include "results/yaml_text.hpp"

namespace multivector::results {
namespace {

double vote_value(VoetenVote vote) {
  switch (vote) {
    case VoetenVote::Yes:
      return 1.0;
    case VoetenVote::Abstain:
      return 0.0;
    case VoetenVote::No:
      return -1.0;
  }
  return 0.0;
}

std::string fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text == "-0.000" || text == "-0.00") {
    text.erase(0, 1);  // "−0" reads as a sign where there is none
  }
  return text;
}

}  // namespace

std::vector<CountryPrior> derive_priors(const VoetenData& voeten, const VoteHistory* history,
                                        const PriorSettings& settings,
                                        const std::vector<std::string>& countries) {
  const auto& codes = country_codes();
  std::vector<std::size_t> wanted;  // indices into country_codes()
  for (std::size_t index = 0; index < codes.size(); ++index) {
    const bool listed = countries.empty() ? codes[index].un_member_2022
                                          : std::find(countries.begin(), countries.end(),
                                                      codes[index].alpha3) != countries.end();
    if (listed) {
      wanted.push_back(index);
    }
  }
  std::vector<double> line_sum(codes.size(), 0.0);
  std::vector<int> line_count(codes.size(), 0);
  std::vector<int> window_total(codes.size(), 0);
  std::vector<int> window_present(codes.size(), 0);

  const auto us = static_cast<std::uint16_t>(find_country_code("USA") - codes.data());
  const auto ru = static_cast<std::uint16_t>(find_country_code("RUS") - codes.data());

  // The absence window ends where the data or the cut-off ends, whichever is earlier.
  sim::Date last = sim::Date{std::numeric_limits<std::int64_t>::min()};
  for (const auto& roll_call : voeten.roll_calls) {
    if (roll_call.date < settings.before) {
      last = std::max(last, roll_call.date);
    }
  }
  const sim::Date window_start{last.days -
                               static_cast<std::int64_t>(365.2425 * settings.absence_window_years)};

  // Absence counts on the roll calls of members only; a member that sat a whole session out
  // (in arrears, say) was absent from all of it.
  const VoetenMembership membership(voeten);

  std::size_t position = 0;
  std::vector<int> present(codes.size(), -1);  // vote of each country on the current roll call
  while (position < voeten.votes.size()) {
    const std::int64_t rcid = voeten.votes[position].rcid;
    const RollCall& roll_call = *voeten.find(rcid);
    std::size_t end = position;
    while (end < voeten.votes.size() && voeten.votes[end].rcid == rcid) {
      ++end;
    }
    const bool excluded =
        std::find(settings.excluded_resolutions.begin(), settings.excluded_resolutions.end(),
                  voeten_resolution_symbol(roll_call.resolution)) !=
        settings.excluded_resolutions.end();
    if (roll_call.date < settings.before && !excluded) {
      std::fill(present.begin(), present.end(), -1);
      for (std::size_t index = position; index < end; ++index) {
        present[voeten.votes[index].country] = static_cast<int>(voeten.votes[index].vote);
      }
      const bool on_human_rights = std::find(roll_call.issues.begin(), roll_call.issues.end(),
                                             "hr") != roll_call.issues.end();
      if (on_human_rights && roll_call.date >= settings.orientation_since && present[us] > 0 &&
          present[ru] > 0 && present[us] != present[ru]) {
        const double us_value = vote_value(static_cast<VoetenVote>(present[us]));
        const double ru_value = vote_value(static_cast<VoetenVote>(present[ru]));
        for (const std::size_t country : wanted) {
          if (present[country] > 0) {
            const double value = vote_value(static_cast<VoetenVote>(present[country]));
            // Position on the segment from Russia's vote (−1) to the United States' (+1).
            const double position_on_line =
                (2.0 * value - us_value - ru_value) / (us_value - ru_value);
            line_sum[country] += std::clamp(position_on_line, -1.0, 1.0);
            line_count[country] += 1;
          }
        }
      }
      if (roll_call.date >= window_start) {
        for (const std::size_t country : wanted) {
          if (membership.member(static_cast<std::uint16_t>(country), roll_call)) {
            window_total[country] += 1;
            window_present[country] += present[country] > 0 ? 1 : 0;
          }
        }
      }
    }
    position = end;
  }

  std::vector<CountryPrior> priors;
  for (const std::size_t country : wanted) {
    CountryPrior prior;
    prior.iso3 = std::string(codes[country].alpha3);
    prior.name = std::string(codes[country].name);
    prior.human_rights_roll_calls = line_count[country];
    if (line_count[country] >= settings.min_orientation_roll_calls) {
      prior.human_rights_line = line_sum[country] / line_count[country];
      prior.voeten_orientation = std::clamp(2.0 * prior.human_rights_line + 1.0, -1.0, 1.0);
    }
    prior.window_roll_calls = window_total[country];
    if (window_total[country] > 0) {
      prior.absence_rate =
          1.0 - static_cast<double>(window_present[country]) / window_total[country];
    }
    if (history != nullptr) {
      int not_voting = 0;
      for (const auto& vote : history->votes()) {
        if (vote.country != prior.iso3 || !(vote.date < settings.before)) {
          continue;
        }
        prior.recorded_rows += 1;
        if (vote.vote == "NV") {
          ++not_voting;
          continue;
        }
        prior.recorded_cast += 1;
        prior.recorded_sum += vote.vote == "Y" ? 1.0 : vote.vote == "N" ? -1.0 : 0.0;
      }
      if (prior.recorded_rows > 0) {
        prior.recorded_not_voting = static_cast<double>(not_voting) / prior.recorded_rows;
      }
    }
    prior.orientation_prior =
        (prior.recorded_sum + settings.voeten_weight * prior.voeten_orientation) /
        (prior.recorded_cast + settings.voeten_weight);
    prior.stay_out = prior.recorded_rows > 0
                         ? 0.5 * prior.absence_rate + 0.5 * prior.recorded_not_voting
                         : prior.absence_rate;
    priors.push_back(std::move(prior));
  }
  return priors;
}

std::string priors_yaml(const std::vector<CountryPrior>& priors,
                        const std::vector<std::string>& provenance) {
  std::string out;
  for (const auto& line : provenance) {
    out += yaml_comment(line);
  }
  out += "countries:\n";
  for (const auto& prior : priors) {
    out += "  " + yaml_key(prior.iso3) + ":\n";
    out += "    # human-rights line " + fixed(prior.human_rights_line, 3) + " over " +
           std::to_string(prior.human_rights_roll_calls) +
           " roll calls; recorded votes: " + std::to_string(prior.recorded_cast) + " cast, sum " +
           fixed(prior.recorded_sum, 0) + ", not voting " +
           fixed(100.0 * prior.recorded_not_voting, 1) + "%; absent " +
           fixed(100.0 * prior.absence_rate, 1) + "% of " +
           std::to_string(prior.window_roll_calls) + " roll calls\n";
    out += "    name: " + yaml_quoted(prior.name) + "\n";
    out += "    orientation: {prior: " + fixed(prior.orientation_prior, 3) + "}\n";
    out += "    stay_out: " + fixed(prior.stay_out, 3) + "\n";
  }
  return out;
}

CsvColumns priors_csv_columns() {
  return {
      {"iso3", "ISO3 code of the country"},
      {"name", "its name"},
      {"orientation_prior", "(recorded_sum + 5 * voeten_orientation) / (recorded_cast + 5)"},
      {"stay_out", "absence_rate / 2 + recorded_not_voting / 2 (absence_rate alone without rows)"},
      {"human_rights_roll_calls",
       "Voeten's human-rights roll calls from 1992 on where the US and Russia voted differently"},
      {"human_rights_line", "mean position on them from Russia's vote (-1) to the US's (+1)"},
      {"voeten_orientation",
       "clamp(2 * human_rights_line + 1, -1, 1); 0 with fewer than 10 roll calls"},
      {"recorded_rows", "rows of the --history files before the date"},
      {"recorded_cast", "of which Y, N or A"},
      {"recorded_sum", "Y +1, A 0, N -1 over them"},
      {"recorded_not_voting", "share of the rows not voting (NV)"},
      {"window_roll_calls", "Voeten's roll calls of the 10 years before the date while a member"},
      {"absence_rate", "share of them the country did not vote on"}};
}

std::string priors_csv(const std::vector<CountryPrior>& priors) {
  std::string out;
  append_csv_header(out, priors_csv_columns());
  for (const auto& prior : priors) {
    append_csv_row(out,
                   {prior.iso3, prior.name, format_double(prior.orientation_prior),
                    format_double(prior.stay_out), std::to_string(prior.human_rights_roll_calls),
                    format_double(prior.human_rights_line), format_double(prior.voeten_orientation),
                    std::to_string(prior.recorded_rows), std::to_string(prior.recorded_cast),
                    format_double(prior.recorded_sum), format_double(prior.recorded_not_voting),
                    std::to_string(prior.window_roll_calls), format_double(prior.absence_rate)});
  }
  return out;
}

}  // namespace multivector::results
