#include "results/sqlite.hpp"

#include <sqlite3.h>

#include <fstream>
#include <utility>

namespace multivector::results {

SqliteStatement::SqliteStatement(sqlite3* database, std::string_view sql) : database_(database) {
  if (sqlite3_prepare_v2(database, sql.data(), static_cast<int>(sql.size()), &statement_,
                         nullptr) != SQLITE_OK) {
    throw SqliteError("SQLite cannot prepare '" + std::string(sql) +
                      "': " + sqlite3_errmsg(database));
  }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)),
      statement_(std::exchange(other.statement_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    database_ = std::exchange(other.database_, nullptr);
    statement_ = std::exchange(other.statement_, nullptr);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() {
  sqlite3_finalize(statement_);
}

void SqliteStatement::fail(const std::string& what) const {
  const char* sql = statement_ != nullptr ? sqlite3_sql(statement_) : "";
  throw SqliteError("SQLite " + what + " failed (" + sqlite3_errmsg(database_) + ") in '" +
                    (sql != nullptr ? sql : "") + "'");
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
    fail("bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  if (sqlite3_bind_double(statement_, index, value) != SQLITE_OK) {
    fail("bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    fail("bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::bind_static(int index, std::string_view value) {
  if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_STATIC) != SQLITE_OK) {
    fail("bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
  if (sqlite3_bind_null(statement_, index) != SQLITE_OK) {
    fail("bind");
  }
  return *this;
}

bool SqliteStatement::step() {
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) {
    return true;
  }
  if (result == SQLITE_DONE) {
    return false;
  }
  fail("step");
}

void SqliteStatement::execute() {
  while (step()) {
  }
  reset();
}

void SqliteStatement::reset() {
  sqlite3_reset(statement_);
}

int SqliteStatement::columns() const {
  return sqlite3_column_count(statement_);
}

std::string SqliteStatement::column_name(int column) const {
  const char* name = sqlite3_column_name(statement_, column);
  return name != nullptr ? name : "";
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

bool SqliteStatement::is_integer(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_INTEGER;
}

bool SqliteStatement::is_real(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_FLOAT;
}

std::int64_t SqliteStatement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double SqliteStatement::real(int column) const {
  return sqlite3_column_double(statement_, column);
}

std::string SqliteStatement::text(int column) const {
  const auto* text = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  return text != nullptr ? std::string(reinterpret_cast<const char*>(text), size) : "";
}

SqliteDatabase::SqliteDatabase(const std::filesystem::path& path, Mode mode) : path_(path) {
  // Memory statistics take a global mutex on every allocation; nothing here reads them. This
  // must precede SQLite's initialisation, so it is done once, before the first connection.
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  static_cast<void>(configured);
  const int flags =
      mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &database_, flags | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string message = database_ != nullptr ? sqlite3_errmsg(database_) : "out of memory";
    sqlite3_close(database_);
    database_ = nullptr;
    throw SqliteError("cannot open '" + path.string() + "': " + message);
  }
  // Another process holding the database briefly (a reader) is waited for, not an error.
  sqlite3_busy_timeout(database_, 5000);
}

SqliteDatabase::SqliteDatabase(SqliteDatabase&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)), path_(std::move(other.path_)) {}

SqliteDatabase& SqliteDatabase::operator=(SqliteDatabase&& other) noexcept {
  if (this != &other) {
    sqlite3_close(database_);
    database_ = std::exchange(other.database_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

SqliteDatabase::~SqliteDatabase() {
  sqlite3_close(database_);
}

void SqliteDatabase::execute(std::string_view sql) {
  char* message = nullptr;
  if (sqlite3_exec(database_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errmsg(database_);
    sqlite3_free(message);
    throw SqliteError("SQLite failed (" + text + ") in '" + std::string(sql) + "'");
  }
}

SqliteStatement SqliteDatabase::prepare(std::string_view sql) {
  return SqliteStatement(database_, sql);
}

std::optional<std::string> SqliteDatabase::query_text(std::string_view sql) {
  SqliteStatement statement = prepare(sql);
  if (!statement.step()) {
    return std::nullopt;
  }
  return statement.text(0);
}

bool SqliteDatabase::has_table(const std::string& name) {
  SqliteStatement statement =
      prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
  statement.bind(1, std::string_view(name));
  return statement.step();
}

void SqliteDatabase::release_memory() {
  sqlite3_db_release_memory(database_);
}

SqliteTransaction::SqliteTransaction(SqliteDatabase& database) : database_(database) {
  database_.execute("BEGIN");
}

SqliteTransaction::~SqliteTransaction() {
  if (open_) {
    try {
      database_.execute("ROLLBACK");
    } catch (const SqliteError&) {
      // SQLite has already rolled back when the failure was fatal to the transaction.
    }
  }
}

void SqliteTransaction::commit() {
  database_.execute("COMMIT");
  open_ = false;
}

std::string quote_identifier(std::string_view name) {
  std::string quoted = "\"";
  for (const char character : name) {
    quoted += character;
    if (character == '"') {
      quoted += '"';
    }
  }
  quoted += '"';
  return quoted;
}

bool has_sqlite_header(const std::filesystem::path& path) {
  static constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};
  std::string header(kSqliteHeader.size(), '\0');
  std::ifstream file(path, std::ios::binary);
  file.read(header.data(), static_cast<std::streamsize>(header.size()));
  return file.gcount() == 0 || header == kSqliteHeader;
}

}  // namespace multivector::results
