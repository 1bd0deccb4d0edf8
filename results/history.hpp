#pragma once
// Recorded UN General Assembly votes: the ground truth that runs are compared against. The model
// never reads these; compare, calibrate and the printed tables do.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/date.hpp"

namespace multivector::results {

struct RecordedVote {
  std::string resolution;  // UN symbol, e.g. A/RES/ES-11/1
  sim::Date date;
  std::string country;  // ISO 3166-1 alpha-3
  std::string vote;     // Y, N, A or NV
};

class VoteHistory {
 public:
  void add(RecordedVote vote);
  [[nodiscard]] const std::vector<RecordedVote>& votes() const { return votes_; }
  [[nodiscard]] const RecordedVote* find(const std::string& resolution,
                                         const std::string& country) const;
  [[nodiscard]] std::vector<std::string> resolutions() const;  // in date order
  [[nodiscard]] bool empty() const { return votes_.empty(); }

 private:
  std::vector<RecordedVote> votes_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
};

// The tidy `resolution,date,iso3,vote` CSV (other columns such as title or country are allowed).
// A malformed row is an InputError at FILE:LINE, never skipped.
[[nodiscard]] VoteHistory parse_tidy_votes(std::string_view text, const std::string& label);
[[nodiscard]] VoteHistory load_tidy_votes(const std::string& path);

}  // namespace multivector::results
