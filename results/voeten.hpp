#pragma once
// Erik Voeten's UN General Assembly roll calls (1946–2019), as packaged in the R package unvotes:
// un_votes.csv(.gz) `rcid,country,country_code,vote`, un_roll_calls.csv(.gz)
// `rcid,session,importantvote,date,unres,amend,para,short,descr`, un_roll_call_issues.csv
// `rcid,short_name,issue`. Absences are not rows: a member missing from a roll call did not vote.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/date.hpp"

namespace multivector::results {

struct RollCall {
  std::int64_t rcid = 0;
  int session = 0;
  sim::Date date;
  bool important = false;
  std::string resolution;
  std::vector<std::string> issues;  // short names: me, nu, di, hr, co, ec
};

// Voeten's codes: 1 yes, 2 abstain, 3 no (8 absent is implied by a missing row).
enum class VoetenVote : std::uint8_t { Yes = 1, Abstain = 2, No = 3 };

struct CountryVote {
  std::int64_t rcid = 0;
  std::uint16_t country = 0;  // index into country_codes()
  VoetenVote vote = VoetenVote::Yes;
};

struct VoetenData {
  std::vector<RollCall> roll_calls;  // sorted by rcid
  std::vector<CountryVote> votes;    // sorted by rcid, then country
  [[nodiscard]] const RollCall* find(std::int64_t rcid) const;
  std::unordered_map<std::int64_t, std::size_t> roll_call_index;
};

// Reads a file whole, decompressing it when it is gzip (plain files are read as they are).
// Missing or unreadable files are an InputError.
[[nodiscard]] std::string read_possibly_compressed(const std::string& path);

// Loads the three files. Malformed rows and unknown country codes are InputErrors at FILE:LINE.
[[nodiscard]] VoetenData load_voeten(const std::string& votes_path,
                                     const std::string& roll_calls_path,
                                     const std::string& issues_path);
[[nodiscard]] VoetenData parse_voeten(const std::string& votes_text, const std::string& votes_label,
                                      const std::string& roll_calls_text,
                                      const std::string& roll_calls_label,
                                      const std::string& issues_text,
                                      const std::string& issues_label);

}  // namespace multivector::results
