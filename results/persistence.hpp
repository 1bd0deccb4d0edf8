#pragma once
// The persistence baseline that compare and calibrate both score the model against: a country
// keeps the vote it cast last time on a text of the same kind.

#include <map>
#include <string>
#include <vector>

#include "results/history.hpp"
#include "sim/date.hpp"

namespace multivector::results {

class PersistenceBaseline {
 public:
  // `types` maps each resolution the baseline may read to its type (the first tag), or to "" for
  // one it may read without a type (it can then serve only as "the most recent one"). Votes on
  // resolutions it does not name are not read: a Library export of every vote since 1946 gives
  // the same baseline as a file of just the texts compared.
  PersistenceBaseline(const VoteHistory& history, const std::map<std::string, std::string>& types);

  // The vote class (sim::kYes...) of `country` on the most recent resolution read that is dated
  // before `date` and has the type of `resolution`, else on the most recent one before `date`;
  // −1 when the country has no recorded vote before `date`. A vote on the same day does not
  // count as earlier: the records do not say which of two same-day votes came first.
  [[nodiscard]] int predict(const std::string& country, const std::string& resolution,
                            sim::Date date) const;

 private:
  struct DatedVote {
    sim::Date date;
    int type = -1;  // the type's number, −1 when read without a type
    int vote = 0;
  };
  [[nodiscard]] int type_index(const std::string& resolution) const;

  std::map<std::string, int> type_of_resolution_;             // −1: read, untyped
  std::map<std::string, std::vector<DatedVote>> by_country_;  // each in date order
};

}  // namespace multivector::results
