// The persistence baseline shared by compare and calibrate.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "results/history.hpp"
#include "results/persistence.hpp"
#include "sim/scenario.hpp"

using namespace multivector;
using results::PersistenceBaseline;

namespace {

results::VoteHistory three_votes() {
  results::VoteHistory history;
  history.add({"R/3", sim::date_from_civil(2017, 1, 1), "AAA", "Y"});  // out of date order
  history.add({"R/1", sim::date_from_civil(2015, 1, 1), "AAA", "A"});
  history.add({"R/2", sim::date_from_civil(2016, 1, 1), "AAA", "N"});
  return history;
}

const std::map<std::string, std::string> kTypes = {
    {"R/1", "human_rights"}, {"R/2", "security"}, {"R/3", "human_rights"}};

}  // namespace

TEST_CASE("persistence predicts the vote on the most recent earlier resolution of the same type") {
  const results::VoteHistory history = three_votes();
  const PersistenceBaseline persistence(history, kTypes);
  // R/3 is human_rights: A on R/1, skipping the more recent N on R/2 (security).
  CHECK(persistence.predict("AAA", "R/3", sim::date_from_civil(2017, 1, 1)) == sim::kAbstain);
  // No earlier resolution of its type: the most recent one.
  CHECK(persistence.predict("AAA", "R/2", sim::date_from_civil(2016, 1, 1)) == sim::kAbstain);
  // Nothing earlier at all, or a country never seen: no prediction (callers fall back to Yes).
  CHECK(persistence.predict("AAA", "R/1", sim::date_from_civil(2015, 1, 1)) == -1);
  CHECK(persistence.predict("BBB", "R/3", sim::date_from_civil(2017, 1, 1)) == -1);
  // A resolution the types do not name falls back to the most recent earlier vote.
  CHECK(persistence.predict("AAA", "R/9", sim::date_from_civil(2018, 1, 1)) == sim::kYes);
}

TEST_CASE("persistence ignores votes of the same day and resolutions it was not given") {
  results::VoteHistory history = three_votes();
  // A Library export puts every other text of the session between the ones compared.
  history.add({"OTHER/0", sim::date_from_civil(2014, 6, 1), "AAA", "N"});
  history.add({"OTHER/1", sim::date_from_civil(2016, 6, 1), "AAA", "NV"});
  history.add({"R/4", sim::date_from_civil(2017, 1, 1), "AAA", "N"});  // same day as R/3
  history.add({"R/5", sim::date_from_civil(2018, 1, 1), "AAA", "NV"});
  std::map<std::string, std::string> types = kTypes;
  types["R/4"] = "human_rights";
  types["R/5"] = "";  // read, but without a type
  const PersistenceBaseline persistence(history, types);
  // R/3 and R/4 share a day: neither counts as earlier than the other, so both reach back to R/1.
  CHECK(persistence.predict("AAA", "R/4", sim::date_from_civil(2017, 1, 1)) == sim::kAbstain);
  CHECK(persistence.predict("AAA", "R/3", sim::date_from_civil(2017, 1, 1)) == sim::kAbstain);
  // OTHER/0 and OTHER/1 are not read: nothing before R/1, and R/1 (not OTHER/1) is the most recent
  // before R/2.
  CHECK(persistence.predict("AAA", "R/1", sim::date_from_civil(2015, 1, 1)) == -1);
  CHECK(persistence.predict("AAA", "R/2", sim::date_from_civil(2016, 1, 1)) == sim::kAbstain);
  // Of two same-day votes the later symbol (R/4) counts as the more recent.
  CHECK(persistence.predict("AAA", "R/6", sim::date_from_civil(2017, 6, 1)) == sim::kNo);
  // An untyped resolution that was given serves as the most recent one.
  CHECK(persistence.predict("AAA", "R/6", sim::date_from_civil(2019, 1, 1)) == sim::kNotVoting);
  // ... but never as one of the same type: a human-rights text after R/5 still reaches back to R/4.
  CHECK(persistence.predict("AAA", "R/3", sim::date_from_civil(2019, 1, 1)) == sim::kNo);
}
