#include "results/sweep_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>

#include "results/atomic_output.hpp"
#include "results/csv.hpp"
#include "results/run_writer.hpp"
#include "results/text_format.hpp"

namespace multivector::results {

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t left, std::size_t right) {
    return values[left] < values[right];
  });
  std::vector<double> ranks(values.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]]) {
      ++end;
    }
    const double rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t position = start; position < end; ++position) {
      ranks[order[position]] = rank;
    }
    start = end;
  }
  return ranks;
}

double correlation(const std::vector<double>& left, const std::vector<double>& right) {
  const std::size_t n = std::min(left.size(), right.size());
  if (n < 2) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const auto end = static_cast<std::ptrdiff_t>(n);
  const double mean_left =
      std::accumulate(left.begin(), left.begin() + end, 0.0) / static_cast<double>(n);
  const double mean_right =
      std::accumulate(right.begin(), right.begin() + end, 0.0) / static_cast<double>(n);
  double covariance = 0.0;
  double variance_left = 0.0;
  double variance_right = 0.0;
  for (std::size_t index = 0; index < n; ++index) {
    const double a = left[index] - mean_left;
    const double b = right[index] - mean_right;
    covariance += a * b;
    variance_left += a * a;
    variance_right += b * b;
  }
  if (variance_left <= 0.0 || variance_right <= 0.0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return covariance / std::sqrt(variance_left * variance_right);
}

namespace {

std::vector<std::string> split_options(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(';', begin), text.size());
    parts.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

struct ItemRow {
  std::string id;
  std::string kind;
  std::string date;
  std::vector<std::string> options;
};

// Runs that finished, with each varied parameter's values and ranks in run order.
struct ParameterRanks {
  std::vector<std::int64_t> runs;
  std::vector<std::vector<double>> values;  // per parameter
  std::vector<std::vector<double>> ranks;   // per parameter
};

ParameterRanks read_parameters(SqliteDatabase& database, const std::vector<std::string>& paths) {
  ParameterRanks parameters;
  std::string sql = "SELECT run_id";
  for (const auto& path : paths) {
    sql += ", " + quote_identifier(path);
  }
  sql += " FROM runs WHERE status = 'done' ORDER BY run_id";
  SqliteStatement select = database.prepare(sql);
  parameters.values.resize(paths.size());
  while (select.step()) {
    parameters.runs.push_back(select.integer(0));
    for (std::size_t parameter = 0; parameter < paths.size(); ++parameter) {
      parameters.values[parameter].push_back(select.real(static_cast<int>(parameter) + 1));
    }
  }
  for (const auto& values : parameters.values) {
    parameters.ranks.push_back(average_ranks(values));
  }
  return parameters;
}

void add_sensitivities(SqliteDatabase& database, const ItemRow& item, const std::string& country,
                       const std::string& table, const std::vector<std::string>& paths,
                       const ParameterRanks& parameters, std::vector<Sensitivity>& out) {
  std::string sql = "SELECT run_id";
  for (const auto& option : item.options) {
    sql += ", " + quote_identifier("p_" + option);
  }
  sql += " FROM " + table + " WHERE item = ? AND country = ? ORDER BY run_id";
  SqliteStatement select = database.prepare(sql);
  select.bind(1, std::string_view(item.id)).bind(2, std::string_view(country));
  // Only runs that finished count; match them against the parameter table by run id.
  std::vector<std::size_t> positions;
  std::vector<std::vector<double>> probabilities(item.options.size());
  std::size_t cursor = 0;
  while (select.step()) {
    const std::int64_t run = select.integer(0);
    while (cursor < parameters.runs.size() && parameters.runs[cursor] < run) {
      ++cursor;
    }
    if (cursor == parameters.runs.size() || parameters.runs[cursor] != run) {
      continue;
    }
    positions.push_back(cursor);
    for (std::size_t option = 0; option < item.options.size(); ++option) {
      probabilities[option].push_back(select.real(static_cast<int>(option) + 1));
    }
  }
  const bool every_run = positions.size() == parameters.runs.size();
  std::vector<std::vector<double>> parameter_ranks;
  for (std::size_t parameter = 0; parameter < paths.size(); ++parameter) {
    if (every_run) {
      parameter_ranks.push_back(parameters.ranks[parameter]);
      continue;
    }
    std::vector<double> subset;
    subset.reserve(positions.size());
    for (const std::size_t position : positions) {
      subset.push_back(parameters.values[parameter][position]);
    }
    parameter_ranks.push_back(average_ranks(subset));
  }
  for (std::size_t option = 0; option < item.options.size(); ++option) {
    const std::vector<double> ranks = average_ranks(probabilities[option]);
    const auto [lowest, highest] =
        std::minmax_element(probabilities[option].begin(), probabilities[option].end());
    const double range = lowest == probabilities[option].end() ? 0.0 : *highest - *lowest;
    std::vector<Sensitivity> rows;
    for (std::size_t parameter = 0; parameter < paths.size(); ++parameter) {
      rows.push_back(Sensitivity{item.id, country, item.options[option], paths[parameter],
                                 correlation(parameter_ranks[parameter], ranks), 0, range});
    }
    // Strongest first; a parameter that does not move the option at all (NaN) comes last.
    std::stable_sort(
        rows.begin(), rows.end(), [](const Sensitivity& left, const Sensitivity& right) {
          const double a = std::isnan(left.spearman) ? -1.0 : std::abs(left.spearman);
          const double b = std::isnan(right.spearman) ? -1.0 : std::abs(right.spearman);
          return a > b;
        });
    for (std::size_t rank = 0; rank < rows.size(); ++rank) {
      rows[rank].rank = static_cast<int>(rank) + 1;
      out.push_back(rows[rank]);
    }
  }
}

std::string percent(double share) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f", 100.0 * share);
  return buffer;
}

}  // namespace

SweepSummary summarise_sweep(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw sim::InputError(sim::SourceLocation{path.string(), 0, 0},
                          "a directory, not a sweep database (the file `multivector sweep --db` "
                          "wrote)");
  }
  if (!std::filesystem::is_regular_file(path, error)) {
    throw sim::InputError(sim::SourceLocation{path.string(), 0, 0}, "no such sweep database");
  }
  if (!has_sqlite_header(path)) {
    throw sim::InputError(sim::SourceLocation{path.string(), 0, 0},
                          "not a sweep database: not an SQLite file at all (give the file "
                          "`multivector sweep --db` wrote)");
  }
  SweepSummary summary;
  summary.database = path.string();
  try {
    SqliteDatabase database(path, SqliteDatabase::Mode::ReadOnly);
    if (!database.has_table("manifest") || !database.has_table("votes")) {
      throw sim::InputError(sim::SourceLocation{path.string(), 0, 0},
                            "not a multivector sweep database (no manifest or votes table)");
    }
    summary.manifest = read_manifest(database);
    summary.runs = std::stoll(manifest_value(summary.manifest, "runs"));
    SqliteStatement statuses =
        database.prepare("SELECT status, count(*) FROM runs GROUP BY status");
    while (statuses.step()) {
      (statuses.text(0) == "done" ? summary.done : summary.failed) = statuses.integer(1);
    }
    SqliteStatement points =
        database.prepare("SELECT count(DISTINCT point) FROM runs WHERE status = 'done'");
    if (points.step()) {
      summary.points_done = points.integer(0);
    }
    SqliteStatement parameters = database.prepare("SELECT path FROM parameters ORDER BY parameter");
    while (parameters.step()) {
      summary.parameters.push_back(parameters.text(0));
    }
    const ParameterRanks ranks = read_parameters(database, summary.parameters);

    std::vector<ItemRow> items;
    SqliteStatement select_items =
        database.prepare("SELECT item, kind, date, options FROM items ORDER BY date, item");
    while (select_items.step()) {
      items.push_back(ItemRow{select_items.text(0), select_items.text(1), select_items.text(2),
                              split_options(select_items.text(3))});
    }
    for (const auto& item : items) {
      const std::string table = item.kind == "vote" ? "votes" : "statements";
      std::string sql = "SELECT country, count(*)";
      for (const auto& option : item.options) {
        sql += ", sum(realised = ?), avg(" + quote_identifier("p_" + option) + ")";
      }
      // Failed runs have no outcome rows, so every row here belongs to a finished run.
      sql += " FROM " + table + " WHERE item = ? GROUP BY country ORDER BY country";
      SqliteStatement select = database.prepare(sql);
      int parameter = 1;
      for (const auto& option : item.options) {
        select.bind(parameter++, std::string_view(option));
      }
      select.bind(parameter, std::string_view(item.id));
      std::vector<std::string> countries;
      while (select.step()) {
        const std::string country = select.text(0);
        const std::int64_t runs = select.integer(1);
        countries.push_back(country);
        for (std::size_t option = 0; option < item.options.size(); ++option) {
          const int column = 2 + 2 * static_cast<int>(option);
          OptionShare share;
          share.item = item.id;
          share.kind = item.kind;
          share.date = item.date;
          share.country = country;
          share.option = item.options[option];
          share.chosen = select.integer(column);
          share.runs = runs;
          share.share =
              runs > 0 ? static_cast<double>(share.chosen) / static_cast<double>(runs) : 0.0;
          share.interval = wilson_interval(share.chosen, runs);
          share.mean_probability = select.real(column + 1);
          summary.shares.push_back(std::move(share));
        }
      }
      if (!summary.parameters.empty()) {
        for (const auto& country : countries) {
          add_sensitivities(database, item, country, table, summary.parameters, ranks,
                            summary.sensitivities);
        }
      }
    }
  } catch (const SqliteError& sqlite_error) {
    throw sim::InputError(sim::SourceLocation{path.string(), 0, 0},
                          std::string("cannot read the sweep database: ") + sqlite_error.what());
  }
  return summary;
}

std::string format_sweep_summary(const SweepSummary& summary, int top) {
  const auto value = [&](const char* key) { return manifest_value(summary.manifest, key); };
  std::string text =
      "Sweep of " + value("scenario_id") + ": " + value("design") + " design, " + value("points") +
      (value("points") == "1" ? " point x " : " points x ") + value("replications") +
      (value("replications") == "1" ? " replication = " : " replications = ") +
      counted(summary.runs, "run", "runs") + " (" + format_count(summary.done) + " done, " +
      format_count(summary.failed) + " failed" +
      (summary.done + summary.failed < summary.runs ? ", the rest not yet run" : "") + "), " +
      value("decisions") + " decisions, seed " + value("seed") + "\n";
  text += "Command: " + value("sweep_command") + "\n\n";
  text +=
      "Share of runs choosing each option, with its 95% Wilson score interval (options no run\n"
      "chose are left out; --csv has them all with their mean probability).\n";
  if (value("decisions") == "modal" && value("replications") != "1") {
    // The interval counts runs as independent draws; replications of a modal run are not.
    text +=
        "These runs took modal decisions, so the replications of each point differ only through\n"
        "retaliation draws: the intervals, which count every run as a draw, are too narrow.\n";
  }
  // Below this |rho| a correlation over the finished design points cannot be told from chance.
  const double threshold = summary.points_done > 1
                               ? 1.96 / std::sqrt(static_cast<double>(summary.points_done) - 1.0)
                               : std::numeric_limits<double>::infinity();
  if (!summary.parameters.empty()) {
    text +=
        "Sensitivity: Spearman's rank correlation, across runs, between a varied parameter and\n"
        "an option's probability; the parameters with the largest |rho| over the item's options\n"
        "move the outcome most.\n";
    // Parameters take one value per design point, so the points, not the runs, set the noise:
    // the points that have a finished run, which an interrupted sweep has fewer of than planned.
    const std::string points = std::to_string(summary.points_done);
    if (threshold >= 1.0) {
      text += "With " + points +
              " design points finished, no correlation can be told from chance: the parameters "
              "named below are not evidence.\n";
    } else {
      text += "With " + points + " design points finished, |rho| below about " +
              fixed_text(threshold, 2) + " is indistinguishable from chance.\n";
    }
    text += "Options whose probability moves by less than " +
            fixed_text(100.0 * kNegligibleProbabilityRange, 1) +
            " percentage point over the runs are not said to be moved.\n";
    // A grid runs its points in nested order, the first --vary slowest: stopped part way, the
    // finished points cover only the start of the first parameter's range, and its correlations
    // describe that part alone (a Latin hypercube's finished points stay spread over every range).
    if (value("design") == "grid" && std::to_string(summary.points_done) != value("points")) {
      text += "The grid was not finished (" + points + " of " + value("points") +
              " points): its finished points cover only part of " + summary.parameters.front() +
              "'s range, so resume it (sweep ... --resume) before reading these correlations.\n";
    }
  }
  std::string current_item;
  for (std::size_t index = 0; index < summary.shares.size();) {
    const OptionShare& first = summary.shares[index];
    if (first.item != current_item) {
      current_item = first.item;
      text += "\n" + first.item + " (" + first.kind + ", " + first.date + ")\n";
    }
    std::vector<const OptionShare*> shares;
    std::size_t end = index;
    while (end < summary.shares.size() && summary.shares[end].item == first.item &&
           summary.shares[end].country == first.country) {
      shares.push_back(&summary.shares[end++]);
    }
    std::stable_sort(shares.begin(), shares.end(),
                     [](const OptionShare* left, const OptionShare* right) {
                       return left->chosen > right->chosen;
                     });
    std::string line = "  " + first.country + " ";
    for (const OptionShare* share : shares) {
      if (share->chosen == 0) {
        continue;
      }
      line += " " + share->option + " " + percent(share->share) + "% [" +
              percent(share->interval.low) + ", " + percent(share->interval.high) + "]";
    }
    text += line + "\n";

    // The parameters that move this item and country most: each ranked by its largest |rho|
    // over the options. |rho| as printed (two decimals) often ties — a monotone parameter has
    // |rho| = 1 on every option it touches — and then the option whose probability moves the
    // most is the one to name: p(Y) moving by 0.15 points is not what a sweep of Tajikistan's
    // remittances shows, p(N) moving by 10 is.
    const auto stronger = [](const Sensitivity& left, const Sensitivity& right) {
      const double left_rho = std::round(100.0 * std::abs(left.spearman));
      const double right_rho = std::round(100.0 * std::abs(right.spearman));
      return left_rho != right_rho ? left_rho > right_rho
                                   : left.probability_range > right.probability_range;
    };
    std::map<std::string, const Sensitivity*> strongest;
    for (const auto& sensitivity : summary.sensitivities) {
      if (sensitivity.item != first.item || sensitivity.country != first.country ||
          std::isnan(sensitivity.spearman) ||
          sensitivity.probability_range < kNegligibleProbabilityRange) {
        continue;
      }
      auto& best = strongest[sensitivity.parameter];
      if (best == nullptr || stronger(sensitivity, *best)) {
        best = &sensitivity;
      }
    }
    std::vector<const Sensitivity*> ranked;
    ranked.reserve(strongest.size());
    for (const auto& [parameter, sensitivity] : strongest) {
      ranked.push_back(sensitivity);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&stronger](const Sensitivity* left, const Sensitivity* right) {
                       return stronger(*left, *right);
                     });
    if (!summary.parameters.empty()) {
      std::string moved = ranked.empty() ? "no varied parameter moves its probabilities by " +
                                               fixed_text(100.0 * kNegligibleProbabilityRange, 1) +
                                               " point or more"
                                         : "";
      for (std::size_t rank = 0; rank < ranked.size() && rank < static_cast<std::size_t>(top);
           ++rank) {
        // Named, since it is among the strongest, but marked: the text has said what chance gives.
        moved += (rank == 0 ? "" : "; ") + ranked[rank]->parameter + " (rho " +
                 signed_text(ranked[rank]->spearman, 2) + " on p(" + ranked[rank]->option + ")" +
                 (std::abs(ranked[rank]->spearman) < threshold ? ", within chance" : "") + ")";
      }
      text += "       moved most by: " + moved + "\n";
    }
    index = end;
  }
  if (summary.shares.empty()) {
    // Without this line an empty summary is the header alone, which reads as a cut-off output.
    text += summary.done == 0
                ? "\nNo run has finished yet, so there is nothing to summarise.\n"
                : "\nThe finished runs made no decisions: the scenario has no agenda items.\n";
  }
  return text;
}

void write_sweep_summary_csv(const SweepSummary& summary, const std::filesystem::path& directory) {
  std::string shares;
  append_csv_row(shares, {"item", "kind", "date", "country", "option", "chosen", "runs", "share",
                          "wilson_low", "wilson_high", "mean_probability"});
  for (const auto& share : summary.shares) {
    append_csv_row(shares,
                   {share.item, share.kind, share.date, share.country, share.option,
                    std::to_string(share.chosen), std::to_string(share.runs),
                    format_double(share.share), format_double(share.interval.low),
                    format_double(share.interval.high), format_double(share.mean_probability)});
  }
  std::string sensitivity;
  append_csv_row(sensitivity, {"item", "country", "option", "parameter", "spearman_rho", "rank",
                               "probability_range"});
  for (const auto& row : summary.sensitivities) {
    append_csv_row(sensitivity, {row.item, row.country, row.option, row.parameter,
                                 std::isnan(row.spearman) ? "" : format_double(row.spearman),
                                 std::to_string(row.rank), format_double(row.probability_range)});
  }
  std::string manifest;
  append_csv_row(manifest, {"key", "value"});
  for (const auto& [key, value] : summary.manifest) {
    append_csv_row(manifest, {key, value});
  }
  append_csv_row(manifest, {"summary_database", summary.database});
  append_csv_row(manifest, {"summary_runs_done", std::to_string(summary.done)});
  append_csv_row(manifest, {"summary_runs_failed", std::to_string(summary.failed)});
  append_csv_row(manifest, {"summary_program_version", program_version()});
  StagedDirectory staged(directory, kSweepSummaryCsvFolder);
  staged.write_file("shares.csv", shares);
  staged.write_file("sensitivity.csv", sensitivity);
  staged.write_file("manifest.csv", manifest);
  staged.commit();
}

}  // namespace multivector::results
