#include "results/persistence.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "results/metrics.hpp"

namespace multivector::results {

PersistenceBaseline::PersistenceBaseline(const VoteHistory& history,
                                         const std::map<std::string, std::string>& types) {
  // Types become small integers once, so the backwards scan compares numbers, not strings — a
  // full Library export puts thousands of untyped resolutions in that scan.
  std::map<std::string, int> type_ids;
  for (const auto& [resolution, type] : types) {
    if (type.empty()) {
      type_of_resolution_[resolution] = -1;
      continue;
    }
    const auto [found, inserted] = type_ids.emplace(type, static_cast<int>(type_ids.size()));
    type_of_resolution_[resolution] = found->second;
  }
  // Date order, and among votes of one day the order of their symbols, so that two earlier
  // same-day resolutions give the same "most recent" whatever the files' row order.
  using TypedVote = std::pair<const RecordedVote*, int>;  // the vote and its type's number
  std::map<std::string, std::vector<TypedVote>> votes_of;
  for (const auto& vote : history.votes()) {
    const auto type = type_of_resolution_.find(vote.resolution);
    if (type != type_of_resolution_.end()) {
      votes_of[vote.country].emplace_back(&vote, type->second);
    }
  }
  for (auto& [country, votes] : votes_of) {
    std::sort(votes.begin(), votes.end(), [](const TypedVote& left, const TypedVote& right) {
      return std::tie(left.first->date, left.first->resolution) <
             std::tie(right.first->date, right.first->resolution);
    });
    std::vector<DatedVote>& dated = by_country_[country];
    dated.reserve(votes.size());
    for (const auto& [vote, type] : votes) {
      dated.push_back(DatedVote{vote->date, type, vote_class(vote->vote)});
    }
  }
}

int PersistenceBaseline::type_index(const std::string& resolution) const {
  const auto found = type_of_resolution_.find(resolution);
  return found == type_of_resolution_.end() ? -1 : found->second;
}

int PersistenceBaseline::predict(const std::string& country, const std::string& resolution,
                                 sim::Date date) const {
  const auto found = by_country_.find(country);
  if (found == by_country_.end()) {
    return -1;
  }
  const std::vector<DatedVote>& votes = found->second;
  const int wanted = type_index(resolution);
  // The first vote dated on or after `date`; everything before it is earlier.
  auto earlier_end = std::lower_bound(
      votes.begin(), votes.end(), date,
      [](const DatedVote& vote, const sim::Date& when) { return vote.date < when; });
  int most_recent = -1;
  for (auto it = std::make_reverse_iterator(earlier_end); it != votes.rend(); ++it) {
    if (most_recent < 0) {
      most_recent = it->vote;
    }
    if (wanted >= 0 && it->type == wanted) {
      return it->vote;
    }
  }
  return most_recent;
}

}  // namespace multivector::results
