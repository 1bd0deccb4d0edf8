#include "results/history.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "results/country_codes.hpp"
#include "results/csv.hpp"
#include "sim/input_files.hpp"
#include "sim/resolution_symbol.hpp"
#include "sim/source_tree.hpp"

namespace multivector::results {

void VoteHistory::add(RecordedVote vote, const sim::SourceLocation& where) {
  resolution_dates_.emplace(vote.resolution, ResolutionDate{vote.date, where});
  index_[{vote.resolution, vote.country}] = votes_.size();
  votes_.push_back(std::move(vote));
}

void VoteHistory::note_repeated_votes(RepeatedVotes repeated) {
  if (repeated.votes > 0) {
    repeated_.push_back(std::move(repeated));
  }
}

void VoteHistory::remove_votes_if(const std::function<bool(const RecordedVote&)>& remove) {
  std::erase_if(votes_, remove);
  // Positions moved: the index is rebuilt from what is left.
  index_.clear();
  for (std::size_t position = 0; position < votes_.size(); ++position) {
    index_[{votes_[position].resolution, votes_[position].country}] = position;
  }
}

void VoteHistory::set_aside_conflicts(std::vector<ConflictingVote> conflicts) {
  if (conflicts.empty()) {
    return;
  }
  std::set<std::pair<std::string, std::string>> removed;
  for (const auto& conflict : conflicts) {
    removed.emplace(conflict.resolution, conflict.country);
  }
  remove_votes_if([&removed](const RecordedVote& vote) {
    return removed.contains({vote.resolution, vote.country});
  });
  conflicts_.insert(conflicts_.end(), std::make_move_iterator(conflicts.begin()),
                    std::make_move_iterator(conflicts.end()));
}

void VoteHistory::set_aside_misdated(std::vector<MisdatedResolution> misdated) {
  if (misdated.empty()) {
    return;
  }
  std::set<std::string> removed;
  for (const auto& resolution : misdated) {
    removed.insert(resolution.resolution);
  }
  remove_votes_if(
      [&removed](const RecordedVote& vote) { return removed.contains(vote.resolution); });
  for (const auto& resolution : removed) {
    resolution_dates_.erase(resolution);
  }
  misdated_.insert(misdated_.end(), std::make_move_iterator(misdated.begin()),
                   std::make_move_iterator(misdated.end()));
}

const RecordedVote* VoteHistory::find(const std::string& resolution,
                                      const std::string& country) const {
  const auto found = index_.find({resolution, country});
  return found == index_.end() ? nullptr : &votes_[found->second];
}

std::vector<std::string> VoteHistory::resolutions() const {
  // Each resolution once, at its earliest date (a full Library export has some 6,000 of them
  // over close to a million votes).
  std::map<std::string, sim::Date> first_date;
  for (const auto& vote : votes_) {
    const auto [found, inserted] = first_date.emplace(vote.resolution, vote.date);
    if (!inserted && vote.date < found->second) {
      found->second = vote.date;
    }
  }
  std::vector<std::pair<sim::Date, std::string>> dated;
  dated.reserve(first_date.size());
  for (const auto& [name, date] : first_date) {
    dated.emplace_back(date, name);
  }
  std::sort(dated.begin(), dated.end());
  std::vector<std::string> names;
  names.reserve(dated.size());
  for (auto& entry : dated) {
    names.push_back(std::move(entry.second));
  }
  return names;
}

void VoteHistory::note_unknown_code(const std::string& code, const sim::SourceLocation& where,
                                    bool by_name) {
  count_unknown_code(unknown_codes_, UnknownCountryCode{code, where, 1, by_name});
}

void count_unknown_code(std::vector<UnknownCountryCode>& unknowns,
                        const UnknownCountryCode& unknown) {
  const auto found =
      std::find_if(unknowns.begin(), unknowns.end(), [&](const UnknownCountryCode& mine) {
        return mine.code == unknown.code && mine.by_name == unknown.by_name;
      });
  if (found == unknowns.end()) {
    unknowns.push_back(unknown);
  } else {
    found->rows += unknown.rows;
  }
}

void VoteHistory::note_countries_by_name(const std::string& file, int rows) {
  if (rows > 0) {
    countries_by_name_.push_back(CountriesByName{file, rows});
  }
}

void VoteHistory::merge(const VoteHistory& other, const std::string& label) {
  // The same vote in two files (this repository's table and a Library export that also covers
  // these resolutions) is one fact read twice; two different votes are a conflict to settle.
  sim::Diagnostics diagnostics;
  // A resolution dated differently in two files would be ordered by whichever vote the
  // persistence baseline meets first, so a later vote could count as an earlier one; and a vote
  // repeated "with the same value" would not be the same fact. Neither file can be preferred.
  std::set<std::string> misdated;
  for (const auto& [resolution, dated] : other.resolution_dates()) {
    const auto earlier = resolution_dates_.find(resolution);
    if (earlier == resolution_dates_.end() || earlier->second.date == dated.date) {
      continue;
    }
    misdated.insert(resolution);
    diagnostics.error(dated.where.file.empty() ? sim::SourceLocation{label, 0, 0} : dated.where,
                      resolution + " is dated " + sim::format_date(dated.date) + " here but " +
                          sim::format_date(earlier->second.date) + " at " +
                          earlier->second.where.to_string() +
                          " in an earlier --history file; a resolution is voted on one day, so "
                          "correct the date in one of the files");
  }
  int repeated = 0;
  std::vector<const RecordedVote*> new_votes;  // added only once every vote has been checked
  for (const auto& vote : other.votes()) {
    if (misdated.contains(vote.resolution)) {
      continue;  // reported once above, not once per vote
    }
    const RecordedVote* earlier = find(vote.resolution, vote.country);
    if (earlier == nullptr) {
      new_votes.push_back(&vote);
      continue;
    }
    if (earlier->vote == vote.vote) {
      ++repeated;
      continue;
    }
    diagnostics.error(sim::SourceLocation{label, 0, 0},
                      vote.country + " on " + vote.resolution + " is " + vote.vote + " here but " +
                          earlier->vote +
                          " in an earlier --history file; remove the resolution from one of them");
  }
  diagnostics.throw_if_any();
  for (const RecordedVote* vote : new_votes) {
    add(*vote, other.resolution_dates().at(vote->resolution).where);
  }
  note_repeated_votes(RepeatedVotes{label, repeated, false});
  countries_by_name_.insert(countries_by_name_.end(), other.countries_by_name().begin(),
                            other.countries_by_name().end());
  conflicts_.insert(conflicts_.end(), other.conflicts().begin(), other.conflicts().end());
  misdated_.insert(misdated_.end(), other.misdated().begin(), other.misdated().end());
  repeated_.insert(repeated_.end(), other.repeated_votes().begin(), other.repeated_votes().end());
  for (const auto& unknown : other.unknown_codes()) {
    count_unknown_code(unknown_codes_, unknown);
  }
}

namespace {

sim::SourceLocation at(const std::string& label, std::size_t line) {
  return sim::SourceLocation{label, static_cast<int>(line), 1};
}

// Binary or mis-encoded files are refused before their bytes can reach a message.
void check_text(std::string_view text, const std::string& label) {
  const auto line_of = [&](std::size_t offset) {
    return static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n')) + 1;
  };
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    throw sim::InputError(at(label, line_of(nul)),
                          "file contains a NUL byte; is it a binary file rather than CSV?");
  }
  std::size_t bad_offset = 0;
  if (!sim::is_valid_utf8(text, bad_offset)) {
    throw sim::InputError(at(label, line_of(bad_offset)), "invalid UTF-8; save the file as UTF-8");
  }
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// How one vote table names its columns and writes its votes and dates.
struct TableFormat {
  std::string_view resolution_column;
  std::string_view date_column;
  std::string_view country_column;
  std::string_view vote_column;
  std::string_view expected_votes;  // for messages
  std::optional<std::string> (*read_vote)(std::string_view field);
  std::optional<sim::Date> (*read_date)(std::string_view field);
  bool trim_fields = false;
  // A column naming the country, read where the code column is blank or not a code (the
  // Library's rows for a few members lack ms_code); empty for formats without one.
  std::string_view country_name_column;
  // A bulk export we do not control (the Library's): a vote given twice with one value is read
  // once, two values set both aside, both reported. Otherwise a second vote is an error.
  bool tolerate_repeats = false;
};

std::optional<std::string> read_tidy_vote(std::string_view field) {
  if (field == "Y" || field == "N" || field == "A" || field == "NV") {
    return std::string(field);
  }
  return std::nullopt;
}

std::optional<std::string> read_undl_vote(std::string_view field) {
  if (field == "Y" || field == "N" || field == "A" || field == "NV") {
    return std::string(field);
  }
  // The Library writes non-participation as a blank; some exports use X.
  if (field.empty() || field == "X") {
    return std::string("NV");
  }
  return std::nullopt;
}

std::optional<sim::Date> read_plain_date(std::string_view field) {
  return sim::parse_date(field);
}

// "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff", then nothing, "Z" or an offset "+HH:MM" / "-HHMM": the
// time of day the Library's exports append. Anything else means the field is not what it seems.
bool is_time_of_day(std::string_view time) {
  const auto two_digits = [&time](std::size_t at, int largest) {
    if (time.size() < at + 2 || !std::isdigit(static_cast<unsigned char>(time[at])) ||
        !std::isdigit(static_cast<unsigned char>(time[at + 1]))) {
      return false;
    }
    return (time[at] - '0') * 10 + (time[at + 1] - '0') <= largest;
  };
  if (!two_digits(0, 23) || time.size() < 5 || time[2] != ':' || !two_digits(3, 59)) {
    return false;
  }
  std::size_t at = 5;
  if (at < time.size() && time[at] == ':') {
    if (!two_digits(at + 1, 60)) {
      return false;
    }
    at += 3;
    if (at < time.size() && time[at] == '.') {
      ++at;
      const std::size_t digits_start = at;
      while (at < time.size() && std::isdigit(static_cast<unsigned char>(time[at]))) {
        ++at;
      }
      if (at == digits_start) {
        return false;
      }
    }
  }
  const std::string_view zone = time.substr(at);
  if (zone.empty() || zone == "Z") {
    return true;
  }
  if (zone[0] != '+' && zone[0] != '-') {
    return false;
  }
  time = zone.substr(1);
  return (time.size() == 5 && two_digits(0, 23) && time[2] == ':' && two_digits(3, 59)) ||
         (time.size() == 4 && two_digits(0, 23) && two_digits(2, 59));
}

std::optional<sim::Date> read_date_with_time(std::string_view field) {
  if (field.size() > 10 && (field[10] == 'T' || field[10] == ' ')) {
    if (!is_time_of_day(field.substr(11))) {
      return std::nullopt;
    }
    field = field.substr(0, 10);
  }
  return sim::parse_date(field);
}

bool is_alpha3(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The header record alone, read without parsing the rest of the file (which can be the Library's
// whole 1946– export, hundreds of megabytes).
std::vector<std::string> read_header(std::string_view text, const std::string& label) {
  check_text(text, label);
  std::vector<std::string> header;
  bool found = false;
  std::string error;
  std::size_t error_line = 0;
  const bool complete = for_each_csv_record(
      text,
      [&](const std::vector<std::string>& fields, std::size_t /*line*/) {
        header = fields;
        found = true;
        return false;  // stop after the first record
      },
      error, error_line);
  if (!complete && !found) {
    throw sim::InputError(at(label, error_line), error);
  }
  if (!found) {
    throw sim::InputError(at(label, 1), "empty file; expected a header line");
  }
  return header;
}

// Streams the rows (no whole-file record table is kept: the Library's full export has close to
// a million rows of twenty columns, of which four are read).
VoteHistory parse_vote_table(std::string_view text, const std::string& label,
                             const std::vector<std::string>& header, const TableFormat& format) {
  // A column read twice would leave which of the two holds the votes to chance: refused.
  const auto column = [&](std::string_view name) -> std::ptrdiff_t {
    const auto named = [&](const std::string& field) { return trim(field) == name; };
    const auto found = std::find_if(header.begin(), header.end(), named);
    if (found == header.end()) {
      return -1;
    }
    const auto again = std::find_if(std::next(found), header.end(), named);
    if (again != header.end()) {
      throw sim::InputError(
          at(label, 1), "the header names the column " + std::string(name) + " twice (columns " +
                            std::to_string(found - header.begin() + 1) + " and " +
                            std::to_string(again - header.begin() + 1) + "); rename or remove one");
    }
    return found - header.begin();
  };
  const std::ptrdiff_t resolution_column = column(format.resolution_column);
  const std::ptrdiff_t date_column = column(format.date_column);
  const std::ptrdiff_t country_column = column(format.country_column);
  const std::ptrdiff_t vote_column = column(format.vote_column);
  const std::ptrdiff_t name_column =
      format.country_name_column.empty() ? -1 : column(format.country_name_column);
  int countries_by_name = 0;
  int repeated_within = 0;
  std::vector<ConflictingVote> conflicts;
  if (resolution_column < 0 || date_column < 0 || country_column < 0 || vote_column < 0) {
    throw sim::InputError(at(label, 1), "header must name the columns " +
                                            std::string(format.resolution_column) + ", " +
                                            std::string(format.date_column) + ", " +
                                            std::string(format.country_column) + " and " +
                                            std::string(format.vote_column));
  }
  VoteHistory history;
  std::vector<std::size_t> line_of_vote;  // parallel to history.votes(), for the duplicate message
  // Each resolution's date and the line that gave it first (the tidy format's rows must agree).
  std::map<std::string, std::pair<sim::Date, std::size_t>> resolution_dates;
  std::vector<MisdatedResolution> misdated;
  sim::Diagnostics diagnostics;
  bool header_seen = false;
  const auto visit = [&](const std::vector<std::string>& fields, std::size_t line) {
    if (!header_seen) {
      header_seen = true;
      return true;
    }
    if (fields.size() == 1 && fields.front().empty()) {
      return true;  // a blank line
    }
    const sim::SourceLocation where = at(label, line);
    if (fields.size() != header.size()) {
      diagnostics.error(where, "expected " + std::to_string(header.size()) + " fields, found " +
                                   std::to_string(fields.size()));
      return true;
    }
    const auto field_at = [&](std::ptrdiff_t index) -> std::string_view {
      const std::string& field = fields[static_cast<size_t>(index)];
      return format.trim_fields ? trim(field) : std::string_view(field);
    };
    RecordedVote vote;
    vote.resolution = sim::canonical_resolution_symbol(field_at(resolution_column));
    vote.country = std::string(field_at(country_column));
    const std::string_view vote_text = field_at(vote_column);
    const std::string_view date_text = field_at(date_column);
    if (vote.resolution.empty()) {
      diagnostics.error(where, "empty resolution");
      return true;
    }
    const auto date = format.read_date(date_text);
    if (!date) {
      diagnostics.error(where, "date '" + std::string(date_text) + "' is not a date as YYYY-MM-DD" +
                                   (format.read_date == &read_date_with_time
                                        ? " (optionally followed by T or a space and HH:MM:SS)"
                                        : ""));
      return true;
    }
    vote.date = *date;
    // A text is voted on one day: either of two dates would silently move it in the persistence
    // baseline's order, making a later vote count as an earlier one, and no row can be
    // preferred. In the project's own format that is a slip to correct. In a Library export it
    // is set aside with a warning, as the export's conflicting votes are: the whole 1946- export
    // must stay usable as it is, whatever one of its thousands of texts holds.
    {
      const auto [dated, inserted] =
          resolution_dates.emplace(vote.resolution, std::make_pair(vote.date, line));
      if (!inserted && dated->second.first != vote.date) {
        if (!format.tolerate_repeats) {
          diagnostics.error(where, vote.resolution + " is dated " + sim::format_date(vote.date) +
                                       " here but " + sim::format_date(dated->second.first) +
                                       " at line " + std::to_string(dated->second.second) +
                                       "; a resolution is voted on one day");
        } else if (std::none_of(misdated.begin(), misdated.end(),
                                [&vote](const MisdatedResolution& known) {
                                  return known.resolution == vote.resolution;
                                })) {
          misdated.push_back(MisdatedResolution{where, vote.resolution, vote.date,
                                                dated->second.first, dated->second.second});
        }
        return true;
      }
    }
    if (!is_alpha3(vote.country)) {
      const std::string_view name = name_column >= 0 ? field_at(name_column) : std::string_view();
      if (name.empty()) {
        diagnostics.error(where, "country code '" + vote.country +
                                     "' is not an ISO 3166-1 alpha-3 code" +
                                     (name_column >= 0 ? " and the row has no country name" : ""));
        return true;
      }
      const CountryCode* named = find_country_by_name(name);
      if (named == nullptr) {
        // Folded, so that one name written two ways is one unknown country.
        history.note_unknown_code(folded_country_name(name), where, true);
        return true;
      }
      vote.country = std::string(named->alpha3);
      ++countries_by_name;
    }
    const auto canonical_vote = format.read_vote(vote_text);
    if (!canonical_vote) {
      // Voeten's codes (1 yes, 2 abstain, 3 no, 8 absent, 9 not a member) are what
      // `export-votes` writes by default; say how to get a file this loader reads.
      const bool voeten_code = vote_text == "1" || vote_text == "2" || vote_text == "3" ||
                               vote_text == "8" || vote_text == "9";
      diagnostics.error(where, "vote '" + std::string(vote_text) + "' is not one of " +
                                   std::string(format.expected_votes) +
                                   (voeten_code ? " (a Voeten code? `multivector export-votes "
                                                  "--codes letters` writes Y, N, A, NV)"
                                                : ""));
      return true;
    }
    vote.vote = *canonical_vote;
    if (const RecordedVote* first = history.find(vote.resolution, vote.country); first != nullptr) {
      const auto first_index = static_cast<std::size_t>(first - history.votes().data());
      const std::size_t first_line = line_of_vote[first_index];
      if (!format.tolerate_repeats) {
        diagnostics.error(where, "a second vote of " + vote.country + " on " + vote.resolution +
                                     " (" + vote.vote + "; the first, " + first->vote +
                                     ", is at line " + std::to_string(first_line) + ")");
        return true;
      }
      const bool already_conflicting =
          std::any_of(conflicts.begin(), conflicts.end(), [&](const ConflictingVote& conflict) {
            return conflict.resolution == vote.resolution && conflict.country == vote.country;
          });
      if (first->vote == vote.vote && !already_conflicting) {
        ++repeated_within;
        return true;
      }
      conflicts.push_back(ConflictingVote{where, vote.resolution, vote.country, vote.vote,
                                          first->vote, first_line});
      return true;
    }
    if (find_country_code(vote.country) == nullptr) {
      history.note_unknown_code(vote.country, where);
    }
    history.add(std::move(vote), at(label, line));
    line_of_vote.push_back(line);
    return true;
  };
  std::string error;
  std::size_t error_line = 0;
  if (!for_each_csv_record(text, visit, error, error_line)) {
    diagnostics.error(at(label, error_line), error);
  }
  diagnostics.throw_if_any();
  history.note_countries_by_name(label, countries_by_name);
  history.note_repeated_votes(RepeatedVotes{label, repeated_within, true});
  history.set_aside_conflicts(std::move(conflicts));
  history.set_aside_misdated(std::move(misdated));
  return history;
}

// The project's own format has no name column: a row without a code is malformed.
constexpr TableFormat kTidyFormat{"resolution",    "date",           "iso3", "vote", "Y, N, A, NV",
                                  &read_tidy_vote, &read_plain_date, false,  "",     false};
constexpr TableFormat kUndlFormat{"resolution",
                                  "date",
                                  "ms_code",
                                  "ms_vote",
                                  "Y, N, A, NV, X or blank (not voting)",
                                  &read_undl_vote,
                                  &read_date_with_time,
                                  true,
                                  "ms_name",
                                  true};

sim::InputFile read_history_file(const std::string& path) {
  return sim::read_input_file(path, std::size_t{512} * 1024 * 1024,
                              sim::SourceLocation{path, 0, 0});
}

}  // namespace

VoteHistory parse_tidy_votes(std::string_view text, const std::string& label) {
  return parse_vote_table(text, label, read_header(text, label), kTidyFormat);
}

VoteHistory load_tidy_votes(const std::string& path) {
  const sim::InputFile file = read_history_file(path);
  return parse_tidy_votes(file.content, file.label);
}

VoteHistory parse_undl_votes(std::string_view text, const std::string& label) {
  return parse_vote_table(text, label, read_header(text, label), kUndlFormat);
}

VoteHistory load_undl_votes(const std::string& path) {
  const sim::InputFile file = read_history_file(path);
  return parse_undl_votes(file.content, file.label);
}

HistoryFormat detect_history_format(const std::vector<std::string>& header) {
  const auto has = [&](std::string_view name) {
    return std::any_of(header.begin(), header.end(),
                       [&](const std::string& field) { return trim(field) == name; });
  };
  if (has("ms_code") && has("ms_vote")) {
    return HistoryFormat::UnDigitalLibrary;
  }
  if (has("iso3") && has("vote") && has("resolution")) {
    return HistoryFormat::Tidy;
  }
  if (has("rcid") && has("country_code") && has("vote")) {
    return HistoryFormat::VoetenVotes;
  }
  return HistoryFormat::Unknown;
}

VoteHistory parse_history(std::string_view text, const std::string& label) {
  const std::vector<std::string> header = read_header(text, label);
  switch (detect_history_format(header)) {
    case HistoryFormat::Tidy:
      return parse_vote_table(text, label, header, kTidyFormat);
    case HistoryFormat::UnDigitalLibrary:
      return parse_vote_table(text, label, header, kUndlFormat);
    case HistoryFormat::VoetenVotes:
      throw sim::InputError(
          at(label, 1),
          "this is Voeten's un_votes table (rcid,country_code,vote): it has no resolution symbols "
          "or dates of its own, so it cannot be read without its roll calls; use the tidy "
          "resolution,date,iso3,vote CSV or the UN Digital Library CSV here");
    case HistoryFormat::Unknown:
      break;
  }
  throw sim::InputError(
      at(label, 1),
      "unrecognised header: expected the tidy CSV (resolution,date,iso3,vote) or the UN Digital "
      "Library voting data CSV (undl_id,ms_code,ms_name,ms_vote,date,resolution,...)");
}

VoteHistory load_history(const std::string& path) {
  const sim::InputFile file = read_history_file(path);
  return parse_history(file.content, file.label);
}

VoteHistory load_histories(const std::vector<std::string>& paths) {
  VoteHistory merged;
  for (const auto& path : paths) {
    merged.merge(load_history(path), path);
  }
  return merged;
}

std::vector<std::string> describe_unknown_codes(const VoteHistory& history) {
  return describe_unknown_codes(history.unknown_codes());
}

std::vector<std::string> describe_unknown_codes(const std::vector<UnknownCountryCode>& unknowns) {
  std::vector<std::string> lines;
  for (const auto& unknown : unknowns) {
    const std::string rows = std::to_string(unknown.rows) + (unknown.rows == 1 ? " row" : " rows") +
                             ", first at " + unknown.first_seen.to_string();
    if (unknown.by_name) {
      lines.push_back("unknown country '" + unknown.code + "' without a country code (" + rows +
                      "); its votes are left out, as they cannot be joined");
    } else {
      lines.push_back("unknown country code '" + unknown.code + "' (" + rows + ")");
    }
  }
  return lines;
}

std::vector<std::string> describe_unrecorded_resolutions(const VoteHistory& history,
                                                         const std::vector<std::string>& wanted,
                                                         const std::vector<std::string>& in_use) {
  std::vector<std::string> lines;
  if (wanted.empty()) {
    return lines;  // spares a scan of every recorded vote (a million in a Library export)
  }
  const std::vector<std::string> recorded = history.resolutions();
  const std::set<std::string> recorded_set(recorded.begin(), recorded.end());
  const std::set<std::string> in_use_set(in_use.begin(), in_use.end());
  std::vector<std::string> unused;
  std::copy_if(recorded.begin(), recorded.end(), std::back_inserter(unused),
               [&](const std::string& symbol) { return !in_use_set.contains(symbol); });
  std::set<std::string> described;
  for (const auto& resolution : wanted) {
    if (resolution.empty() || recorded_set.contains(resolution) ||
        !described.insert(resolution).second) {
      continue;
    }
    lines.push_back(resolution + ": no recorded vote in the --history files" +
                    sim::suggestion(resolution, unused));
  }
  return lines;
}

std::vector<std::string> describe_conflicts(const VoteHistory& history, std::size_t limit) {
  // One line per country and resolution, however many rows disagree: a third row that repeats
  // the first value is still part of the same disagreement, not a new one.
  struct Disagreement {
    const ConflictingVote* first = nullptr;
    std::string values;  // "line 4: A, line 5: N, line 6: A"
  };
  std::vector<Disagreement> disagreements;
  for (const ConflictingVote& conflict : history.conflicts()) {
    auto found = std::find_if(disagreements.begin(), disagreements.end(),
                              [&](const Disagreement& disagreement) {
                                return disagreement.first->where.file == conflict.where.file &&
                                       disagreement.first->resolution == conflict.resolution &&
                                       disagreement.first->country == conflict.country;
                              });
    if (found == disagreements.end()) {
      disagreements.push_back(Disagreement{
          &conflict, "line " + std::to_string(conflict.first_line) + ": " + conflict.first_vote});
      found = std::prev(disagreements.end());
    }
    found->values += ", line " + std::to_string(conflict.where.line) + ": " + conflict.vote;
  }
  std::vector<std::string> lines;
  for (std::size_t index = 0; index < disagreements.size() && index < limit; ++index) {
    const ConflictingVote& first = *disagreements[index].first;
    lines.push_back(first.where.to_string() + ": " + first.country + " on " + first.resolution +
                    " has different votes in this file (" + disagreements[index].values +
                    "); none of them is read");
  }
  if (disagreements.size() > limit) {
    lines.push_back("... and " + std::to_string(disagreements.size() - limit) +
                    " more countries with different votes on one resolution, none of them read");
  }
  return lines;
}

std::vector<std::string> describe_misdated(const VoteHistory& history) {
  std::vector<std::string> lines;
  for (const MisdatedResolution& misdated : history.misdated()) {
    lines.push_back(
        misdated.where.to_string() + ": " + misdated.resolution + " is dated " +
        sim::format_date(misdated.date) + " here but " + sim::format_date(misdated.first_date) +
        " at line " + std::to_string(misdated.first_line) +
        "; a resolution is voted on one day, so none of its votes in this file is read");
  }
  return lines;
}

std::vector<std::string> describe_countries_by_name(const VoteHistory& history) {
  std::vector<std::string> lines;
  for (const auto& named : history.countries_by_name()) {
    lines.push_back(named.file + ": " + std::to_string(named.rows) +
                    (named.rows == 1 ? " row has" : " rows have") +
                    " no usable ms_code (blank, or not an upper-case ISO 3166-1 alpha-3 code such "
                    "as KAZ); the country was read from ms_name");
  }
  return lines;
}

std::vector<std::string> describe_repeated_votes(const VoteHistory& history) {
  std::vector<std::string> lines;
  for (const auto& repeated : history.repeated_votes()) {
    if (repeated.within_file) {
      lines.push_back(repeated.file + ": " + std::to_string(repeated.votes) +
                      (repeated.votes == 1 ? " vote appears" : " votes appear") +
                      " twice in the file with the same value; read once");
    } else {
      lines.push_back(repeated.file + ": " + std::to_string(repeated.votes) +
                      (repeated.votes == 1 ? " vote repeats" : " votes repeat") +
                      " an earlier --history file with the same value; read once");
    }
  }
  return lines;
}

}  // namespace multivector::results
