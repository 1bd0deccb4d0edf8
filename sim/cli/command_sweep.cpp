#include <atomic>
#include <csignal>
#include <filesystem>
#include <optional>
#include <thread>

#include "results/atomic_output.hpp"
#include "results/sqlite.hpp"
#include "results/sweep_database.hpp"
#include "results/sweep_executor.hpp"
#include "results/sweep_mpi.hpp"
#include "sim/cli/cli.hpp"
#include "sim/cli/progress_bar.hpp"
#include "sim/input_files.hpp"

namespace multivector::cli {
namespace {

constexpr const char* kSweepFooter =
    R"(Each run's seed is derived from the sweep seed and the run's index, so the results are the
same whatever --threads, whatever the number of MPI ranks, and however often the sweep was
interrupted and resumed. A run is written whole or not at all: after Ctrl-C, SIGTERM or kill -9,
repeat the command with --resume to run only what is missing.

Examples:
  multivector sweep --vary parameters.decision.leverage.RUS=0:2:0.25 --replications 20 \
      --decisions sample --db out/leverage.db
      9 values of Russia's leverage weight x 20 seeded replications on the built-in scenario
  multivector sweep --vary events.rus_note_hrc_2022_04_06.magnitude=0:1 \
      --vary countries.KAZ.exposure.RUS.transit=0.2:0.9 --design lhs --samples 500 \
      --db out/lhs.db --csv out/csv
      a 500-point Latin hypercube over two inputs, also exported as CSV tables
  multivector sweep --replications 1000 --decisions sample
      an ensemble: 1000 replications of the scenario as it is
  mpirun -np 4 multivector sweep ... --db out/big.db
      the same sweep spread over 4 MPI ranks (rank 0 writes the database)
  multivector sweep-summary out/leverage.db
      shares of each option with 95% intervals, and the parameters that matter most

PATH is any numeric input, named as for --set: countries.KAZ.exposure.RUS.transit,
events.ID.magnitude, parameters.decision.leverage.RUS, powers.RUS.capacity, ...
Tables: runs, votes, statements, country_outcomes, parameters, items, countries, manifest,
invocations (docs/sweeps.md describes every column). A sweep that would not fit on the disk
holding --db is refused before it starts; one that will add 1 GB or more says how much first.

Exit status: 0 success, 1 failure or interrupted (--resume continues), 2 bad input (scenario,
--vary, --set, a database of another sweep, an output that cannot be written or would not fit)
or usage.)";

struct SweepOptions {
  std::string scenario;
  std::vector<std::string> vary;
  std::string design = "grid";
  std::int64_t samples = 0;
  std::int64_t replications = 1;
  int threads = 0;
  std::string db;
  std::uint64_t seed = 0;
  std::string csv;
  bool resume = false;
  std::string decisions = "modal";
  ScenarioOptions scenario_options;
  CLI::Option* samples_option = nullptr;
  CLI::Option* seed_option = nullptr;
};

// From this size on, the database's expected growth is printed before the sweep starts.
constexpr double kLargeDatabaseBytes = 1e9;

// Everything validated before anything is written.
struct PreparedSweep {
  std::string scenario_path;
  sim::Scenario scenario;
  std::optional<sim::SweepDesign> design;
  sim::DecisionMode decisions = sim::DecisionMode::Modal;
  results::ManifestEntries manifest;
  std::filesystem::path database;
  results::SweepDatabaseCheck check;
  results::SweepDiskRoom disk_room;  // the estimated growth of the database, beside its free space
};

PreparedSweep prepare_sweep(const SweepOptions& options, bool check_database) {
  PreparedSweep prepared;
  prepared.scenario_path =
      options.scenario.empty() ? std::string(sim::kDefaultScenario) : options.scenario;
  prepared.scenario =
      sim::load_scenario(prepared.scenario_path, options.scenario_options.load_options());
  sim::SweepDesignOptions design;
  design.kind =
      options.design == "lhs" ? sim::SweepDesignKind::LatinHypercube : sim::SweepDesignKind::Grid;
  if (options.samples_option->count() > 0) {
    design.samples = options.samples;
  }
  design.replications = options.replications;
  design.seed = options.seed_option->count() > 0 ? options.seed : prepared.scenario.info.seed;
  prepared.design.emplace(prepared.scenario, options.vary, design);
  // The varied values replace a --set of the same input in every run, so that --set would be
  // recorded in the manifest without having changed anything.
  sim::Diagnostics conflicts;
  for (const auto& varied : prepared.design->inputs()) {
    for (const auto& assignment : options.scenario_options.overrides) {
      if (assignment.substr(0, assignment.find('=')) == varied.path) {
        conflicts.error(sim::SourceLocation{"--vary " + varied.spec, 0, 0},
                        varied.path + " is also given with --set " + assignment +
                            ", which the varied values would replace in every run; drop one "
                            "of the two");
      }
    }
  }
  conflicts.throw_if_any();
  prepared.decisions =
      options.decisions == "sample" ? sim::DecisionMode::Sample : sim::DecisionMode::Modal;
  results::check_sweep_table_widths(prepared.scenario, *prepared.design);
  prepared.manifest = results::sweep_manifest(prepared.scenario, prepared.scenario_path,
                                              *prepared.design, prepared.decisions);
  prepared.database = options.db.empty()
                          ? std::filesystem::path("out") / (prepared.scenario.info.id + "-sweep.db")
                          : std::filesystem::path(options.db);
  if (!options.csv.empty()) {
    // Checked before the sweep, not after it: a folder of other files is never replaced.
    results::check_replaceable_directory(
        options.csv, results::kSweepCsvFolder,
        scenario_input_paths(prepared.scenario, {prepared.database.string()}));
  }
  if (check_database) {
    prepared.check =
        results::check_sweep_database(prepared.database, prepared.manifest, options.resume);
    // A mistyped STEP (0.0001 for 0.1) plans millions of runs: refused now if they would fill
    // the disk, rather than when the disk is full.
    // A new database's own pages count too: on a nearly full disk they alone can fill it.
    const double fixed_bytes =
        prepared.check.exists ? 0.0 : results::estimated_new_database_bytes(prepared.manifest);
    prepared.disk_room = results::check_sweep_disk_space(
        prepared.database, prepared.design->runs() - prepared.check.finished_runs,
        results::estimated_bytes_per_run(prepared.scenario, *prepared.design), fixed_bytes);
  }
  return prepared;
}

// What must be equal on every rank for the ranks to compute the same runs.
std::string sweep_fingerprint(const results::ManifestEntries& manifest) {
  std::string fingerprint;
  for (const auto& [key, value] : manifest) {
    if (results::manifest_key_must_match(key)) {
      fingerprint += key + "=" + value + "\n";
    }
  }
  return fingerprint;
}

// SIGINT and SIGTERM ask the sweep to stop after the runs in progress; a second signal of the
// same kind ends the program at once (SA_RESETHAND), which is safe too: runs are transactional.
std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int /*signal*/) {
  stop_requested.store(true);
}

class StopOnSignals {
 public:
  StopOnSignals() {
    stop_requested.store(false);
    struct sigaction action = {};
    action.sa_handler = &request_stop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &previous_interrupt_);
    sigaction(SIGTERM, &action, &previous_terminate_);
  }
  ~StopOnSignals() {
    sigaction(SIGINT, &previous_interrupt_, nullptr);
    sigaction(SIGTERM, &previous_terminate_, nullptr);
  }
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  struct sigaction previous_interrupt_ = {};
  struct sigaction previous_terminate_ = {};
};

void print_errors(CliContext& context, const std::vector<sim::Diagnostic>& diagnostics) {
  for (const auto& diagnostic : diagnostics) {
    context.err << diagnostic.to_string() << "\n";
  }
}

// Rank 0, or the only process: owns the database.
int run_as_writer(CliContext& context, const SweepOptions& options, PreparedSweep& prepared,
                  int threads, const results::MpiSession* mpi) {
  const sim::SweepDesign& design = *prepared.design;
  const int ranks = mpi != nullptr ? mpi->size() : 1;
  const bool verbose = context.log->level() <= spdlog::level::info;
  std::unique_ptr<results::SweepDatabase> database;
  int status = kExitSuccess;
  try {
    database = std::make_unique<results::SweepDatabase>(
        prepared.database, prepared.scenario, design, prepared.manifest,
        results::InvocationInfo{context.arguments, threads, ranks});
  } catch (const results::OutputError& error) {
    context.err << "multivector: error: " << error.what() << "\n";
    status = error.failed_while_running() ? kExitFailure : kExitBadInput;
  } catch (const std::exception& error) {
    context.err << "multivector: error: " << error.what() << "\n";
    status = kExitFailure;
  }
  if (mpi != nullptr) {
    status = mpi->agree(status);
  }
  if (status != kExitSuccess) {
    return status;
  }

  const results::FinishedRuns finished =
      prepared.check.finished_runs > 0 ? database->finished_runs() : results::FinishedRuns();
  if (verbose && finished.count() > 0) {
    context.err << "resuming: " << format_count(finished.count()) << " of "
                << format_count(design.runs()) << " runs already in " << prepared.database.string()
                << "\n";
  }
  // Said before a large sweep starts, so that a size nobody meant is stopped at once.
  if (verbose && prepared.disk_room.needed_bytes >= kLargeDatabaseBytes) {
    context.err << "sweep: " << format_count(design.runs() - finished.count())
                << " runs will add about " << results::format_size(prepared.disk_room.needed_bytes)
                << " to " << prepared.database.string() << "\n";
  }
  // Not refused, since the estimate fits; but it can be a fifth short, and a full disk stops
  // every program writing to it.
  if (prepared.disk_room.tight()) {
    context.log->warn(
        "the sweep will write about {} to {}, and its disk has {} free: the estimate can be a "
        "fifth short, so the disk may fill. If it does, the sweep stops and keeps the runs it "
        "finished; free some space and repeat the command with --resume",
        results::format_size(prepared.disk_room.needed_bytes), prepared.database.string(),
        results::format_size(static_cast<double>(*prepared.disk_room.free_bytes)));
  }
  // Modal decisions are the same in every replication of a point but for the seeded retaliation
  // draws, so the replications are mostly copies, and sweep-summary would count them as draws.
  if (prepared.decisions == sim::DecisionMode::Modal && design.options().replications > 1) {
    context.log->warn(
        "with --decisions modal, the {} replications of each point differ only through the "
        "seeded retaliation draws, so most are copies of one run, and sweep-summary's intervals, "
        "which count runs as independent draws, come out too narrow: add --decisions sample for "
        "an ensemble, or use --replications 1",
        design.options().replications);
  }
  std::unique_ptr<results::RemoteRanks> remote;
  if (mpi != nullptr && mpi->size() > 1) {
    remote = mpi->remote_ranks(threads);
  }
  ProgressBar bar(context.err, verbose && context.stderr_is_terminal, "runs");
  results::SweepExecution execution;
  execution.threads = threads;
  execution.stop = &stop_requested;
  execution.remote = remote.get();
  execution.progress = [&bar](const results::SweepProgress& progress) {
    bar.update(progress.finished, progress.total, progress.written_now, progress.seconds);
  };
  results::SweepResult result;
  try {
    StopOnSignals signals;
    result =
        results::execute_sweep(prepared.scenario, design, prepared.decisions, finished, execution,
                               [&](const results::OutcomeChunk& chunk) { database->write(chunk); });
    bar.finish();
    database->finish(result.complete);
  } catch (const results::SqliteError& error) {
    // A full disk or a database another process holds: what was committed stays; --resume
    // continues once the cause is gone.
    bar.finish();
    context.err << "multivector: error: cannot write " << prepared.database.string() << ": "
                << error.what()
                << "\nmultivector: the runs written before this are kept; once the cause is gone "
                   "(free some space, or stop the program that holds the database), repeat the "
                   "command with --resume to run the rest\n";
    if (mpi != nullptr && mpi->size() > 1) {
      mpi->abort(kExitFailure);  // the other ranks would wait for work forever
    }
    return kExitFailure;
  }
  database.reset();

  const std::int64_t in_database = finished.count() + result.written;
  const double rate = result.seconds > 0 ? static_cast<double>(result.written) / result.seconds : 0;
  if (verbose) {
    context.err << "sweep: " << results::counted(result.written, "run", "runs") << " in "
                << format_duration(result.seconds) << " (" << format_count(std::llround(rate))
                << " runs/s, " << threads << (threads == 1 ? " thread" : " threads");
    if (ranks > 1) {
      context.err << " x " << ranks << " ranks";
    }
    context.err << "), " << format_count(result.failed) << " failed; " << format_count(in_database)
                << "/" << format_count(design.runs()) << " runs in " << prepared.database.string()
                << "\n";
  }
  if (!result.complete) {
    context.err << "multivector: interrupted: " << format_count(in_database) << " of "
                << format_count(design.runs()) << " runs are in " << prepared.database.string()
                << "; repeat the command with --resume to finish the sweep\n";
    return kExitFailure;
  }
  if (!options.csv.empty()) {
    results::export_sweep_csv(prepared.database, options.csv);
  }
  context.out << "wrote " << prepared.database.string() << " ("
              << results::counted(design.runs(), "run", "runs");
  if (result.failed > 0) {
    context.out << ", " << format_count(result.failed) << " failed: see runs.error";
  }
  context.out << ")";
  if (!options.csv.empty()) {
    context.out << " and " << options.csv << "/*.csv";
  }
  context.out << "\nsummarise it with: multivector sweep-summary " << prepared.database.string()
              << "\n";
  return kExitSuccess;
}

int run_sweep(CliContext& context, const SweepOptions& options) {
  const int launched = results::launched_ranks();
  std::unique_ptr<results::MpiSession> mpi;
  if (launched > 1) {
    if (!results::mpi_supported()) {
      context.err << "multivector: error: started by mpirun with " << launched
                  << " ranks, but this multivector was built without MPI (install "
                     "libopenmpi-dev and rebuild)\n";
      return kExitBadInput;
    }
    mpi = std::make_unique<results::MpiSession>();
  }
  const int rank = mpi != nullptr ? mpi->rank() : 0;
  // One thread per core by default; under MPI one per rank (start one rank per core).
  const int threads =
      options.threads > 0
          ? options.threads
          : (mpi != nullptr ? 1
                            : static_cast<int>(std::max(1U, std::thread::hardware_concurrency())));

  // Every rank validates the same inputs; rank 0 also checks the database.
  int status = kExitSuccess;
  PreparedSweep prepared;
  std::vector<sim::Diagnostic> errors;
  try {
    prepared = prepare_sweep(options, rank == 0);
  } catch (const sim::InputError& error) {
    errors = error.diagnostics();
    status = kExitBadInput;
  }
  if (rank == 0) {
    print_errors(context, errors);
  }
  if (mpi != nullptr) {
    // Ranks on other machines must see the same scenario files and options as rank 0. When rank
    // 0 has already reported a problem, the others keep quiet rather than repeat it.
    const std::string own =
        status == kExitSuccess ? sweep_fingerprint(prepared.manifest) : std::string();
    const std::string root = mpi->broadcast(own);
    if (rank != 0 && !root.empty()) {
      if (status != kExitSuccess) {
        context.err << "rank " << rank << ":\n";
        print_errors(context, errors);
      } else if (own != root) {
        context.err << "multivector: error: rank " << rank
                    << " sees different scenario files or options from rank 0\n";
        status = kExitBadInput;
      }
    }
    status = mpi->agree(status);
  }
  if (status != kExitSuccess) {
    return status;
  }

  if (rank == 0) {
    try {
      return run_as_writer(context, options, prepared, threads, mpi.get());
    } catch (...) {
      if (mpi == nullptr) {
        throw;
      }
      context.err << "multivector: error: rank 0 failed; stopping every rank\n";
      mpi->abort(kExitFailure);
    }
  }
  if (mpi->agree(kExitSuccess) != kExitSuccess) {
    return kExitFailure;  // rank 0 could not open the database and has said why
  }
  try {
    mpi->serve(prepared.scenario, *prepared.design, prepared.decisions, threads,
               results::kSweepChunkRuns);
  } catch (const std::exception& error) {
    context.err << "multivector: error: rank " << rank << ": " << error.what() << "\n";
    mpi->abort(kExitFailure);
  }
  return kExitSuccess;
}

}  // namespace

void add_sweep_command(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<SweepOptions>();
  CLI::App* command = app.add_subcommand(
      "sweep",
      "Run a scenario many times over a grid or Latin hypercube of inputs, with replications, "
      "on threads or MPI ranks, into a SQLite database");
  command->footer(kSweepFooter);
  command->add_option("scenario", options->scenario,
                      "Scenario YAML (default: the built-in central_asia_2022.yaml)");
  command
      ->add_option("--vary", options->vary,
                   "PATH=LO:HI[:STEP]: vary a numeric input from LO to HI; a grid takes every "
                   "STEP, a Latin hypercube samples the range (repeatable)")
      ->allow_extra_args(false);
  command
      ->add_option("--design", options->design,
                   "grid (every combination) or lhs (a Latin hypercube of --samples points)")
      ->check(CLI::IsMember({"grid", "lhs"}));
  options->samples_option =
      command->add_option("--samples", options->samples, "Points of a Latin hypercube design");
  command->add_option("--replications", options->replications,
                      "Runs per point, each with its own seed (default 1)");
  command
      ->add_option("--threads", options->threads,
                   "Worker threads (default: one per core; under mpirun: 1 per rank)")
      ->check(CLI::Range(1, 4096));
  command->add_option("--db", options->db,
                      "SQLite database to write (default out/<scenario-id>-sweep.db)");
  options->seed_option = command
                             ->add_option("--seed", options->seed,
                                          "Sweep seed, from which every run's seed is derived "
                                          "(default: the scenario's seed)")
                             ->check(whole_number());
  command->add_option("--csv", options->csv,
                      "Also export every table as DIR/<table>.csv when the sweep completes");
  command->add_flag("--resume", options->resume,
                    "Continue the sweep in --db: skip finished runs, run the rest");
  command
      ->add_option("--decisions", options->decisions,
                   "modal: each country takes its most likely option; sample: a seeded draw "
                   "from the choice probabilities (what replications are for)")
      ->check(CLI::IsMember({"modal", "sample"}));
  options->scenario_options.add_to(*command);

  command->callback([&context, options] {
    context.action = [&context, options]() -> int { return run_sweep(context, *options); };
  });
}

}  // namespace multivector::cli
