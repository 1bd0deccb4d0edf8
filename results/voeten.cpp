#include "results/voeten.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <set>
#include <string_view>
#include <utility>

#include "results/country_codes.hpp"
#include "results/csv.hpp"
#include "sim/diagnostics.hpp"
#include "sim/resolution_symbol.hpp"

namespace multivector::results {

const RollCall* VoetenData::find(std::int64_t rcid) const {
  const auto found = roll_call_index.find(rcid);
  return found == roll_call_index.end() ? nullptr : &roll_calls[found->second];
}

std::string read_possibly_compressed(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw sim::InputError(sim::SourceLocation{path, 0, 0},
                          "cannot open '" + path + "': " + std::strerror(errno));
  }
  std::string content;
  char buffer[1 << 16];
  for (;;) {
    const int read = gzread(file, buffer, sizeof buffer);
    if (read < 0) {
      int code = 0;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      throw sim::InputError(sim::SourceLocation{path, 0, 0},
                            "cannot read '" + path + "': " + message);
    }
    if (read == 0) {
      break;
    }
    content.append(buffer, static_cast<std::size_t>(read));
  }
  // A gzip file cut short reads as a shorter file (gzread returns 0 where it ends, and a cut on
  // a line break leaves only whole rows): zlib reports it at the end of reading and on closing.
  int code = Z_OK;
  const std::string message = gzerror(file, &code);
  if (gzclose(file) == Z_BUF_ERROR || (code != Z_OK && code != Z_STREAM_END)) {
    throw sim::InputError(sim::SourceLocation{path, 0, 0},
                          "cannot read '" + path + "': the compressed file ends before its data " +
                              "does (" + (code != Z_OK ? message : "unexpected end of file") +
                              "); it was cut short, so download or copy it again");
  }
  return content;
}

namespace {

sim::SourceLocation at(const std::string& label, std::size_t line) {
  return sim::SourceLocation{label, static_cast<int>(line), 1};
}

template <typename Integer>
bool parse_integer(const std::string& text, Integer& value) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc{} && result.ptr == text.data() + text.size();
}

constexpr std::size_t kAbsentColumn = static_cast<std::size_t>(-1);

// Checks the header and returns the position of each wanted column. A name written with a leading
// '?' is optional: its position is kAbsentColumn when the header lacks it.
std::vector<std::size_t> header_columns(const std::vector<std::string>& header,
                                        const std::vector<std::string>& wanted,
                                        const std::string& label) {
  std::vector<std::size_t> columns;
  for (const auto& wanted_name : wanted) {
    const bool optional = wanted_name.starts_with('?');
    const std::string name = optional ? wanted_name.substr(1) : wanted_name;
    const auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end() && optional) {
      columns.push_back(kAbsentColumn);
      continue;
    }
    if (found == header.end()) {
      throw sim::InputError(at(label, 1), "missing column '" + name + "' in the header");
    }
    columns.push_back(static_cast<std::size_t>(found - header.begin()));
  }
  return columns;
}

// Runs `visit` over the data rows, turning a header problem, a short row or a visitor's complaint
// into an InputError at the row's line.
void for_each_row(
    const std::string& text, const std::string& label, const std::vector<std::string>& wanted,
    const std::function<std::string(const std::vector<std::string>&,
                                    const std::vector<std::size_t>&, std::size_t)>& visit) {
  std::vector<std::size_t> columns;
  std::size_t width = 0;
  bool header = true;
  std::string error;
  std::size_t error_line = 0;
  const bool complete = for_each_csv_record(
      text,
      [&](const std::vector<std::string>& fields, std::size_t line) {
        if (header) {
          columns = header_columns(fields, wanted, label);
          width = fields.size();
          header = false;
          return true;
        }
        if (fields.size() == 1 && fields.front().empty()) {
          return true;  // blank line
        }
        if (fields.size() != width) {
          error = "expected " + std::to_string(width) + " fields, found " +
                  std::to_string(fields.size());
          return false;
        }
        error = visit(fields, columns, line);
        return error.empty();
      },
      error, error_line);
  if (!complete) {
    throw sim::InputError(at(label, error_line), error);
  }
  if (header) {
    throw sim::InputError(at(label, 1), "empty file; expected a header");
  }
}

}  // namespace

VoetenData parse_voeten(const std::string& votes_text, const std::string& votes_label,
                        const std::string& roll_calls_text, const std::string& roll_calls_label,
                        const std::string& issues_text, const std::string& issues_label) {
  VoetenData data;
  for_each_row(roll_calls_text, roll_calls_label,
               {"rcid", "session", "importantvote", "date", "unres", "?amend", "?para"},
               [&](const std::vector<std::string>& fields, const std::vector<std::size_t>& at_,
                   std::size_t /*line*/) {
                 RollCall roll_call;
                 int important = 0;
                 if (!parse_integer(fields[at_[0]], roll_call.rcid)) {
                   return "rcid '" + fields[at_[0]] + "' is not a whole number";
                 }
                 if (!parse_integer(fields[at_[1]], roll_call.session)) {
                   return "session '" + fields[at_[1]] + "' is not a whole number";
                 }
                 // Voeten marks roll calls never classified as "NA": not important.
                 if (fields[at_[2]] != "NA" && (!parse_integer(fields[at_[2]], important) ||
                                                important < 0 || important > 1)) {
                   return "importantvote '" + fields[at_[2]] + "' is not 0, 1 or NA";
                 }
                 roll_call.important = important == 1;
                 const auto date = sim::parse_date(fields[at_[3]]);
                 if (!date) {
                   return "date '" + fields[at_[3]] + "' is not a date as YYYY-MM-DD";
                 }
                 roll_call.date = *date;
                 roll_call.resolution = fields[at_[4]];
                 for (const auto& [column, flag] : {std::pair{at_[5], &roll_call.amendment},
                                                    std::pair{at_[6], &roll_call.paragraph}}) {
                   if (column == kAbsentColumn) {
                     continue;
                   }
                   // 1 marks a vote on an amendment or a paragraph; 0 or NA (unclassified) a whole
                   // text.
                   const std::string& text = fields[column];
                   if (text != "0" && text != "1" && text != "NA" && !text.empty()) {
                     return std::string(column == at_[5] ? "amend" : "para") + " '" + text +
                            "' is not 0, 1 or NA";
                   }
                   *flag = text == "1";
                 }
                 data.roll_calls.push_back(std::move(roll_call));
                 return std::string();
               });
  std::sort(data.roll_calls.begin(), data.roll_calls.end(),
            [](const RollCall& left, const RollCall& right) { return left.rcid < right.rcid; });
  for (std::size_t index = 0; index < data.roll_calls.size(); ++index) {
    if (!data.roll_call_index.emplace(data.roll_calls[index].rcid, index).second) {
      throw sim::InputError(
          at(roll_calls_label, 0),
          "roll call " + std::to_string(data.roll_calls[index].rcid) + " appears twice");
    }
  }

  for_each_row(issues_text, issues_label, {"rcid", "short_name"},
               [&](const std::vector<std::string>& fields, const std::vector<std::size_t>& at_,
                   std::size_t /*line*/) {
                 std::int64_t rcid = 0;
                 if (!parse_integer(fields[at_[0]], rcid)) {
                   return "rcid '" + fields[at_[0]] + "' is not a whole number";
                 }
                 const auto found = data.roll_call_index.find(rcid);
                 if (found == data.roll_call_index.end()) {
                   return "roll call " + fields[at_[0]] + " is not in the roll-call file";
                 }
                 data.roll_calls[found->second].issues.push_back(fields[at_[1]]);
                 return std::string();
               });

  const auto& codes = country_codes();
  std::unordered_map<std::string, std::uint16_t> country_index;
  for (std::size_t index = 0; index < codes.size(); ++index) {
    // Votes of a predecessor code count for the state that continues its seat (YU → SRB).
    const auto canonical =
        static_cast<std::uint16_t>(find_country_code(codes[index].alpha3) - codes.data());
    country_index.emplace(std::string(codes[index].alpha2), canonical);
  }
  data.votes.reserve(votes_text.size() / 32);
  for_each_row(votes_text, votes_label, {"rcid", "country_code", "vote", "?country"},
               [&](const std::vector<std::string>& fields, const std::vector<std::size_t>& at_,
                   std::size_t line) {
                 CountryVote vote;
                 if (!parse_integer(fields[at_[0]], vote.rcid)) {
                   return "rcid '" + fields[at_[0]] + "' is not a whole number";
                 }
                 if (data.roll_call_index.find(vote.rcid) == data.roll_call_index.end()) {
                   return "roll call " + fields[at_[0]] + " is not in the roll-call file";
                 }
                 const std::string& code = fields[at_[1]];
                 // R writes a missing code as NA, which is also Namibia's: Voeten's file gives no
                 // code for the Federal Republic of Germany, the Yemen Arab Republic and
                 // Zanzibar, so an NA row is read by its name (before 3 December 2026 all three
                 // were read as Namibia).
                 if (code == "NA" && at_[3] != kAbsentColumn) {
                   const std::string& name = fields[at_[3]];
                   const CountryCode* named = find_country_by_name(name);
                   if (named == nullptr) {
                     count_unknown_code(data.unknown_countries,
                                        UnknownCountryCode{name, at(votes_label, line), 1, true});
                     return std::string();
                   }
                   vote.country = country_index.at(std::string(named->alpha2));
                 } else {
                   const auto country = country_index.find(code);
                   if (country == country_index.end()) {
                     return "unknown country code '" + code + "'";
                   }
                   vote.country = country->second;
                 }
                 const std::string& text = fields[at_[2]];
                 if (text == "yes") {
                   vote.vote = VoetenVote::Yes;
                 } else if (text == "abstain") {
                   vote.vote = VoetenVote::Abstain;
                 } else if (text == "no") {
                   vote.vote = VoetenVote::No;
                 } else {
                   return "vote '" + text + "' is not yes, no or abstain";
                 }
                 data.votes.push_back(vote);
                 return std::string();
               });
  std::sort(
      data.votes.begin(), data.votes.end(), [](const CountryVote& left, const CountryVote& right) {
        return left.rcid != right.rcid ? left.rcid < right.rcid : left.country < right.country;
      });
  // Two votes of one state on one roll call mean two of the file's states were read as one.
  const auto twice = std::adjacent_find(
      data.votes.begin(), data.votes.end(), [](const CountryVote& left, const CountryVote& right) {
        return left.rcid == right.rcid && left.country == right.country;
      });
  if (twice != data.votes.end()) {
    throw sim::InputError(at(votes_label, 0),
                          "roll call " + std::to_string(twice->rcid) + " has two votes of " +
                              std::string(codes[twice->country].alpha3) +
                              " (two rows with that state's code, or a predecessor's)");
  }
  return data;
}

VoetenPaths voeten_paths(const std::string& directory) {
  const std::filesystem::path folder(directory);
  if (!std::filesystem::is_directory(folder)) {
    throw sim::InputError(sim::SourceLocation{"--voeten-dir " + directory, 0, 0},
                          "no such folder; run from the project's top folder, where "
                          "scenarios/data/voeten is, or give --voeten-dir the folder that holds "
                          "un_votes.csv(.gz), un_roll_calls.csv(.gz) and un_roll_call_issues.csv");
  }
  const auto pick = [&](const std::string& stem) {
    const auto compressed = folder / (stem + ".gz");
    return std::filesystem::exists(compressed) ? compressed.string() : (folder / stem).string();
  };
  return VoetenPaths{pick("un_votes.csv"), pick("un_roll_calls.csv"),
                     pick("un_roll_call_issues.csv")};
}

VoetenData load_voeten(const std::string& votes_path, const std::string& roll_calls_path,
                       const std::string& issues_path) {
  return parse_voeten(read_possibly_compressed(votes_path), votes_path,
                      read_possibly_compressed(roll_calls_path), roll_calls_path,
                      read_possibly_compressed(issues_path), issues_path);
}

namespace {

// The two members whose membership was interrupted between sessions in which they voted, from
// the UN's list of member states (un.org/en/about-us/member-states, the notes on Egypt and Syria
// and on Indonesia): on such a date the state was not a member, so it did not "not vote".
struct MembershipInterruption {
  std::string_view alpha3;
  sim::Date from;  // first day outside
  sim::Date to;    // first day back
};

bool outside_membership(std::string_view alpha3, sim::Date date) {
  static const std::array<MembershipInterruption, 2> kInterruptions = {{
      // Syria joined Egypt in the United Arab Republic on 21 February 1958 and resumed its own
      // seat on 13 October 1961.
      {"SYR", sim::date_from_civil(1958, 2, 21), sim::date_from_civil(1961, 10, 13)},
      // Indonesia withdrew by its letter of 20 January 1965; the Assembly seated it again on 28
      // September 1966.
      {"IDN", sim::date_from_civil(1965, 1, 20), sim::date_from_civil(1966, 9, 28)},
  }};
  return std::any_of(kInterruptions.begin(), kInterruptions.end(),
                     [&](const MembershipInterruption& interruption) {
                       return interruption.alpha3 == alpha3 && interruption.from <= date &&
                              date < interruption.to;
                     });
}

}  // namespace

VoetenMembership::VoetenMembership(const VoetenData& voeten)
    : sessions_of_country_(country_codes().size(), {0, -1}) {
  const RollCall* roll_call = nullptr;
  for (const CountryVote& vote : voeten.votes) {
    if (roll_call == nullptr || roll_call->rcid != vote.rcid) {
      roll_call = voeten.find(vote.rcid);  // votes come sorted by rcid: once a roll call
    }
    auto& [first, last] = sessions_of_country_[vote.country];
    if (first > last) {
      first = last = roll_call->session;
    } else {
      first = std::min(first, roll_call->session);
      last = std::max(last, roll_call->session);
    }
  }
}

bool VoetenMembership::member(std::uint16_t country, const RollCall& roll_call) const {
  const auto& [first, last] = sessions_of_country_[country];
  return first <= roll_call.session && roll_call.session <= last &&
         !outside_membership(country_codes()[country].alpha3, roll_call.date);
}

std::vector<std::uint16_t> VoetenMembership::states() const {
  std::vector<std::uint16_t> states;
  for (std::size_t country = 0; country < sessions_of_country_.size(); ++country) {
    if (sessions_of_country_[country].first <= sessions_of_country_[country].second) {
      states.push_back(static_cast<std::uint16_t>(country));
    }
  }
  return states;
}

std::string voeten_resolution_symbol(const std::string& voeten_symbol) {
  constexpr std::string_view kVoetenPrefix = "R/";
  if (voeten_symbol.starts_with(kVoetenPrefix)) {
    return sim::canonical_resolution_symbol("A/RES/" + voeten_symbol.substr(kVoetenPrefix.size()));
  }
  return sim::canonical_resolution_symbol(voeten_symbol);
}

namespace {

// The session a canonical symbol names: A/RES/77/229 the 77th regular session, A/RES/ES-11/1 the
// eleventh emergency special session (numbered apart); number 0 for any other symbol.
struct SymbolSession {
  bool emergency = false;
  int number = 0;
};

SymbolSession session_of(std::string_view symbol) {
  constexpr std::string_view prefix = "A/RES/";
  if (!symbol.starts_with(prefix)) {
    return {};
  }
  std::string_view rest = symbol.substr(prefix.size());
  const bool emergency = rest.starts_with("ES-");
  rest.remove_prefix(emergency ? 3 : 0);
  int number = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), number);
  const bool whole = error == std::errc{} && end != rest.data() + rest.size() && *end == '/';
  return {emergency, whole ? number : 0};
}

}  // namespace

std::vector<RecordedVote> voeten_resolution_votes(const VoetenData& voeten,
                                                  const std::vector<std::string>& symbols,
                                                  const std::string& source_label) {
  const sim::SourceLocation location{source_label, 0, 0};
  std::vector<std::string> symbol_of_roll_call;
  symbol_of_roll_call.reserve(voeten.roll_calls.size());
  for (const RollCall& roll_call : voeten.roll_calls) {
    symbol_of_roll_call.push_back(voeten_resolution_symbol(roll_call.resolution));
  }

  const VoetenMembership membership(voeten);
  const std::vector<std::uint16_t> states = membership.states();
  std::vector<RecordedVote> recorded;
  std::set<std::string> done;
  for (const std::string& asked : symbols) {
    const std::string symbol = voeten_resolution_symbol(asked);  // R/68/274 as Voeten writes it too
    if (!done.insert(symbol).second) {
      continue;  // 68/274 and A/RES/68/274 asked for both: its votes once
    }
    std::vector<const RollCall*> whole_text;
    for (std::size_t index = 0; index < voeten.roll_calls.size(); ++index) {
      const RollCall& roll_call = voeten.roll_calls[index];
      if (symbol_of_roll_call[index] == symbol && !roll_call.amendment && !roll_call.paragraph) {
        whole_text.push_back(&roll_call);
      }
    }
    if (whole_text.empty()) {
      // A session after the data ends has nothing to suggest: a symbol one digit away in an
      // earlier session is another text altogether. Regular and emergency special sessions are
      // numbered apart (A/RES/ES-11/1 is from 2022), so each is compared with its own kind.
      const SymbolSession wanted = session_of(symbol);
      // A regular session's number is a column of the data; an emergency special session's only
      // shows in the symbols (read from them alone, old symbols such as R/677/... would count).
      int last_session = 0;
      if (wanted.emergency) {
        for (const std::string& known : symbol_of_roll_call) {
          if (const SymbolSession session = session_of(known); session.emergency) {
            last_session = std::max(last_session, session.number);
          }
        }
      } else {
        for (const RollCall& roll_call : voeten.roll_calls) {
          last_session = std::max(last_session, roll_call.session);
        }
      }
      if (last_session > 0 && wanted.number > last_session) {
        const std::string kind = wanted.emergency ? "emergency special session" : "session";
        throw sim::InputError(location, symbol + " is from " + kind + " " +
                                            std::to_string(wanted.number) +
                                            ", after Voeten's data ends (its last " + kind +
                                            " is " + std::to_string(last_session) +
                                            "); read later votes from the UN Digital Library's "
                                            "export with --history (docs/history.md)");
      }
      throw sim::InputError(location, "no roll call on the whole of " + symbol +
                                          " in Voeten's data (1946-2019; a text adopted without "
                                          "a vote has no roll call)" +
                                          sim::suggestion(symbol, symbol_of_roll_call));
    }
    if (whole_text.size() > 1) {
      std::string rcids;
      for (const RollCall* roll_call : whole_text) {
        rcids += (rcids.empty() ? "" : ", ") + std::to_string(roll_call->rcid);
      }
      throw sim::InputError(location, symbol + " has " + std::to_string(whole_text.size()) +
                                          " roll calls on the whole text in Voeten's data (rcid " +
                                          rcids + "); they cannot be told apart here");
    }
    const RollCall& roll_call = *whole_text.front();

    // Votes are sorted by rcid, then country: this roll call's rows are one run.
    const auto cast = std::equal_range(
        voeten.votes.begin(), voeten.votes.end(), CountryVote{roll_call.rcid, 0, VoetenVote::Yes},
        [](const CountryVote& left, const CountryVote& right) { return left.rcid < right.rcid; });
    const auto& codes = country_codes();
    for (const std::uint16_t country : states) {
      if (!membership.member(country, roll_call)) {
        continue;
      }
      const auto found = std::find_if(cast.first, cast.second, [&](const CountryVote& vote) {
        return vote.country == country;
      });
      std::string letter = "NV";
      if (found != cast.second) {
        letter = found->vote == VoetenVote::Yes ? "Y" : found->vote == VoetenVote::No ? "N" : "A";
      }
      recorded.push_back(RecordedVote{symbol, roll_call.date, std::string(codes[country].alpha3),
                                      std::move(letter)});
    }
  }
  return recorded;
}

}  // namespace multivector::results
