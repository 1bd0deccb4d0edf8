#pragma once
// A thin RAII layer over the SQLite C API: a connection, prepared statements and transactions.
// Every failure throws SqliteError with SQLite's own message and the statement that failed.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace multivector::results {

class SqliteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3* database, std::string_view sql);
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQL.
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind(int index, std::string_view value);         // copied by SQLite
  SqliteStatement& bind_static(int index, std::string_view value);  // must outlive the step
  SqliteStatement& bind_null(int index);

  // True while a row is available; false when the statement is done.
  bool step();
  // Runs a statement that returns no rows, then resets it for the next use.
  void execute();
  void reset();

  [[nodiscard]] int columns() const;
  [[nodiscard]] std::string column_name(int column) const;
  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] bool is_integer(int column) const;
  [[nodiscard]] bool is_real(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] double real(int column) const;
  [[nodiscard]] std::string text(int column) const;

 private:
  sqlite3* database_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  [[noreturn]] void fail(const std::string& what) const;
};

class SqliteDatabase {
 public:
  enum class Mode { ReadOnly, ReadWriteCreate };

  SqliteDatabase(const std::filesystem::path& path, Mode mode);
  SqliteDatabase(SqliteDatabase&& other) noexcept;
  SqliteDatabase& operator=(SqliteDatabase&& other) noexcept;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;
  ~SqliteDatabase();

  void execute(std::string_view sql);  // one or more statements, no rows
  [[nodiscard]] SqliteStatement prepare(std::string_view sql);
  // The single value of a query that returns one row, or nothing when it returns none.
  [[nodiscard]] std::optional<std::string> query_text(std::string_view sql);
  [[nodiscard]] bool has_table(const std::string& name);
  // Frees what the connection's page cache holds but does not need.
  void release_memory();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  sqlite3* database_ = nullptr;
  std::filesystem::path path_;
};

// BEGIN on construction; ROLLBACK unless commit() is called, so an exception leaves no half-write.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDatabase& database);
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();
  void commit();

 private:
  SqliteDatabase& database_;
  bool open_ = true;
};

// "name" with embedded quotes doubled: a safe SQL identifier for any column name.
[[nodiscard]] std::string quote_identifier(std::string_view name);

// False when `path` holds bytes that do not begin as every SQLite database does ("SQLite format
// 3"): a scenario or CSV given by mistake is then named for what it is, not by SQLite's "file is
// not a database" on some later statement. An empty or unreadable file passes.
[[nodiscard]] bool has_sqlite_header(const std::filesystem::path& path);

}  // namespace multivector::results
