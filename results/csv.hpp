#pragma once
// RFC 4180 CSV: what pandas, R and sqlite3 read without options.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/diagnostics.hpp"

namespace multivector::results {

// Appends one row, quoting fields that contain a comma, quote or line break.
void append_csv_row(std::string& out, const std::vector<std::string>& fields);

// A CSV's columns, each with what it holds (for the manifest written beside it), and the header
// row made from their names, so that the two cannot disagree.
using CsvColumns = std::vector<std::pair<std::string, std::string>>;
void append_csv_header(std::string& out, const CsvColumns& columns);

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
// InputError at FILE:LINE. Blank lines are dropped and every other row is checked to have as
// many fields as the header, so callers index fields freely. Rows keep their lines, so callers
// can point at a bad value.
class CsvTable {
 public:
  CsvTable(const std::filesystem::path& path, std::string_view content);

  [[nodiscard]] const std::vector<std::string>& header() const { return header_.fields; }
  [[nodiscard]] const std::vector<CsvRecord>& rows() const { return rows_; }  // header excluded
  [[nodiscard]] sim::SourceLocation at(std::size_t line) const;
  [[nodiscard]] std::size_t column(const std::string& name) const;  // missing: InputError
  [[nodiscard]] double number(const CsvRecord& record, std::size_t column) const;
  // A number from 0 to 1: a probability outside that (or NaN) would make every score built on it
  // meaningless without any error.
  [[nodiscard]] double probability(const CsvRecord& record, std::size_t column) const;

 private:
  std::string label_;
  CsvRecord header_;
  std::vector<CsvRecord> rows_;
};

}  // namespace multivector::results
