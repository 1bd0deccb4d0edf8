#pragma once
// Recorded UN General Assembly votes: the ground truth that runs are compared against. The model
// never reads these; compare, calibrate and the printed tables do.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/date.hpp"
#include "sim/diagnostics.hpp"

namespace multivector::results {

struct RecordedVote {
  std::string resolution;  // UN symbol, e.g. A/RES/ES-11/1
  sim::Date date;
  std::string country;  // ISO 3166-1 alpha-3
  std::string vote;     // Y, N, A or NV
};

// A well-formed country code that is neither a 2022 UN member nor one of the historical states
// of results/country_codes.hpp. Its votes are kept (they simply join nothing) and reported.
// With `by_name`, `code` is the ms_name of Library rows that have no usable ms_code and a name
// find_country_by_name does not know: those votes cannot be joined and are left out, reported.
struct UnknownCountryCode {
  std::string code;
  sim::SourceLocation first_seen;
  int rows = 0;
  bool by_name = false;
};

// Library rows of one file without a usable ms_code whose country was read from ms_name.
struct CountriesByName {
  std::string file;
  int rows = 0;
};

// Votes of one --history file that an earlier file already gave, with the same value, or (with
// `within_file`, Library exports only) that the same file gives twice.
struct RepeatedVotes {
  std::string file;
  int votes = 0;
  bool within_file = false;
};

// Two different votes of one country on one resolution inside one Library export. Neither is
// used: choosing one would be a guess. (In the project's tidy format a second vote is an error.)
struct ConflictingVote {
  sim::SourceLocation where;  // the later row
  std::string resolution;
  std::string country;
  std::string vote;        // at `where`
  std::string first_vote;  // at first_line
  std::size_t first_line = 0;
};

// The date a resolution was first read with, and where: a text is voted on one day, so every
// other row naming it must give the same date (the persistence baseline orders votes by it).
struct ResolutionDate {
  sim::Date date;
  sim::SourceLocation where;  // FILE:LINE of the first row; no line for votes added in code
};

// A resolution a UN Digital Library export dates twice: none of its votes in that file is read.
struct MisdatedResolution {
  sim::SourceLocation where;  // the first row with another date
  std::string resolution;
  sim::Date date;        // that row's
  sim::Date first_date;  // the resolution's first row's
  std::size_t first_line = 0;
};

class VoteHistory {
 public:
  // Adds a vote read at `where`; the first vote on a resolution sets its date (the parsers and
  // merge check that later ones agree before adding them).
  void add(RecordedVote vote, const sim::SourceLocation& where = {});
  [[nodiscard]] const std::vector<RecordedVote>& votes() const { return votes_; }
  [[nodiscard]] const RecordedVote* find(const std::string& resolution,
                                         const std::string& country) const;
  [[nodiscard]] std::vector<std::string> resolutions() const;  // in date order
  [[nodiscard]] bool empty() const { return votes_.empty(); }

  // Counts a row whose country code is unknown, remembering where it was first seen.
  void note_unknown_code(const std::string& code, const sim::SourceLocation& where,
                         bool by_name = false);
  void note_countries_by_name(const std::string& file, int rows);
  [[nodiscard]] const std::vector<CountriesByName>& countries_by_name() const {
    return countries_by_name_;
  }
  [[nodiscard]] const std::vector<UnknownCountryCode>& unknown_codes() const {
    return unknown_codes_;
  }
  // Adds every vote of `other` (read from `label`). A vote an earlier file already gave with the
  // same value is read once and counted (repeated_votes); with a different value, or a
  // resolution dated differently from an earlier file, it is an InputError at `label`. Within
  // one file any second vote or date is an error (the parsers).
  void merge(const VoteHistory& other, const std::string& label);
  [[nodiscard]] const std::vector<RepeatedVotes>& repeated_votes() const { return repeated_; }
  void note_repeated_votes(RepeatedVotes repeated);
  // Records conflicts and removes every vote of their (resolution, country) pairs.
  void set_aside_conflicts(std::vector<ConflictingVote> conflicts);
  [[nodiscard]] const std::vector<ConflictingVote>& conflicts() const { return conflicts_; }
  // Records resolutions dated twice in one Library export and removes all their votes.
  void set_aside_misdated(std::vector<MisdatedResolution> misdated);
  [[nodiscard]] const std::vector<MisdatedResolution>& misdated() const { return misdated_; }
  [[nodiscard]] const std::map<std::string, ResolutionDate>& resolution_dates() const {
    return resolution_dates_;
  }

 private:
  // Drops the votes `remove` picks (set aside as conflicting or misdated) and reindexes the rest.
  void remove_votes_if(const std::function<bool(const RecordedVote&)>& remove);

  std::vector<RecordedVote> votes_;
  std::vector<MisdatedResolution> misdated_;
  // Kept when set_aside_conflicts removes a resolution's votes: the file still dated it.
  std::map<std::string, ResolutionDate> resolution_dates_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
  std::vector<UnknownCountryCode> unknown_codes_;
  std::vector<RepeatedVotes> repeated_;
  std::vector<CountriesByName> countries_by_name_;
  std::vector<ConflictingVote> conflicts_;
};

// The tidy `resolution,date,iso3,vote` CSV (other columns such as title or country are allowed).
// A malformed row is an InputError at FILE:LINE, never skipped.
[[nodiscard]] VoteHistory parse_tidy_votes(std::string_view text, const std::string& label);
[[nodiscard]] VoteHistory load_tidy_votes(const std::string& path);

// The UN Digital Library's General Assembly voting data CSV: one row per member state and
// resolution, with at least the columns `ms_code` (ISO alpha-3), `ms_vote`, `date` and
// `resolution` (others — undl_id, ms_name, title, session, totals, links — are ignored).
// `ms_vote` is Y, N or A; non-participation is written NV, X or left blank (the Library documents
// a blank as "non-participating"), and all three are read as NV. Dates are YYYY-MM-DD, optionally
// followed by a time, which is ignored.
[[nodiscard]] VoteHistory parse_undl_votes(std::string_view text, const std::string& label);
[[nodiscard]] VoteHistory load_undl_votes(const std::string& path);

enum class HistoryFormat { Tidy, UnDigitalLibrary, VoetenVotes, Unknown };

// Recognises a history file by the column names of its header.
[[nodiscard]] HistoryFormat detect_history_format(const std::vector<std::string>& header);

// Any supported history file, recognised from its header; what --history accepts.
[[nodiscard]] VoteHistory parse_history(std::string_view text, const std::string& label);
[[nodiscard]] VoteHistory load_history(const std::string& path);
// Several files merged into one history (repeated --history).
[[nodiscard]] VoteHistory load_histories(const std::vector<std::string>& paths);

// Adds `unknown.rows` to the entry for the same code (or name) in `unknowns`, else appends it.
void count_unknown_code(std::vector<UnknownCountryCode>& unknowns,
                        const UnknownCountryCode& unknown);

// "UNKNOWN_CODE (N rows, first at FILE:LINE)" lines for a log, one per unknown code (Voeten's
// loader keeps the same records).
[[nodiscard]] std::vector<std::string> describe_unknown_codes(
    const std::vector<UnknownCountryCode>& unknowns);
[[nodiscard]] std::vector<std::string> describe_unknown_codes(const VoteHistory& history);
// "FILE: N votes repeat an earlier --history file ..." lines, one per file with repeats.
[[nodiscard]] std::vector<std::string> describe_repeated_votes(const VoteHistory& history);
// "FILE:LINE:1: KAZ on SYMBOL has different votes in this file (line 4: Y, line 9: N) ..." lines
// for a log, one per country and resolution, at most `limit` of them and then one that counts
// the rest.
[[nodiscard]] std::vector<std::string> describe_conflicts(const VoteHistory& history,
                                                          std::size_t limit = 10);
// "FILE:LINE:1: SYMBOL is dated D here but D0 at line L; ... none of its votes in this file is
// read" lines, one per resolution a Library export dates twice.
[[nodiscard]] std::vector<std::string> describe_misdated(const VoteHistory& history);
// "FILE: N rows have no usable ms_code (...); the country was read from ms_name" lines, one per
// file (a blank code, or one such as `kaz` or `?` that is not an upper-case alpha-3 code).
[[nodiscard]] std::vector<std::string> describe_countries_by_name(const VoteHistory& history);
// One line for each of `wanted` (resolution symbols a command was asked to score) that no
// recorded vote names, with the history's closest other symbol when it looks like the same
// text spelled differently: "A/RES/77/299: no recorded vote in the --history files (did you
// mean 'A/RES/77/229'?)". Only recorded symbols outside `in_use` (the texts the command already
// knows by those names, e.g. its whole agenda) are suggested: a symbol that is in use names a
// different text, however close its spelling. Empty when every one is recorded.
[[nodiscard]] std::vector<std::string> describe_unrecorded_resolutions(
    const VoteHistory& history, const std::vector<std::string>& wanted,
    const std::vector<std::string>& in_use);

}  // namespace multivector::results
