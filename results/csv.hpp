#pragma once
// RFC 4180 CSV: what pandas, R and sqlite3 read without options.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.hpp"

namespace multivector::results {

// Appends one row, quoting fields that contain a comma, quote or line break.
void append_csv_row(std::string& out, const std::vector<std::string>& fields);

// Shortest text that reads back as the same double (std::to_chars), so outputs are exact and
// identical across runs.
[[nodiscard]] std::string format_double(double value);

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line where the record starts
};

// Calls `visit(fields, line)` for each record without keeping them, for files of millions of rows.
// `fields` is only valid during the call. Returns false (with `error`, `error_line`) for an
// unterminated quote, or when `visit` returns false (then `error` is left as the visitor set it).
using CsvVisitor = std::function<bool(const std::vector<std::string>& fields, std::size_t line)>;
[[nodiscard]] bool for_each_csv_record(std::string_view text, const CsvVisitor& visit,
                                       std::string& error, std::size_t& error_line);

// Parses CSV text. A record with an unterminated quote is reported through `error` with its line.
[[nodiscard]] bool parse_csv(std::string_view text, std::vector<CsvRecord>& records,
                             std::string& error, std::size_t& error_line);

// A whole CSV file read with its header, so columns are found by name; every problem is an
// InputError at FILE:LINE. Records keep their lines, so callers can point at a bad row.
class CsvTable {
 public:
  CsvTable(const std::filesystem::path& path, std::string_view content);

  [[nodiscard]] const std::vector<std::string>& header() const { return records_.front().fields; }
  // Every record, the header first.
  [[nodiscard]] const std::vector<CsvRecord>& records() const { return records_; }
  [[nodiscard]] sim::SourceLocation at(std::size_t line) const;
  [[nodiscard]] std::size_t column(const std::string& name) const;  // missing: InputError
  [[nodiscard]] double number(const CsvRecord& record, std::size_t column) const;
  // A record with as many fields as the header; otherwise an InputError at its line.
  void check_width(const CsvRecord& record) const;

 private:
  std::string label_;
  std::vector<CsvRecord> records_;
};

// A record that is one empty field: a blank line.
[[nodiscard]] bool is_blank(const CsvRecord& record);

}  // namespace multivector::results
