#include "results/vote_export.hpp"

#include <algorithm>
#include <tuple>

#include "results/csv.hpp"

namespace multivector::results {

int voeten_code(const std::string& vote) {
  if (vote == "Y") {
    return 1;
  }
  if (vote == "A") {
    return 2;
  }
  if (vote == "N") {
    return 3;
  }
  return vote == "NV" ? 8 : -1;
}

std::vector<RecordedVote> simulated_votes(const RunDirectory& run) {
  std::vector<RecordedVote> votes;
  for (const auto& decision : run.decisions) {
    if (decision.statement) {
      continue;
    }
    votes.push_back(RecordedVote{decision.resolution.empty() ? decision.item : decision.resolution,
                                 decision.date, decision.country, decision.realised});
  }
  return votes;
}

CsvColumns exported_votes_columns(VoteCodes codes) {
  return {{"resolution", "UN symbol (A/RES/68/262), or the item id of an item without one"},
          {"date", "date of the vote, YYYY-MM-DD"},
          {"iso3", "ISO3 code of the member state"},
          {"vote", codes == VoteCodes::Voeten
                       ? "Voeten's code: 1 yes, 2 abstain, 3 no, 8 absent (did not vote)"
                       : "Y, N, A (abstain) or NV (did not vote)"}};
}

std::string exported_votes_csv(std::vector<RecordedVote> votes, VoteCodes codes) {
  std::sort(votes.begin(), votes.end(), [](const RecordedVote& left, const RecordedVote& right) {
    return std::tie(left.date, left.resolution, left.country) <
           std::tie(right.date, right.resolution, right.country);
  });
  std::string out;
  append_csv_header(out, exported_votes_columns(codes));
  for (const auto& vote : votes) {
    append_csv_row(
        out, {vote.resolution, sim::format_date(vote.date), vote.country,
              codes == VoteCodes::Voeten ? std::to_string(voeten_code(vote.vote)) : vote.vote});
  }
  return out;
}

}  // namespace multivector::results
