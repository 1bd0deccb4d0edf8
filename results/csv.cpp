#include "results/csv.hpp"

#include <charconv>

namespace multivector::results {

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

bool parse_csv(std::string_view text, std::vector<CsvRecord>& records, std::string& error,
               std::size_t& error_line) {
  std::size_t position = 0;
  std::size_t line = 1;
  // A UTF-8 byte-order mark is what spreadsheet programs put first; it is not part of a field.
  if (text.starts_with("\xEF\xBB\xBF")) {
    position = 3;
  }
  while (position < text.size()) {
    CsvRecord record;
    record.line = line;
    std::string field;
    bool in_quotes = false;
    bool field_was_quoted = false;
    bool record_done = false;
    while (!record_done) {
      if (position >= text.size()) {
        if (in_quotes) {
          error = "unterminated quoted field";
          error_line = record.line;
          return false;
        }
        record.fields.push_back(std::move(field));
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
          record.fields.push_back(std::move(field));
          field.clear();
          field_was_quoted = false;
          break;
        case '\r':
          break;
        case '\n':
          ++line;
          record.fields.push_back(std::move(field));
          record_done = true;
          break;
        default:
          field += character;
      }
    }
    records.push_back(std::move(record));
  }
  return true;
}

}  // namespace multivector::results
