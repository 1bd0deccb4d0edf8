// The sweep database: schema, manifest, resume checks, CSV export and the comparison dump.
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "../sweep_test_support.hpp"
#include "results/csv.hpp"
#include "results/run_writer.hpp"
#include "results/sqlite.hpp"
#include "results/sweep_database.hpp"
#include "results/text_format.hpp"

using namespace multivector;
using multivector::testing::SmallSweep;
using multivector::testing::TemporaryDirectory;

namespace {

std::int64_t count_rows(const std::filesystem::path& database, const std::string& sql) {
  results::SqliteDatabase reader(database, results::SqliteDatabase::Mode::ReadOnly);
  return std::stoll(reader.query_text(sql).value());
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream stream(path);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::string input_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const sim::InputError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a sweep database holds every run whole, with its outcomes and manifest") {
  TemporaryDirectory directory;
  const SmallSweep sweep(2);
  const auto database = directory / "sweep.db";
  REQUIRE(sweep.run(database, 2).complete);

  const auto& scenario = multivector::testing::default_scenario();
  const std::int64_t runs = sweep.design.runs();
  REQUIRE(runs == std::int64_t{5} * 3 * 2);
  CHECK(count_rows(database, "SELECT count(*) FROM runs WHERE status = 'done'") == runs);
  CHECK(count_rows(database, "SELECT count(*) FROM votes") == runs * 5 * 5);
  CHECK(count_rows(database, "SELECT count(*) FROM statements") == runs * 5);
  CHECK(count_rows(database, "SELECT count(*) FROM country_outcomes") ==
        runs * static_cast<std::int64_t>(scenario.countries.size()));
  // Probabilities of every decision sum to one; statements fill only their own options.
  CHECK(count_rows(database,
                   "SELECT count(*) FROM votes WHERE abs(p_Y + p_N + p_A + p_NV - 1) "
                   "> 1e-12") == 0);
  CHECK(count_rows(database,
                   "SELECT count(*) FROM statements WHERE abs(p_support_territorial_integrity "
                   "+ p_silence + p_endorse_russia - 1) > 1e-12") == 0);
  // The parameter columns hold the design's values, and the seeds its derived seeds.
  CHECK(count_rows(database,
                   "SELECT count(DISTINCT \"parameters.decision.leverage.RUS\") FROM "
                   "runs") == 5);
  CHECK(count_rows(database, "SELECT seed FROM runs WHERE run_id = 7") ==
        static_cast<std::int64_t>(sweep.design.run(7).seed));
  CHECK(count_rows(database,
                   "SELECT count(*) FROM country_outcomes WHERE "
                   "mean_leverage_RUS IS NULL OR costs_borne_CHN IS NULL") == 0);
  // Indexes for the usual queries exist.
  CHECK(count_rows(database,
                   "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name "
                   "= 'votes_by_item'") == 1);

  results::SqliteDatabase reader(database, results::SqliteDatabase::Mode::ReadOnly);
  const auto manifest = results::read_manifest(reader);
  CHECK(results::manifest_value(manifest, "runs") == std::to_string(runs));
  CHECK(results::manifest_value(manifest, "program_version") == results::program_version());
  CHECK_THAT(results::manifest_value(manifest, "scenario_sha256"),
             Catch::Contains(scenario.files.front().sha256));
  CHECK_THAT(results::manifest_value(manifest, "sweep_command"),
             Catch::StartsWith("multivector sweep builtin:test --vary "
                               "parameters.decision.leverage.RUS=0:2:0.5"));
  CHECK(reader.query_text("SELECT outcome FROM invocations").value() == "complete");
  // A finished database is one file: the write-ahead log has been folded back.
  CHECK_FALSE(std::filesystem::exists(directory / "sweep.db-wal"));
}

TEST_CASE("an existing database is only continued with --resume, and only for the same sweep") {
  TemporaryDirectory directory;
  const SmallSweep sweep(1);
  const auto database = directory / "sweep.db";
  CHECK_FALSE(results::check_sweep_database(database, sweep.manifest, false).exists);
  REQUIRE(sweep.run(database, 1).complete);

  CHECK_THAT(input_error([&] {
               static_cast<void>(results::check_sweep_database(database, sweep.manifest, false));
             }),
             Catch::Contains("already exists: add --resume"));
  const auto check = results::check_sweep_database(database, sweep.manifest, true);
  CHECK(check.exists);
  CHECK(check.finished_runs == sweep.design.runs());

  // A file of another kind is named so, with or without --resume, not by SQLite's error.
  const auto table = directory / "votes.csv";
  { std::ofstream(table) << "resolution,date,iso3,vote\n"; }
  for (const bool resume : {false, true}) {
    CHECK_THAT(input_error([&] {
                 static_cast<void>(results::check_sweep_database(table, sweep.manifest, resume));
               }),
               Catch::Contains("is not a sweep database (not an SQLite file at all)"));
  }

  // A different seed is a different sweep: refused, naming what differs.
  results::ManifestEntries other = sweep.manifest;
  for (auto& [key, value] : other) {
    if (key == "seed") {
      value = "12";
    }
  }
  CHECK_THAT(
      input_error([&] { static_cast<void>(results::check_sweep_database(database, other, true)); }),
      Catch::Contains("holds a different sweep") &&
          Catch::Contains("seed: '11' in the database, '12' now"));

  // A file that is not a sweep database is refused too.
  const auto stranger = directory / "other.db";
  {
    results::SqliteDatabase foreign(stranger, results::SqliteDatabase::Mode::ReadWriteCreate);
    foreign.execute("CREATE TABLE t(x)");
  }
  // With or without --resume: "add --resume" used to be the advice without it, and led only to
  // this error.
  for (const bool resume : {false, true}) {
    CHECK_THAT(input_error([&] {
                 static_cast<void>(results::check_sweep_database(stranger, sweep.manifest, resume));
               }),
               Catch::Contains("'" + stranger.string() +
                               "' is not a multivector sweep database; choose another --db"));
  }
  // An empty file (a sweep killed before its schema was committed) is started afresh with
  // --resume, and said to be empty without it rather than to hold a sweep to continue.
  const auto empty = directory / "empty.db";
  { std::ofstream{empty}; }
  CHECK_THAT(input_error([&] {
               static_cast<void>(results::check_sweep_database(empty, sweep.manifest, false));
             }),
             Catch::Contains("'" + empty.string() +
                             "' already exists and is empty (a sweep killed before it began?): "
                             "add --resume to start it there, or choose another --db"));
  CHECK_FALSE(results::check_sweep_database(empty, sweep.manifest, true).exists);
  const auto text = directory / "notes.txt";
  std::ofstream(text) << "not a database at all";
  CHECK_THAT(input_error([&] {
               static_cast<void>(results::check_sweep_database(text, sweep.manifest, true));
             }),
             Catch::Contains("not an SQLite file at all"));
}

TEST_CASE("a failed run is recorded with its error and no outcome rows") {
  TemporaryDirectory directory;
  const SmallSweep sweep(1);
  const auto database = directory / "sweep.db";
  {
    results::SweepDatabase writer(database, multivector::testing::default_scenario(), sweep.design,
                                  sweep.manifest, results::InvocationInfo{{"test"}, 1, 1});
    results::SweepWorker worker(multivector::testing::default_scenario(), sweep.design,
                                sim::DecisionMode::Sample);
    results::OutcomeChunk chunk;
    chunk.runs.resize(2);
    worker.run(0, chunk.runs[0]);
    worker.run(1, chunk.runs[1]);
    chunk.runs[1].failed = true;
    chunk.runs[1].error = "engine exploded";
    chunk.runs[1].decisions.clear();
    chunk.runs[1].probabilities.clear();
    chunk.runs[1].countries.clear();
    chunk.runs[1].powers.clear();
    writer.write(chunk);
    writer.finish(false);
  }
  results::SqliteDatabase reader(database, results::SqliteDatabase::Mode::ReadOnly);
  CHECK(reader.query_text("SELECT status || ':' || error FROM runs WHERE run_id = 1").value() ==
        "failed:engine exploded");
  CHECK(reader.query_text("SELECT error IS NULL FROM runs WHERE run_id = 0").value() == "1");
  CHECK(count_rows(database, "SELECT count(*) FROM votes WHERE run_id = 1") == 0);
  CHECK(count_rows(database, "SELECT count(*) FROM votes WHERE run_id = 0") == 25);
  CHECK(reader.query_text("SELECT outcome FROM invocations").value() == "interrupted");
  // Resuming counts a failed run as finished: it would fail the same way again.
  CHECK(results::check_sweep_database(database, sweep.manifest, true).finished_runs == 2);
}

TEST_CASE("an invocation counts its runs as they are committed, and a killed one is named so") {
  TemporaryDirectory directory;
  const SmallSweep sweep(1);
  const auto database = directory / "sweep.db";
  results::SweepWorker worker(multivector::testing::default_scenario(), sweep.design,
                              sim::DecisionMode::Sample);
  {
    results::SweepDatabase writer(database, multivector::testing::default_scenario(), sweep.design,
                                  sweep.manifest, results::InvocationInfo{{"test"}, 1, 1});
    results::OutcomeChunk chunk;
    chunk.runs.resize(2);
    worker.run(0, chunk.runs[0]);
    worker.run(1, chunk.runs[1]);
    writer.write(chunk);
    // What a reader sees while the sweep runs, and what kill -9 would leave at this point.
    CHECK(count_rows(database, "SELECT runs_written FROM invocations") == 2);
    CHECK(count_rows(database, "SELECT count(*) FROM invocations WHERE outcome = 'running'") == 1);
    writer.finish(false);
  }
  {
    // As kill -9 leaves it: the invocation never said how it ended.
    results::SqliteDatabase editor(database, results::SqliteDatabase::Mode::ReadWriteCreate);
    editor.execute("UPDATE invocations SET outcome = 'running', finished_at = NULL");
  }
  {
    const results::SweepDatabase resumed(database, multivector::testing::default_scenario(),
                                         sweep.design, sweep.manifest,
                                         results::InvocationInfo{{"test", "--resume"}, 1, 1});
  }
  CHECK(count_rows(database,
                   "SELECT count(*) FROM invocations WHERE invocation = 1 AND "
                   "outcome = 'killed' AND runs_written = 2") == 1);
}

TEST_CASE("every table exports as a CSV file with a header row") {
  TemporaryDirectory directory;
  const SmallSweep sweep(1);
  const auto database = directory / "sweep.db";
  REQUIRE(sweep.run(database, 1).complete);
  results::export_sweep_csv(database, directory / "csv");
  for (const char* table : {"runs", "votes", "statements", "country_outcomes", "parameters",
                            "items", "countries", "manifest", "invocations"}) {
    const auto file = directory / "csv" / (std::string(table) + ".csv");
    REQUIRE(std::filesystem::exists(file));
    std::vector<results::CsvRecord> records;
    std::string error;
    std::size_t error_line = 0;
    REQUIRE(results::parse_csv(read_text(file), records, error, error_line));
    CHECK(static_cast<std::int64_t>(records.size()) ==
          1 + count_rows(database, "SELECT count(*) FROM " + std::string(table)));
    for (const auto& record : records) {
      CHECK(record.fields.size() == records.front().fields.size());
    }
  }
  const std::string votes = read_text(directory / "csv" / "votes.csv");
  CHECK_THAT(votes, Catch::StartsWith("run_id,item,country,realised,modal,p_Y,p_N,p_A,p_NV\n"));
  const std::string runs = read_text(directory / "csv" / "runs.csv");
  CHECK_THAT(runs, Catch::StartsWith("run_id,point,replication,seed,status,error,"
                                     "parameters.decision.leverage.RUS,"));
}

TEST_CASE("the comparison dump sees contents, not how the sweep was executed") {
  TemporaryDirectory directory;
  const SmallSweep sweep(1);
  REQUIRE(sweep.run(directory / "a.db", 1).complete);
  REQUIRE(sweep.run(directory / "b.db", 3).complete);
  const std::string dump = results::dump_sweep_tables(directory / "a.db");
  CHECK(dump == results::dump_sweep_tables(directory / "b.db"));
  CHECK_THAT(dump, !Catch::Contains("== invocations"));
  CHECK_THAT(dump, Catch::Contains("== votes"));
  // A single changed value shows.
  {
    results::SqliteDatabase writer(directory / "b.db",
                                   results::SqliteDatabase::Mode::ReadWriteCreate);
    writer.execute("UPDATE votes SET p_Y = p_Y + 1e-15 WHERE rowid = 3");
  }
  CHECK(dump != results::dump_sweep_tables(directory / "b.db"));
}

TEST_CASE("the estimated size of a run is within a fifth of what the database grows by") {
  TemporaryDirectory directory;
  const SmallSweep sweep(100);  // 1,500 runs: the schema's own pages are lost in the rounding
  const auto database = directory / "sweep.db";
  REQUIRE(sweep.run(database, 2).complete);
  const double per_run = static_cast<double>(std::filesystem::file_size(database)) /
                         static_cast<double>(sweep.design.runs());
  const double estimate =
      results::estimated_bytes_per_run(multivector::testing::default_scenario(), sweep.design);
  INFO("measured " << per_run << " bytes a run, estimated " << estimate);
  CHECK(estimate > 0.8 * per_run);
  CHECK(estimate < 1.25 * per_run);
}

TEST_CASE("a small sweep's estimate counts the pages a new database takes before its runs") {
  // Fifteen runs add about 50 KB to a database whose own tables and indexes already take 256 KiB:
  // without them the estimate was a sixth of the file, and a nearly full disk passed the check.
  TemporaryDirectory directory;
  const SmallSweep sweep(1);
  const auto database = directory / "sweep.db";
  REQUIRE(sweep.run(database, 1).complete);
  const auto measured = static_cast<double>(std::filesystem::file_size(database));
  const double estimate =
      results::estimated_new_database_bytes(sweep.manifest) +
      static_cast<double>(sweep.design.runs()) *
          results::estimated_bytes_per_run(multivector::testing::default_scenario(), sweep.design);
  INFO("measured " << measured << " bytes, estimated " << estimate);
  CHECK(estimate > 0.8 * measured);
  CHECK(estimate < 1.25 * measured);
  CHECK(results::check_sweep_disk_space(database, 10, 1000, 5000).needed_bytes == 15'000.0);
}

TEST_CASE("a sweep that would not fit on its disk is refused before anything is written") {
  TemporaryDirectory directory;
  const auto database = directory / "sub" / "sweep.db";
  // No disk holds a billion runs of a terabyte each.
  CHECK_THROWS_WITH(results::check_sweep_disk_space(database, 1'000'000'000, 1e12),
                    Catch::Contains("the sweep would write about 1000000000 TB") &&
                        Catch::Contains("1,000,000,000 runs of about 1.0 TB each") &&
                        Catch::Contains("give --db a disk with room"));
  const auto room = results::check_sweep_disk_space(database, 10, 1000);
  CHECK(room.needed_bytes == 10'000.0);
  CHECK_FALSE(room.tight());
  CHECK_FALSE(std::filesystem::exists(directory / "sub"));
  CHECK(results::format_size(999) == "999 bytes");
  CHECK(results::format_size(3'419) == "3.4 KB");
  CHECK(results::format_size(33e9) == "33 GB");
}

TEST_CASE("a sweep whose estimate fits with less than its possible shortfall to spare is tight") {
  // The estimate can be a fifth short, so the real size can reach 1.25 times it.
  CHECK(results::SweepDiskRoom{90.0, 100}.tight());
  CHECK(results::SweepDiskRoom{80.5, 100}.tight());
  CHECK_FALSE(results::SweepDiskRoom{79.5, 100}.tight());
  CHECK_FALSE(results::SweepDiskRoom{90.0, std::nullopt}.tight());  // free space unknown
}
