#include "results/csv.hpp"

#include <algorithm>
#include <charconv>

namespace multivector::results {

void append_csv_header(std::string& out, const CsvColumns& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& [name, meaning] : columns) {
    names.push_back(name);
  }
  append_csv_row(out, names);
}

void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t index = 0; index < fields.size(); ++index) {
    if (index > 0) {
      out += ',';
    }
    const std::string& field = fields[index];
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
      out += field;
      continue;
    }
    out += '"';
    for (const char character : field) {
      if (character == '"') {
        out += '"';
      }
      out += character;
    }
    out += '"';
  }
  out += '\n';
}

std::string format_double(double value) {
  if (value == 0.0) {
    return "0";  // also folds -0 into 0, so equal values print equally
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

bool for_each_csv_record(std::string_view text, const CsvVisitor& visit, std::string& error,
                         std::size_t& error_line) {
  std::size_t position = 0;
  std::size_t line = 1;
  // A UTF-8 byte-order mark is what spreadsheet programs put first; it is not part of a field.
  if (text.starts_with("\xEF\xBB\xBF")) {
    position = 3;
  }
  std::vector<std::string> fields;
  std::string field;
  while (position < text.size()) {
    const std::size_t record_line = line;
    fields.clear();
    field.clear();
    bool in_quotes = false;
    bool field_was_quoted = false;
    bool record_done = false;
    while (!record_done) {
      if (position >= text.size()) {
        if (in_quotes) {
          error = "unterminated quoted field";
          error_line = record_line;
          return false;
        }
        fields.push_back(field);
        break;
      }
      const char character = text[position++];
      if (in_quotes) {
        if (character == '"') {
          if (position < text.size() && text[position] == '"') {
            field += '"';
            ++position;
          } else {
            in_quotes = false;
          }
        } else {
          if (character == '\n') {
            ++line;
          }
          field += character;
        }
        continue;
      }
      switch (character) {
        case '"':
          if (field.empty() && !field_was_quoted) {
            in_quotes = true;
            field_was_quoted = true;
          } else {
            field += character;
          }
          break;
        case ',':
          fields.push_back(field);
          field.clear();
          field_was_quoted = false;
          break;
        case '\r':
          break;
        case '\n':
          ++line;
          fields.push_back(field);
          record_done = true;
          break;
        default:
          field += character;
      }
    }
    if (!visit(fields, record_line)) {
      error_line = record_line;
      return false;
    }
  }
  return true;
}

bool parse_csv(std::string_view text, std::vector<CsvRecord>& records, std::string& error,
               std::size_t& error_line) {
  return for_each_csv_record(
      text,
      [&](const std::vector<std::string>& fields, std::size_t line) {
        records.push_back(CsvRecord{fields, line});
        return true;
      },
      error, error_line);
}

CsvTable::CsvTable(const std::filesystem::path& path, std::string_view content)
    : label_(path.string()) {
  std::vector<CsvRecord> records;
  std::string error;
  std::size_t error_line = 0;
  if (!parse_csv(content, records, error, error_line)) {
    throw sim::InputError(at(error_line), error);
  }
  if (records.empty()) {
    throw sim::InputError(at(1), "empty file; expected a header line");
  }
  header_ = std::move(records.front());
  for (std::size_t index = 1; index < records.size(); ++index) {
    CsvRecord& record = records[index];
    if (record.fields.size() == 1 && record.fields.front().empty()) {
      continue;  // a blank line
    }
    if (record.fields.size() != header_.fields.size()) {
      throw sim::InputError(at(record.line), "expected " + std::to_string(header_.fields.size()) +
                                                 " fields, found " +
                                                 std::to_string(record.fields.size()));
    }
    rows_.push_back(std::move(record));
  }
}

sim::SourceLocation CsvTable::at(std::size_t line) const {
  return sim::SourceLocation{label_, static_cast<int>(line), 1};
}

std::size_t CsvTable::column(const std::string& name) const {
  const auto& fields = header();
  const auto found = std::find(fields.begin(), fields.end(), name);
  if (found == fields.end()) {
    throw sim::InputError(at(1), "missing column '" + name + "'");
  }
  return static_cast<std::size_t>(found - fields.begin());
}

double CsvTable::number(const CsvRecord& record, std::size_t column) const {
  const std::string& text = record.fields[column];
  double value = 0.0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    throw sim::InputError(at(record.line),
                          "'" + text + "' in column '" + header()[column] + "' is not a number");
  }
  return value;
}

double CsvTable::probability(const CsvRecord& record, std::size_t column) const {
  const double value = number(record, column);
  if (!(value >= 0.0 && value <= 1.0)) {
    throw sim::InputError(at(record.line), "'" + record.fields[column] + "' in column '" +
                                               header()[column] +
                                               "' is not a probability (0 to 1)");
  }
  return value;
}

}  // namespace multivector::results
