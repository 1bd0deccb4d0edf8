#include "results/sweep_database.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "results/atomic_output.hpp"
#include "results/csv.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"

namespace multivector::results {
namespace {

constexpr const char* kSchemaVersion = "1";

std::string join_command(const std::vector<std::string>& arguments) {
  std::string line;
  for (const auto& argument : arguments) {
    line += (line.empty() ? "" : " ") + shell_quote(argument);
  }
  return line;
}

std::string decisions_name(sim::DecisionMode decisions) {
  return decisions == sim::DecisionMode::Modal ? "modal" : "sample";
}

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string joined;
  for (const auto& part : parts) {
    joined += (joined.empty() ? "" : std::string(1, separator)) + part;
  }
  return joined;
}

// The options every statement item may take, in the order they first appear in the agenda.
std::vector<std::string> statement_options(const sim::Scenario& scenario) {
  std::vector<std::string> options;
  for (const auto& item : scenario.agenda) {
    if (item.kind != sim::ItemKind::Statement) {
      continue;
    }
    for (const auto& option : item.options) {
      if (std::find(options.begin(), options.end(), option) == options.end()) {
        options.push_back(option);
      }
    }
  }
  return options;
}

// The per-power quantities of country_outcomes, named <quantity>_<POWER> as in trajectory.csv.
struct PowerQuantity {
  const char* name;
  double PowerOutcome::*field;
};
constexpr std::array<PowerQuantity, 4> kPowerQuantities = {
    {{"mean_leverage", &PowerOutcome::mean_leverage},
     {"final_leverage", &PowerOutcome::final_leverage},
     {"final_credibility", &PowerOutcome::final_credibility},
     {"costs_borne", &PowerOutcome::costs_borne}}};

std::string country_outcomes_sql(const sim::Scenario& scenario) {
  std::string sql =
      "CREATE TABLE country_outcomes(run_id INTEGER NOT NULL, country TEXT NOT NULL, "
      "final_orientation REAL NOT NULL, mean_orientation REAL NOT NULL";
  for (const auto& quantity : kPowerQuantities) {
    for (const auto& power : scenario.powers) {
      sql +=
          ", " + quote_identifier(std::string(quantity.name) + "_" + power.id) + " REAL NOT NULL";
    }
  }
  return sql + ");\n";
}

}  // namespace

double estimated_bytes_per_run(const sim::Scenario& scenario, const sim::SweepDesign& design) {
  // Bytes per row as SQLite stores them, measured on the default scenario (20,000 runs: 3,419
  // bytes a run) and the world scenario (40 runs: 266,650 bytes a run), 4 December 2026: a
  // vote's row with its share of the votes(item, country) index about 76; a REAL column 9; the
  // rest of a row (its rowid, run id, item and country) about 30 to 60.
  constexpr double kVoteRow = 80.0;
  constexpr double kStatementRow = 60.0;
  constexpr double kOutcomeRow = 30.0;
  constexpr double kRunRow = 50.0;
  constexpr double kRealColumn = 9.0;
  double votes = 0;
  double statements = 0;
  for (const auto& item : scenario.agenda) {
    (item.kind == sim::ItemKind::Statement ? statements : votes) += 1;
  }
  const auto countries = static_cast<double>(scenario.countries.size());
  const auto power_columns =
      static_cast<double>(kPowerQuantities.size() * scenario.powers.size() + 2);
  return countries * votes * kVoteRow +
         countries * statements *
             (kStatementRow +
              kRealColumn * static_cast<double>(statement_options(scenario).size())) +
         countries * (kOutcomeRow + kRealColumn * power_columns) + kRunRow +
         kRealColumn * static_cast<double>(design.inputs().size());
}

bool SweepDiskRoom::tight() const {
  return free_bytes.has_value() &&
         needed_bytes * kSweepSizeEstimateSlack > static_cast<double>(*free_bytes);
}

double estimated_new_database_bytes(const ManifestEntries& manifest) {
  constexpr double kEmptyDatabaseBytes = 16.0 * 16384.0;
  double manifest_bytes = 0;
  for (const auto& [key, value] : manifest) {
    manifest_bytes += static_cast<double>(key.size() + value.size());
  }
  return kEmptyDatabaseBytes + manifest_bytes;
}

SweepDiskRoom check_sweep_disk_space(const std::filesystem::path& path, std::int64_t runs,
                                     double bytes_per_run, double fixed_bytes) {
  // Where no file can be made at all (under /proc, say), that is the error to report, not a
  // disk with 0 bytes free.
  check_output_path(path);
  const std::optional<std::uintmax_t> available = available_bytes_for(path);
  const double needed = fixed_bytes + static_cast<double>(runs) * bytes_per_run;
  if (!available || needed <= static_cast<double>(*available)) {
    return SweepDiskRoom{needed, available};
  }
  throw OutputError("the sweep would write about " + format_size(needed) + " to '" + path.string() +
                    "' (" + format_count(runs) + (runs == 1 ? " run" : " runs") + " of about " +
                    format_size(bytes_per_run) + " each), but the disk that holds it has " +
                    format_size(static_cast<double>(*available)) +
                    " free: sweep fewer runs (a coarser --vary STEP, fewer --samples or "
                    "--replications) or give --db a disk with room");
}

namespace {

std::string schema_sql(const sim::Scenario& scenario, const sim::SweepDesign& design) {
  std::string runs =
      "CREATE TABLE runs(run_id INTEGER PRIMARY KEY, point INTEGER NOT NULL, replication INTEGER "
      "NOT NULL, seed INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('done', "
      "'failed')), error TEXT";
  for (const auto& varied : design.inputs()) {
    runs += ", " + quote_identifier(varied.path) + " REAL NOT NULL";
  }
  runs += ");\n";
  std::string statements =
      "CREATE TABLE statements(run_id INTEGER NOT NULL, item TEXT NOT NULL, country TEXT NOT "
      "NULL, realised TEXT NOT NULL, modal TEXT NOT NULL";
  for (const auto& option : statement_options(scenario)) {
    statements += ", " + quote_identifier("p_" + option) + " REAL";
  }
  statements += ");\n";
  // Outcome tables are plain rowid tables: rows are appended in run order, SQLite's fastest
  // insert; kOutcomeIndexes are added when the sweep completes.
  return R"(CREATE TABLE manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE invocations(invocation INTEGER PRIMARY KEY, command_line TEXT NOT NULL,
  threads INTEGER NOT NULL, ranks INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
  runs_written INTEGER NOT NULL DEFAULT 0, outcome TEXT NOT NULL);
CREATE TABLE parameters(parameter INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,
  low REAL NOT NULL, high REAL NOT NULL, step REAL, levels INTEGER);
CREATE TABLE items(item TEXT PRIMARY KEY, kind TEXT NOT NULL, date TEXT NOT NULL,
  resolution TEXT, name TEXT, tags TEXT, options TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE countries(country TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
)" + runs +
         R"(CREATE TABLE votes(run_id INTEGER NOT NULL, item TEXT NOT NULL, country TEXT NOT NULL,
  realised TEXT NOT NULL, modal TEXT NOT NULL, p_Y REAL NOT NULL, p_N REAL NOT NULL,
  p_A REAL NOT NULL, p_NV REAL NOT NULL);
)" + statements +
         country_outcomes_sql(scenario);
}

// The usual queries: one outcome across runs (item and country), runs by design point or
// status; joins from an outcome table to `runs` use the runs' primary key. They are built when
// the sweep completes: keeping votes(item, country) up to date costs a B-tree descent per row,
// as much as the rest of the writing together, while building it at the end is one sort.
constexpr const char* kOutcomeIndexes = R"(
CREATE INDEX IF NOT EXISTS runs_by_point ON runs(point);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs(status);
CREATE INDEX IF NOT EXISTS votes_by_item ON votes(item, country);
CREATE INDEX IF NOT EXISTS statements_by_item ON statements(item, country);
CREATE INDEX IF NOT EXISTS country_outcomes_by_country ON country_outcomes(country);
)";

std::string placeholders(int count) {
  std::string text;
  for (int index = 0; index < count; ++index) {
    text += index == 0 ? "?" : ", ?";
  }
  return text;
}

std::string format_value(const SqliteStatement& statement, int column) {
  if (statement.is_null(column)) {
    return "";
  }
  if (statement.is_integer(column)) {
    return std::to_string(statement.integer(column));
  }
  if (statement.is_real(column)) {
    return format_double(statement.real(column));
  }
  return statement.text(column);
}

std::vector<std::string> table_names(SqliteDatabase& database) {
  std::vector<std::string> names;
  SqliteStatement statement = database.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "ORDER BY name");
  while (statement.step()) {
    names.push_back(statement.text(0));
  }
  return names;
}

sim::InputError database_error(const std::filesystem::path& path, const std::string& message) {
  return sim::InputError(sim::SourceLocation{"--db " + path.string(), 0, 0}, message);
}

}  // namespace

void check_sweep_table_widths(const sim::Scenario& scenario, const sim::SweepDesign& design) {
  // SQLite's default SQLITE_MAX_COLUMN, which Debian's library keeps.
  constexpr std::size_t kMaxColumns = 2000;
  const std::size_t outcome_columns = 4 + kPowerQuantities.size() * scenario.powers.size();
  const std::size_t run_columns = 6 + design.inputs().size();
  const std::size_t statement_columns = 5 + statement_options(scenario).size();
  const auto refuse = [](const std::string& table, std::size_t columns, const std::string& why) {
    throw sim::InputError(sim::SourceLocation{"sweep", 0, 0},
                          "the sweep database's table " + table + " would have " +
                              std::to_string(columns) + " columns, over the " +
                              std::to_string(kMaxColumns) + " SQLite allows: " + why);
  };
  if (outcome_columns > kMaxColumns) {
    refuse("country_outcomes", outcome_columns,
           "it has " + std::to_string(kPowerQuantities.size()) +
               " columns per power; a sweep takes at most " +
               std::to_string((kMaxColumns - 4) / kPowerQuantities.size()) + " powers");
  }
  if (run_columns > kMaxColumns) {
    refuse("runs", run_columns, "it has a column per --vary; vary fewer inputs");
  }
  if (statement_columns > kMaxColumns) {
    refuse("statements", statement_columns, "it has a column per statement option");
  }
}

ManifestEntries sweep_manifest(const sim::Scenario& scenario, const std::string& scenario_path,
                               const sim::SweepDesign& design, sim::DecisionMode decisions) {
  const sim::SweepDesignOptions& options = design.options();
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  nlohmann::ordered_json hashes = nlohmann::ordered_json::array();
  for (const auto& file : scenario.files) {
    files.push_back({{"path", file.path}, {"sha256", file.sha256}});
    hashes.push_back(file.sha256);
  }
  nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
  std::vector<std::string> command = {"multivector", "sweep", scenario_path};
  for (const auto& varied : design.inputs()) {
    nlohmann::ordered_json parameter = {
        {"path", varied.path}, {"low", varied.low}, {"high", varied.high}};
    parameter["step"] = varied.step ? nlohmann::ordered_json(*varied.step) : nullptr;
    parameters.push_back(parameter);
    command.insert(command.end(), {"--vary", varied.spec});
  }
  const std::string design_name(sim::sweep_design_name(options.kind));
  const std::string samples = options.samples ? std::to_string(*options.samples) : "";
  command.insert(command.end(), {"--design", design_name});
  if (options.samples) {
    command.insert(command.end(), {"--samples", samples});
  }
  command.insert(command.end(),
                 {"--replications", std::to_string(options.replications), "--seed",
                  std::to_string(options.seed), "--decisions", decisions_name(decisions)});
  for (const auto& assignment : scenario.overrides) {
    command.insert(command.end(), {"--set", assignment});
  }
  for (const auto& event : scenario.dropped_events) {
    command.insert(command.end(), {"--drop-event", event});
  }
  if (!scenario.params_file.empty()) {
    command.insert(command.end(), {"--params", scenario.params_file});
  }
  return {
      {"schema_version", kSchemaVersion},
      {"program_version", program_version()},
      {"scenario", scenario_path},
      {"scenario_id", scenario.info.id},
      {"scenario_files", files.dump()},
      {"scenario_sha256", hashes.dump()},
      {"overrides", nlohmann::json(scenario.overrides).dump()},
      {"dropped_events", nlohmann::json(scenario.dropped_events).dump()},
      {"design", design_name},
      {"samples", samples},
      {"replications", std::to_string(options.replications)},
      {"seed", std::to_string(options.seed)},
      {"decisions", decisions_name(decisions)},
      {"parameters", parameters.dump()},
      {"points", std::to_string(design.points())},
      {"runs", std::to_string(design.runs())},
      {"sweep_command", join_command(command)},
  };
}

bool manifest_key_must_match(const std::string& key) {
  return key != "scenario" && key != "scenario_files" && key != "sweep_command";
}

ManifestEntries read_manifest(SqliteDatabase& database) {
  ManifestEntries entries;
  SqliteStatement statement = database.prepare("SELECT key, value FROM manifest ORDER BY key");
  while (statement.step()) {
    entries.emplace_back(statement.text(0), statement.text(1));
  }
  return entries;
}

std::string manifest_value(const ManifestEntries& manifest, const std::string& key) {
  for (const auto& [name, value] : manifest) {
    if (name == key) {
      return value;
    }
  }
  return "";
}

SweepDatabaseCheck check_sweep_database(const std::filesystem::path& path,
                                        const ManifestEntries& manifest, bool resume) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return {};
  }
  if (std::filesystem::is_directory(path, error)) {
    throw database_error(path, "'" + path.string() +
                                   "' is a directory; --db takes a file name, e.g. '" +
                                   (path / "sweep.db").string() + "'");
  }
  if (!std::filesystem::is_regular_file(path, error)) {
    throw database_error(path, "'" + path.string() + "' is not a file");
  }
  if (!has_sqlite_header(path)) {
    throw database_error(path, "'" + path.string() +
                                   "' already exists and is not a sweep database (not an SQLite "
                                   "file at all); choose another --db");
  }
  // What the file holds decides the advice: "add --resume" would only lead to a second error for
  // a database of something else, and an empty one holds no sweep to continue.
  try {
    SqliteDatabase database(path, SqliteDatabase::Mode::ReadOnly);
    if (!database.has_table("manifest")) {
      if (!table_names(database).empty()) {
        throw database_error(
            path,
            "'" + path.string() + "' is not a multivector sweep database; choose another --db");
      }
      // Created but killed before its schema was committed: --resume starts afresh there.
      if (!resume) {
        throw database_error(path, "'" + path.string() +
                                       "' already exists and is empty (a sweep killed before it "
                                       "began?): add --resume to start it there, or choose "
                                       "another --db");
      }
      return {};
    }
    if (!resume) {
      throw database_error(path, "'" + path.string() +
                                     "' already exists: add --resume to continue the sweep it "
                                     "holds, or choose another --db");
    }
    const ManifestEntries stored = read_manifest(database);
    std::string differences;
    for (const auto& [key, value] : manifest) {
      if (!manifest_key_must_match(key)) {
        continue;
      }
      const std::string there = manifest_value(stored, key);
      if (there != value) {
        differences += "\n  " + key + ": '" + there + "' in the database, '" + value + "' now";
      }
    }
    if (!differences.empty()) {
      throw database_error(path, "--resume: '" + path.string() +
                                     "' holds a different sweep (start a new one with another "
                                     "--db, or repeat the original options):" +
                                     differences);
    }
    SweepDatabaseCheck check;
    check.exists = true;
    check.finished_runs = std::stoll(database.query_text("SELECT count(*) FROM runs").value());
    return check;
  } catch (const SqliteError& sqlite_error) {
    throw database_error(path, std::string(resume ? "cannot resume from '" : "cannot read '") +
                                   path.string() + "': " + sqlite_error.what());
  }
}

struct SweepDatabase::Statements {
  SqliteStatement run;
  SqliteStatement vote;
  SqliteStatement statement;
  SqliteStatement country;
  SqliteStatement progress;  // this invocation's runs_written, in each chunk's transaction
};

// One writer at a time: a second `sweep --resume` on the same file would compute the same runs
// and fail on their ids half-way, after recording itself in the first one's invocations. An
// exclusive flock(2) on the file (which SQLite's own fcntl locks do not touch) makes the second
// stop before it writes anything; the kernel releases it when the process ends, however it ends.
class SweepDatabase::WriterLock {
 public:
  explicit WriterLock(const std::filesystem::path& path)
      : descriptor_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (descriptor_ < 0) {
      throw OutputError("cannot open '" + path.string() + "': " + std::strerror(errno));
    }
    if (::flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
      const int reason = errno;
      ::close(descriptor_);
      throw OutputError(
          "'" + path.string() + "' is in use by another multivector sweep" +
          (reason == EWOULDBLOCK ? std::string()
                                 : std::string(" (") + std::strerror(reason) + ")") +
          "; wait for it to finish, or stop it and run this command again with --resume");
    }
  }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;
  // Closing the descriptor releases the lock. It outlives the SQLite connection (member order), as
  // closing any descriptor of a file drops the process's fcntl locks on it, SQLite's included.
  ~WriterLock() { ::close(descriptor_); }

 private:
  int descriptor_;
};

SweepDatabase::SweepDatabase(const std::filesystem::path& path, const sim::Scenario& scenario,
                             const sim::SweepDesign& design, const ManifestEntries& manifest,
                             const InvocationInfo& invocation)
    : scenario_(scenario) {
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      throw OutputError("cannot create directory '" + path.parent_path().string() +
                        "': " + error.message());
    }
  }
  lock_ = std::make_unique<WriterLock>(path);
  try {
    database_ = std::make_unique<SqliteDatabase>(path, SqliteDatabase::Mode::ReadWriteCreate);
  } catch (const SqliteError& error) {
    throw OutputError(error.what());
  }
  // WAL: a commit appends to the log without rewriting pages, and readers (a summary, a test)
  // can look while the sweep writes. synchronous=NORMAL keeps every committed transaction across
  // a killed process; only a power cut can lose the last few, which --resume then redoes.
  database_->execute(
      "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
      "PRAGMA cache_size = -16384;");

  if (!database_->has_table("manifest")) {
    SqliteTransaction transaction(*database_);
    database_->execute(schema_sql(scenario, design));
    SqliteStatement insert = database_->prepare("INSERT INTO manifest VALUES (?, ?)");
    for (const auto& [key, value] : manifest) {
      insert.bind(1, std::string_view(key)).bind(2, std::string_view(value)).execute();
    }
    insert = database_->prepare("INSERT INTO parameters VALUES (?, ?, ?, ?, ?, ?)");
    std::int64_t parameter = 0;
    for (const auto& varied : design.inputs()) {
      insert.bind(1, parameter++).bind(2, std::string_view(varied.path));
      insert.bind(3, varied.low).bind(4, varied.high);
      if (varied.step) {
        insert.bind(5, *varied.step).bind(6, varied.levels);
      } else if (design.options().kind == sim::SweepDesignKind::Grid) {
        insert.bind_null(5).bind(6, varied.levels);  // LO = HI: one level, with no step
      } else {
        insert.bind_null(5).bind_null(6);  // a Latin hypercube has no levels
      }
      insert.execute();
    }
    insert = database_->prepare("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& item : scenario.agenda) {
      insert.bind(1, std::string_view(item.id))
          .bind(2, std::string_view(item.kind == sim::ItemKind::Vote ? "vote" : "statement"))
          .bind(3, std::string_view(sim::format_date(item.date)))
          .bind(4, std::string_view(item.resolution))
          .bind(5, std::string_view(item.name))
          .bind(6, std::string_view(join(item.tags, ';')))
          .bind(7, std::string_view(join(item.options, ';')))
          .execute();
    }
    insert = database_->prepare("INSERT INTO countries VALUES (?, ?)");
    for (const auto& country : scenario.countries) {
      insert.bind(1, std::string_view(country.id)).bind(2, std::string_view(country.name));
      insert.execute();
    }
    transaction.commit();
  }

  // The writer lock is held, so no sweep is writing to this file: an invocation still marked
  // running was killed (kill -9, a crash, a power cut) before it could say how it ended.
  database_->execute("UPDATE invocations SET outcome = 'killed' WHERE outcome = 'running'");
  SqliteStatement start = database_->prepare(
      "INSERT INTO invocations(command_line, threads, ranks, started_at, outcome) "
      "VALUES (?, ?, ?, ?, 'running') RETURNING invocation");
  start.bind(1, std::string_view(join_command(invocation.command_line)))
      .bind(2, std::int64_t{invocation.threads})
      .bind(3, std::int64_t{invocation.ranks})
      .bind(4, std::string_view(utc_now()));
  start.step();
  invocation_ = start.integer(0);
  start.reset();

  const std::vector<std::string> options = statement_options(scenario);
  statement_option_count_ = static_cast<int>(options.size());
  for (const auto& item : scenario.agenda) {
    option_offset_.push_back(statement_column_.size());
    for (const auto& option : item.options) {
      const auto found = std::find(options.begin(), options.end(), option);
      statement_column_.push_back(
          item.kind == sim::ItemKind::Statement ? static_cast<int>(found - options.begin()) : -1);
    }
  }
  const int parameters = static_cast<int>(design.inputs().size());
  statements_ = std::make_unique<Statements>(Statements{
      database_->prepare("INSERT INTO runs VALUES (" + placeholders(6 + parameters) + ")"),
      database_->prepare("INSERT INTO votes VALUES (" + placeholders(9) + ")"),
      database_->prepare("INSERT INTO statements VALUES (" +
                         placeholders(5 + static_cast<int>(options.size())) + ")"),
      database_->prepare(
          "INSERT INTO country_outcomes VALUES (" +
          placeholders(4 + static_cast<int>(kPowerQuantities.size() * scenario.powers.size())) +
          ")"),
      database_->prepare("UPDATE invocations SET runs_written = ? WHERE invocation = ?")});
}

SweepDatabase::~SweepDatabase() {
  if (!finished_ && database_) {
    try {
      SqliteStatement update = database_->prepare(
          "UPDATE invocations SET finished_at = ?, runs_written = ?, outcome = 'failed' "
          "WHERE invocation = ?");
      update.bind(1, std::string_view(utc_now())).bind(2, runs_written_).bind(3, invocation_);
      update.execute();
    } catch (const SqliteError&) {
      // Already failing: the runs written so far are committed, which is what matters.
    }
  }
}

FinishedRuns SweepDatabase::finished_runs() {
  const std::int64_t runs =
      std::stoll(database_->query_text("SELECT value FROM manifest WHERE key = 'runs'").value());
  FinishedRuns finished(runs);
  SqliteStatement select = database_->prepare("SELECT run_id FROM runs");
  std::int64_t count = 0;
  while (select.step()) {
    const std::int64_t run = select.integer(0);
    if (run >= 0 && run < runs) {
      finished.add(run);
      ++count;
    }
  }
  finished.set_count(count);
  return finished;
}

void SweepDatabase::write(const OutcomeChunk& chunk) {
  if (chunk.runs.empty()) {
    return;
  }
  Statements& insert = *statements_;
  const auto powers = scenario_.powers.size();
  SqliteTransaction transaction(*database_);
  for (const auto& outcome : chunk.runs) {
    const std::int64_t run_id = outcome.run.index;
    insert.run.bind(1, run_id)
        .bind(2, outcome.run.point)
        .bind(3, outcome.run.replication)
        .bind(4, static_cast<std::int64_t>(outcome.run.seed))
        .bind_static(5, outcome.failed ? "failed" : "done");
    if (outcome.failed) {
      insert.run.bind(6, std::string_view(outcome.error));
    } else {
      insert.run.bind_null(6);
    }
    for (std::size_t parameter = 0; parameter < outcome.parameter_values.size(); ++parameter) {
      insert.run.bind(7 + static_cast<int>(parameter), outcome.parameter_values[parameter]);
    }
    insert.run.execute();

    std::size_t probability = 0;
    for (const auto& decision : outcome.decisions) {
      const sim::AgendaItem& item = scenario_.agenda[static_cast<std::size_t>(decision.item)];
      const std::string& country =
          scenario_.countries[static_cast<std::size_t>(decision.country)].id;
      const auto options = item.options.size();
      SqliteStatement& row = item.kind == sim::ItemKind::Vote ? insert.vote : insert.statement;
      row.bind(1, run_id)
          .bind_static(2, item.id)
          .bind_static(3, country)
          .bind_static(4, item.options[static_cast<std::size_t>(decision.realised)])
          .bind_static(5, item.options[static_cast<std::size_t>(decision.modal)]);
      if (item.kind == sim::ItemKind::Vote) {
        for (std::size_t option = 0; option < options; ++option) {
          row.bind(6 + static_cast<int>(option), outcome.probabilities[probability + option]);
        }
      } else {
        // Bindings persist between rows: clear the options this item does not have.
        for (int column = 0; column < statement_option_count_; ++column) {
          row.bind_null(6 + column);
        }
        const std::size_t offset = option_offset_[static_cast<std::size_t>(decision.item)];
        for (std::size_t option = 0; option < options; ++option) {
          row.bind(6 + statement_column_[offset + option],
                   outcome.probabilities[probability + option]);
        }
      }
      probability += options;
      row.execute();
    }
    for (std::size_t country = 0; country < outcome.countries.size(); ++country) {
      const CountryOutcome& summary = outcome.countries[country];
      SqliteStatement& row = insert.country;
      row.bind(1, run_id)
          .bind_static(2, scenario_.countries[country].id)
          .bind(3, summary.final_orientation)
          .bind(4, summary.mean_orientation);
      int column = 5;
      for (const auto& quantity : kPowerQuantities) {
        for (std::size_t power = 0; power < powers; ++power) {
          row.bind(column++, outcome.powers[country * powers + power].*quantity.field);
        }
      }
      row.execute();
    }
  }
  // Counted with the runs it counts, so a killed sweep's invocation says how many it wrote.
  insert.progress.bind(1, runs_written_ + static_cast<std::int64_t>(chunk.runs.size()))
      .bind(2, invocation_)
      .execute();
  transaction.commit();
  runs_written_ += static_cast<std::int64_t>(chunk.runs.size());
}

void SweepDatabase::finish(bool complete) {
  SqliteStatement update = database_->prepare(
      "UPDATE invocations SET finished_at = ?, runs_written = ?, outcome = ? "
      "WHERE invocation = ?");
  update.bind(1, std::string_view(utc_now()))
      .bind(2, runs_written_)
      .bind_static(3, complete ? "complete" : "interrupted")
      .bind(4, invocation_)
      .execute();
  statements_.reset();
  if (complete) {
    // Building an index sorts every row. Before that, hand the sweep's page cache back to the
    // system and give SQLite's sorter a small budget (it spills to temporary files beyond it),
    // so the build needs less memory than the sweep did and the peak does not grow with runs.
    database_->execute("PRAGMA cache_size = -2048");
    database_->release_memory();
    malloc_trim(0);
    SqliteTransaction transaction(*database_);
    database_->execute(kOutcomeIndexes);
    transaction.commit();
  }
  // Fold the log back into the file: the database is then one self-contained file to copy.
  database_->execute("PRAGMA journal_mode = DELETE");
  finished_ = true;
}

std::string dump_sweep_tables(const std::filesystem::path& path) {
  SqliteDatabase database(path, SqliteDatabase::Mode::ReadOnly);
  std::string dump;
  SqliteStatement schema = database.prepare(
      "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' "
      "AND name != 'invocations' ORDER BY type, name");
  while (schema.step()) {
    dump += schema.text(0) + " " + schema.text(1) + ": " + schema.text(2) + "\n";
  }
  for (const auto& table : table_names(database)) {
    if (table == "invocations") {
      continue;
    }
    SqliteStatement count = database.prepare("SELECT * FROM " + quote_identifier(table));
    std::string order;
    for (int column = 1; column <= count.columns(); ++column) {
      order += (column == 1 ? "" : ", ") + std::to_string(column);
    }
    SqliteStatement rows =
        database.prepare("SELECT * FROM " + quote_identifier(table) + " ORDER BY " + order);
    dump += "== " + table + "\n";
    while (rows.step()) {
      for (int column = 0; column < rows.columns(); ++column) {
        // Type-tagged and exact, so 1 and 1.0 or NULL and '' never compare equal.
        if (rows.is_null(column)) {
          dump += "NULL";
        } else if (rows.is_integer(column)) {
          dump += "i" + std::to_string(rows.integer(column));
        } else if (rows.is_real(column)) {
          char buffer[40];
          std::snprintf(buffer, sizeof buffer, "r%.17g", rows.real(column));
          dump += buffer;
        } else {
          dump += "'" + rows.text(column) + "'";
        }
        dump += column + 1 < rows.columns() ? "|" : "\n";
      }
    }
  }
  return dump;
}

void export_sweep_csv(const std::filesystem::path& database_path,
                      const std::filesystem::path& directory) {
  SqliteDatabase database(database_path, SqliteDatabase::Mode::ReadOnly);
  StagedDirectory staged(directory, kSweepCsvFolder);
  for (const auto& table : table_names(database)) {
    const std::filesystem::path file = staged.staging() / (table + ".csv");
    std::FILE* stream = std::fopen(file.c_str(), "wb");
    if (stream == nullptr) {
      const int saved = errno;
      throw OutputError("cannot write '" + file.string() + "': " + std::strerror(saved), saved);
    }
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(stream, &std::fclose);
    SqliteStatement rows = database.prepare("SELECT * FROM " + quote_identifier(table));
    std::vector<std::string> fields(static_cast<std::size_t>(rows.columns()));
    for (int column = 0; column < rows.columns(); ++column) {
      fields[static_cast<std::size_t>(column)] = rows.column_name(column);
    }
    std::string buffer;
    append_csv_row(buffer, fields);
    const auto flush = [&] {
      if (std::fwrite(buffer.data(), 1, buffer.size(), stream) != buffer.size()) {
        const int saved = errno;
        throw OutputError("cannot write '" + file.string() + "': " + std::strerror(saved), saved);
      }
      buffer.clear();
    };
    while (rows.step()) {
      for (int column = 0; column < rows.columns(); ++column) {
        fields[static_cast<std::size_t>(column)] = format_value(rows, column);
      }
      append_csv_row(buffer, fields);
      if (buffer.size() > (1U << 20)) {
        flush();
      }
    }
    flush();
    if (std::fflush(stream) != 0 || ::fsync(::fileno(stream)) != 0) {
      const int saved = errno;
      throw OutputError("cannot write '" + file.string() + "': " + std::strerror(saved), saved);
    }
  }
  staged.commit();
}

}  // namespace multivector::results
