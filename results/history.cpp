#include "results/history.hpp"

#include <algorithm>

#include "results/csv.hpp"
#include "sim/diagnostics.hpp"
#include "sim/input_files.hpp"
#include "sim/source_tree.hpp"

namespace multivector::results {

void VoteHistory::add(RecordedVote vote) {
  index_[{vote.resolution, vote.country}] = votes_.size();
  votes_.push_back(std::move(vote));
}

const RecordedVote* VoteHistory::find(const std::string& resolution,
                                      const std::string& country) const {
  const auto found = index_.find({resolution, country});
  return found == index_.end() ? nullptr : &votes_[found->second];
}

std::vector<std::string> VoteHistory::resolutions() const {
  std::vector<std::pair<sim::Date, std::string>> dated;
  for (const auto& vote : votes_) {
    dated.emplace_back(vote.date, vote.resolution);
  }
  std::sort(dated.begin(), dated.end());
  dated.erase(std::unique(dated.begin(), dated.end()), dated.end());
  std::vector<std::string> names;
  for (const auto& [date, name] : dated) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
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

}  // namespace

VoteHistory parse_tidy_votes(std::string_view text, const std::string& label) {
  check_text(text, label);
  std::vector<CsvRecord> records;
  std::string error;
  std::size_t error_line = 0;
  if (!parse_csv(text, records, error, error_line)) {
    throw sim::InputError(at(label, error_line), error);
  }
  if (records.empty()) {
    throw sim::InputError(at(label, 1), "empty file; expected a header resolution,date,iso3,vote");
  }
  const auto& header = records.front().fields;
  const auto column = [&](std::string_view name) -> std::ptrdiff_t {
    const auto found = std::find(header.begin(), header.end(), name);
    return found == header.end() ? -1 : found - header.begin();
  };
  const std::ptrdiff_t resolution_column = column("resolution");
  const std::ptrdiff_t date_column = column("date");
  const std::ptrdiff_t country_column = column("iso3");
  const std::ptrdiff_t vote_column = column("vote");
  if (resolution_column < 0 || date_column < 0 || country_column < 0 || vote_column < 0) {
    throw sim::InputError(at(label, 1),
                          "header must name the columns resolution, date, iso3 and vote");
  }
  VoteHistory history;
  sim::Diagnostics diagnostics;
  for (std::size_t index = 1; index < records.size(); ++index) {
    const CsvRecord& record = records[index];
    if (record.fields.size() == 1 && record.fields.front().empty()) {
      continue;  // a blank line
    }
    if (record.fields.size() != header.size()) {
      diagnostics.error(at(label, record.line), "expected " + std::to_string(header.size()) +
                                                    " fields, found " +
                                                    std::to_string(record.fields.size()));
      continue;
    }
    RecordedVote vote;
    vote.resolution = record.fields[static_cast<size_t>(resolution_column)];
    vote.country = record.fields[static_cast<size_t>(country_column)];
    vote.vote = record.fields[static_cast<size_t>(vote_column)];
    const std::string& date_text = record.fields[static_cast<size_t>(date_column)];
    const auto date = sim::parse_date(date_text);
    if (vote.resolution.empty()) {
      diagnostics.error(at(label, record.line), "empty resolution");
      continue;
    }
    if (!date) {
      diagnostics.error(at(label, record.line),
                        "date '" + date_text + "' is not a date as YYYY-MM-DD");
      continue;
    }
    vote.date = *date;
    if (vote.country.size() != 3 || !std::all_of(vote.country.begin(), vote.country.end(),
                                                 [](char c) { return c >= 'A' && c <= 'Z'; })) {
      diagnostics.error(at(label, record.line),
                        "country code '" + vote.country + "' is not an ISO 3166-1 alpha-3 code");
      continue;
    }
    if (vote.vote != "Y" && vote.vote != "N" && vote.vote != "A" && vote.vote != "NV") {
      diagnostics.error(at(label, record.line),
                        "vote '" + vote.vote + "' is not one of Y, N, A, NV");
      continue;
    }
    if (history.find(vote.resolution, vote.country) != nullptr) {
      diagnostics.error(at(label, record.line),
                        "a second vote of " + vote.country + " on " + vote.resolution);
      continue;
    }
    history.add(std::move(vote));
  }
  diagnostics.throw_if_any();
  return history;
}

VoteHistory load_tidy_votes(const std::string& path) {
  const sim::InputFile file =
      sim::read_input_file(path, 512U * 1024U * 1024U, sim::SourceLocation{path, 0, 0});
  return parse_tidy_votes(file.content, file.label);
}

}  // namespace multivector::results
