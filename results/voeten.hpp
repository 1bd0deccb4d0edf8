#pragma once
// Erik Voeten's UN General Assembly roll calls (1946–2019), as packaged in the R package unvotes:
// un_votes.csv(.gz) `rcid,country,country_code,vote`, un_roll_calls.csv(.gz)
// `rcid,session,importantvote,date,unres,amend,para,short,descr`, un_roll_call_issues.csv
// `rcid,short_name,issue`. Absences are not rows: a member missing from a roll call did not vote.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "results/history.hpp"
#include "sim/date.hpp"

namespace multivector::results {

struct RollCall {
  std::int64_t rcid = 0;
  int session = 0;
  sim::Date date;
  bool important = false;
  std::string resolution;           // as Voeten writes it: R/68/274, A/RES/71/290
  bool amendment = false;           // a vote on an amendment, not on the text as a whole
  bool paragraph = false;           // a separate vote on one paragraph
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
  // Rows whose code is NA and whose name is no state of country_codes() (Voeten's two votes of
  // Zanzibar, a member for four months of 1963-64): left out and reported, by_name, with
  // describe_unknown_codes.
  std::vector<UnknownCountryCode> unknown_countries;
};

// Reads a file whole, decompressing it when it is gzip (plain files are read as they are).
// Missing or unreadable files are an InputError.
[[nodiscard]] std::string read_possibly_compressed(const std::string& path);

// Where the three files are in a folder: each as NAME.gz when that exists, else NAME. A folder
// that does not exist is an InputError that says how to name the right one.
struct VoetenPaths {
  std::string votes;       // un_votes.csv(.gz)
  std::string roll_calls;  // un_roll_calls.csv(.gz)
  std::string issues;      // un_roll_call_issues.csv(.gz)
};
[[nodiscard]] VoetenPaths voeten_paths(const std::string& directory);

// Loads the three files. Malformed rows and unknown country codes are InputErrors at FILE:LINE.
[[nodiscard]] VoetenData load_voeten(const std::string& votes_path,
                                     const std::string& roll_calls_path,
                                     const std::string& issues_path);
[[nodiscard]] VoetenData parse_voeten(const std::string& votes_text, const std::string& votes_label,
                                      const std::string& roll_calls_text,
                                      const std::string& roll_calls_label,
                                      const std::string& issues_text,
                                      const std::string& issues_label);

// Who was a member on a roll call, as far as Voeten's rows tell: a state with a row in that
// session, or in an earlier and in a later one (a member that sat a whole session out — in
// arrears under Article 19, or barred from taking part as South Africa was from 1974 to 1994 —
// still held its seat), except Syria and Indonesia on the dates their membership was interrupted
// (1958-61 in the United Arab Republic; 1965-66, withdrawn). A state with no row before, or none
// after, the session is not counted: it may not yet, or no longer, have been a member.
class VoetenMembership {
 public:
  explicit VoetenMembership(const VoetenData& voeten);
  [[nodiscard]] bool member(std::uint16_t country, const RollCall& roll_call) const;
  // The states that are members in some session, in the order of country_codes().
  [[nodiscard]] std::vector<std::uint16_t> states() const;

 private:
  // First and last session with a row, by index into country_codes(); {0, -1} for none.
  std::vector<std::pair<int, int>> sessions_of_country_;
};

// Voeten's symbol in the UN's spelling: R/68/274 → A/RES/68/274 (then as
// sim::canonical_resolution_symbol writes any symbol).
[[nodiscard]] std::string voeten_resolution_symbol(const std::string& voeten_symbol);

// The recorded votes on each of `symbols` (77/229, A/RES/68/274, or R/68/274 as Voeten writes it),
// read from the roll call on the text as a whole — not on an amendment or a paragraph — and
// written with the UN's symbol and the roll call's date, so that `--history` reads them beside the
// tidy and UN Digital Library files. Voeten writes no row for a member that did not vote: a
// member by VoetenMembership with no row on this roll call is written NV, and a state that is not
// one is left out. `source_label` names the files in messages. An
// InputError names a symbol with no such roll call (with the nearest recorded symbol when one is
// close) or with more than one (their rcids).
[[nodiscard]] std::vector<RecordedVote> voeten_resolution_votes(
    const VoetenData& voeten, const std::vector<std::string>& symbols,
    const std::string& source_label);

}  // namespace multivector::results
