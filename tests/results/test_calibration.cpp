// Calibration recovers the weights that generated the votes, and keeps held-out votes out.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>

#include "results/calibration.hpp"
#include "results/run_pipeline.hpp"
#include "sim/generate.hpp"
#include "sim/scenario_loader.hpp"

using namespace multivector;

namespace {

// A synthetic world whose items have resolution symbols, so sampled votes can act as a record.
sim::Scenario synthetic_world() {
  sim::GenerateOptions options;
  options.countries = 120;
  options.days = 400;
  options.events = 60;
  options.items = 60;
  options.seed = 3;
  sim::Scenario scenario =
      sim::load_scenario_from_text(sim::generate_scenario_yaml(options), "synthetic.yaml");
  std::erase_if(scenario.agenda,
                [](const sim::AgendaItem& item) { return item.kind != sim::ItemKind::Vote; });
  std::erase_if(scenario.events, [](const sim::Event& event) {
    return event.kind == sim::EventKind::Threaten;  // their item indices would be stale
  });
  for (auto& item : scenario.agenda) {
    item.resolution = "R/" + item.id;
  }
  sim::DecisionParameters& decision = scenario.parameters.decision;
  decision.intercepts = {{"Y", 0.0}, {"N", -1.0}, {"A", 0.4}, {"NV", -1.5}};
  decision.participation = 1.0;
  decision.salience_participation = -0.5;
  decision.orientation = 2.0;
  decision.persistence = 0.8;
  decision.recency = 0.0;
  decision.habit = 0.0;
  decision.leverage.setConstant(1.5);
  decision.norm.setConstant(1.0);
  return scenario;
}

results::VoteHistory sampled_history(const sim::Scenario& scenario, std::uint64_t seed = 99) {
  sim::RunOptions options;
  options.decisions = sim::DecisionMode::Sample;
  options.seed = seed;
  const auto run = results::simulate(scenario, options, false);
  results::VoteHistory history;
  for (const auto& row : run.recorder->decisions()) {
    const auto& item = scenario.agenda[static_cast<size_t>(row.item)];
    history.add({item.resolution, row.date, scenario.countries[static_cast<size_t>(row.country)].id,
                 item.options[static_cast<size_t>(row.realised)]});
  }
  return history;
}

}  // namespace

TEST_CASE("calibration recovers the weights that generated the votes") {
  const sim::Scenario truth = synthetic_world();
  // Start from deliberately wrong values, so the (weak) penalty towards the starting point
  // cannot explain a good recovery.
  sim::Scenario start = truth;
  sim::DecisionParameters& decision = start.parameters.decision;
  decision.intercepts = {{"Y", 0.0}, {"N", 0.0}, {"A", 0.0}, {"NV", 0.0}};
  decision.participation = 0.0;
  decision.salience_participation = 0.0;
  decision.orientation = 0.0;
  decision.persistence = 0.0;
  decision.leverage.setZero();
  decision.norm.setZero();
  results::CalibrationOptions options;
  options.country_offsets = false;
  // One sampled record of 7,200 votes leaves the participation weight loose (fitted between 0.70
  // and 1.67 over twelve seeds), so the weights are averaged over the fits of eight records: the
  // mean of a consistent estimator sits near the truth; a biased one's does not.
  constexpr int kRecords = 8;
  sim::DecisionParameters mean = truth.parameters.decision;
  mean.intercepts = {{"Y", 0.0}, {"N", 0.0}, {"A", 0.0}, {"NV", 0.0}};
  mean.participation = 0.0;
  mean.orientation = 0.0;
  mean.persistence = 0.0;
  mean.leverage.setZero();
  for (int record = 0; record < kRecords; ++record) {
    const results::VoteHistory history =
        sampled_history(truth, 99 + static_cast<std::uint64_t>(record));
    const auto result = results::calibrate(start, history, options);
    CHECK(result.fit.converged);
    CHECK(result.fit.rows == 120 * static_cast<int>(truth.agenda.size()));
    const auto& fitted = result.parameters.decision;
    mean.orientation += fitted.orientation / kRecords;
    mean.persistence += fitted.persistence / kRecords;
    mean.participation += fitted.participation / kRecords;
    mean.intercepts["N"] += fitted.intercepts.at("N") / kRecords;
    mean.intercepts["A"] += fitted.intercepts.at("A") / kRecords;
    mean.leverage += fitted.leverage / kRecords;
  }
  CHECK(mean.orientation == Approx(2.0).margin(0.25));
  CHECK(mean.persistence == Approx(0.8).margin(0.25));
  CHECK(mean.participation == Approx(1.0).margin(0.3));
  CHECK(mean.intercepts.at("N") == Approx(-1.0).margin(0.35));
  CHECK(mean.intercepts.at("A") == Approx(0.4).margin(0.35));
  for (sim::Index power = 0; power < mean.leverage.size(); ++power) {
    CHECK(mean.leverage(power) == Approx(1.5).margin(0.6));
  }
}

TEST_CASE("calibration recovers each country's drift of orientation about the record's middle") {
  sim::Scenario truth = synthetic_world();
  sim::DecisionParameters& decision = truth.parameters.decision;
  sim::Date first = truth.agenda.front().date;
  sim::Date last = first;
  for (const auto& item : truth.agenda) {
    first = item.date < first ? item.date : first;
    last = last < item.date ? item.date : last;
  }
  // The reference calibrate chooses: the middle of the recorded items.
  decision.drift_reference = sim::Date{first.days + (last.days - first.days) / 2};
  // The first twenty countries drift West, the next twenty towards Russia, the rest hold.
  constexpr double kDrift = 3.0;  // per year, over a record of about a year
  for (size_t country = 0; country < 40; ++country) {
    decision.country_offsets[truth.countries[country].id].orientation_drift =
        country < 20 ? kDrift : -kDrift;
  }
  const results::VoteHistory history = sampled_history(truth);
  sim::Scenario start = truth;
  start.parameters.decision.country_offsets.clear();
  start.parameters.decision.drift_reference.reset();
  results::CalibrationOptions options;
  options.drift_penalty = 0.1;
  const auto result = results::calibrate(start, history, options);
  CHECK(result.fit.converged);
  const auto& fitted = result.parameters.decision;
  REQUIRE(fitted.drift_reference.has_value());
  CHECK(fitted.drift_reference->days == decision.drift_reference->days);
  // Past the last recorded item the drift holds: the fit says where it stops.
  REQUIRE(fitted.drift_until.has_value());
  CHECK(fitted.drift_until->days == last.days);
  const auto mean_drift = [&](size_t from, size_t to) {
    double sum = 0.0;
    for (size_t country = from; country < to; ++country) {
      sum += fitted.country_offsets.at(truth.countries[country].id).orientation_drift;
    }
    return sum / static_cast<double>(to - from);
  };
  // Each country's drift rests on its sixty votes, so the groups' means are what is checked.
  CHECK(mean_drift(0, 20) > 0.5 * kDrift);
  CHECK(mean_drift(20, 40) < -0.5 * kDrift);
  CHECK(std::abs(mean_drift(40, truth.countries.size())) < 0.25 * kDrift);
}

TEST_CASE("calibration recovers each country's lean and participation on an offset tag's items") {
  sim::Scenario truth = synthetic_world();
  // Every other item is voted in a forum of its own, where some countries lean differently and
  // others stay away more than they do elsewhere.
  for (size_t item = 0; item < truth.agenda.size(); item += 2) {
    truth.agenda[item].tags.emplace_back("forum");
  }
  sim::DecisionParameters& decision = truth.parameters.decision;
  decision.offset_tags = {"forum"};
  constexpr double kLean = 2.0;
  constexpr double kStay = 3.0;
  for (size_t country = 0; country < 60; ++country) {
    sim::TagOffset& forum = decision.country_offsets[truth.countries[country].id].by_tag["forum"];
    if (country < 20) {
      forum.orientation = kLean;
    } else if (country < 40) {
      forum.orientation = -kLean;
    } else {
      forum.participation = kStay;
    }
  }
  const results::VoteHistory history = sampled_history(truth);
  sim::Scenario start = truth;
  start.parameters.decision.country_offsets.clear();
  // A second tag no item carries: reported, and its offsets stay at zero.
  start.parameters.decision.offset_tags = {"forum", "nowhere"};
  results::CalibrationOptions options;
  options.offset_tag_orientation_penalty = 0.1;
  options.offset_tag_participation_penalty = 0.1;
  const auto result = results::calibrate(start, history, options);
  CHECK(result.fit.converged);
  CHECK(result.idle_offset_tags == std::vector<std::string>{"nowhere"});
  const auto& fitted = result.parameters.decision;
  const auto mean = [&](size_t from, size_t to, double sim::TagOffset::*field) {
    double sum = 0.0;
    for (size_t country = from; country < to; ++country) {
      sum += fitted.country_offsets.at(truth.countries[country].id).by_tag.at("forum").*field;
    }
    return sum / static_cast<double>(to - from);
  };
  // Each country's offset rests on its thirty votes in the forum, so group means are checked.
  CHECK(mean(0, 20, &sim::TagOffset::orientation) > 0.5 * kLean);
  CHECK(mean(20, 40, &sim::TagOffset::orientation) < -0.5 * kLean);
  CHECK(mean(40, 60, &sim::TagOffset::participation) > 0.5 * kStay);
  CHECK(std::abs(mean(60, truth.countries.size(), &sim::TagOffset::orientation)) < 0.25 * kLean);
  CHECK(std::abs(mean(60, truth.countries.size(), &sim::TagOffset::participation)) < 0.25 * kStay);
  const sim::TagOffset& idle =
      fitted.country_offsets.at(truth.countries[0].id).by_tag.at("nowhere");
  CHECK(idle.orientation == Approx(0.0).margin(1e-12));
  CHECK(idle.participation == Approx(0.0).margin(1e-12));
}

TEST_CASE(
    "a weight the votes pull below zero is held at zero and one they pull above is released") {
  // Votes generated with a negative persistence weight (countries avoiding their last choice):
  // a fit may not say so, since a negative weight would turn the term's meaning around.
  sim::Scenario truth = synthetic_world();
  truth.parameters.decision.persistence = -1.5;
  const results::VoteHistory history = sampled_history(truth);
  sim::Scenario start = truth;
  start.parameters.decision.persistence = 0.5;
  // A starting value below zero starts at the bound, and leaves it when the votes say so.
  start.parameters.decision.orientation = -1.0;
  results::CalibrationOptions options;
  options.country_offsets = false;
  const auto result = results::calibrate(start, history, options);
  CHECK(result.fit.converged);
  const auto& fitted = result.parameters.decision;
  const auto& held = result.fit.held_at_zero;
  const auto is_held = [&](const std::string& weight) {
    return std::find(held.begin(), held.end(), weight) != held.end();
  };
  CHECK(fitted.persistence == 0.0);
  CHECK(is_held("persistence"));
  // Orientation starts pinned and is released; with persistence unable to go negative the fit
  // is misspecified, so it is not the generating 2.0, but it is well above zero.
  CHECK_FALSE(is_held("orientation"));
  CHECK(fitted.orientation > 1.0);
  CHECK(fitted.habit >= 0.0);  // habit, close to persistence, is pulled below zero as well
  CHECK(fitted.participation >= 0.0);
  CHECK(fitted.recency >= 0.0);
  CHECK(fitted.leverage.minCoeff() >= 0.0);
  CHECK(fitted.norm.minCoeff() >= 0.0);
  const std::string yaml = results::parameters_yaml(start, result, {});
  CHECK(yaml.find("  held_at_zero: [persistence") != std::string::npos);

  // Each fold's own fit is kept, and the weights its fit pinned are counted across the folds.
  options.folds = results::Folds::LeaveOneOut;
  const auto folds = results::calibrate(start, history, options);
  REQUIRE(folds.fold_fits.size() == folds.folds.size());
  const auto counts = results::held_at_zero_in_folds(folds);
  const auto persistence_count = std::find_if(
      counts.begin(), counts.end(),
      [](const results::HeldAtZeroCount& count) { return count.weight == "persistence"; });
  REQUIRE(persistence_count != counts.end());
  CHECK(persistence_count->folds == static_cast<int>(folds.folds.size()));
  for (const auto& count : counts) {
    CHECK(count.weight != "orientation");
    CHECK(count.folds >= 1);
    CHECK(count.folds <= static_cast<int>(folds.folds.size()));
  }
  CHECK(results::parameters_yaml(start, folds, {})
            .find("held_at_zero_in_folds: {persistence: " + std::to_string(folds.folds.size())) !=
        std::string::npos);
}

TEST_CASE("a held-out resolution is predicted by a fit that never saw it") {
  const sim::Scenario truth = synthetic_world();
  const results::VoteHistory history = sampled_history(truth);
  results::CalibrationOptions options;
  options.country_offsets = false;
  options.holdout = {truth.agenda[10].resolution};
  const auto with_holdout = results::calibrate(truth, history, options);
  CHECK(with_holdout.fit.rows == 120 * (static_cast<int>(truth.agenda.size()) - 1));
  REQUIRE(with_holdout.held_out.size() == 120);
  for (const auto& prediction : with_holdout.held_out) {
    CHECK(prediction.resolution == truth.agenda[10].resolution);
  }
  const auto comparison = results::compare_held_out(with_holdout.held_out);
  CHECK(comparison.model.accuracy > comparison.always_yes.accuracy);
  // One held-out resolution gives no interval (resampling it would always draw the same rows);
  // two give one, written beside the held-out figures.
  CHECK_FALSE(with_holdout.intervals.has_value());
  CHECK(results::parameters_yaml(truth, with_holdout, {}).find("intervals:") == std::string::npos);
  options.holdout.push_back(truth.agenda[20].resolution);
  const auto with_two = results::calibrate(truth, history, options);
  REQUIRE(with_two.intervals.has_value());
  CHECK(with_two.intervals->resolutions == 2);
  CHECK(with_two.intervals->accuracy.low <=
        results::compare_held_out(with_two.held_out).model.accuracy);
  const std::string yaml = results::parameters_yaml(truth, with_two, {});
  CHECK(yaml.find("    intervals: {level: 0.95") != std::string::npos);
  // Each held-out resolution is also scored alone, in the parameters file too.
  const auto by_resolution = results::compare_held_out_by_resolution(with_two.held_out);
  REQUIRE(by_resolution.size() == 2);
  CHECK(by_resolution[0].resolution == truth.agenda[10].resolution);
  CHECK(by_resolution[1].resolution == truth.agenda[20].resolution);
  CHECK(by_resolution[0].comparison.model.rows == 120);
  CHECK((by_resolution[0].comparison.model.accuracy + by_resolution[1].comparison.model.accuracy) /
            2 ==
        Approx(results::compare_held_out(with_two.held_out).model.accuracy));
  CHECK(yaml.find("    by_resolution:\n      \"" + truth.agenda[10].resolution +
                  "\": {rows: 120, accuracy: ") != std::string::npos);
  CHECK(yaml.find("\"" + truth.agenda[20].resolution + "\": {rows: 120, accuracy: ") !=
        std::string::npos);
}

TEST_CASE("forward folds predict each resolution from earlier resolutions only") {
  sim::Scenario truth = synthetic_world();
  truth.agenda.resize(12);  // twelve fits are enough to show it, and quick
  const results::VoteHistory history = sampled_history(truth);
  const auto [earliest, latest] =
      std::minmax_element(truth.agenda.begin(), truth.agenda.end(),
                          [](const sim::AgendaItem& left, const sim::AgendaItem& right) {
                            return left.date < right.date;
                          });
  // The same record, except that every country voted No on the latest resolution.
  results::VoteHistory altered;
  for (const auto& item : truth.agenda) {
    for (const auto& country : truth.countries) {
      const results::RecordedVote* vote = history.find(item.resolution, country.id);
      REQUIRE(vote != nullptr);
      results::RecordedVote copy = *vote;
      if (item.resolution == latest->resolution) {
        copy.vote = "N";
      }
      altered.add(copy);
    }
  }
  results::CalibrationOptions options;
  options.country_offsets = false;
  options.resamples = 0;
  options.folds = results::Folds::Forward;
  const auto forward = results::calibrate(truth, history, options);
  const auto forward_altered = results::calibrate(truth, altered, options);
  // The earliest resolution has nothing before it to learn from.
  REQUIRE(forward.unscored.size() == 1);
  CHECK(forward.unscored.front() == earliest->resolution);
  CHECK(forward.folds.size() == truth.agenda.size() - 1);
  REQUIRE(forward.held_out.size() == forward_altered.held_out.size());
  // What was recorded on the latest resolution cannot move the forecast of any other one.
  int others = 0;
  for (size_t row = 0; row < forward.held_out.size(); ++row) {
    const auto& before = forward.held_out[row];
    if (before.resolution == latest->resolution) {
      continue;
    }
    ++others;
    CHECK(forward_altered.held_out[row].probability == before.probability);
  }
  CHECK(others == 120 * (static_cast<int>(truth.agenda.size()) - 2));
  // Leaving one resolution out lets it: the fit for an earlier text sees the later votes.
  options.folds = results::Folds::LeaveOneOut;
  const auto loro = results::calibrate(truth, history, options);
  const auto loro_altered = results::calibrate(truth, altered, options);
  REQUIRE(loro.held_out.size() == loro_altered.held_out.size());
  CHECK(loro.unscored.empty());
  CHECK(loro.held_out.front().probability != loro_altered.held_out.front().probability);
}

TEST_CASE("an unknown --holdout names the nearest resolution") {
  const sim::Scenario truth = synthetic_world();
  results::CalibrationOptions options;
  options.holdout = {"R/vote_1O"};
  try {
    (void)results::calibrate(truth, results::VoteHistory{}, options);
    FAIL("no error");
  } catch (const sim::InputError& error) {
    CHECK(std::string(error.what()).find("(did you mean 'R/vote_1") != std::string::npos);
  }
}

TEST_CASE("a --holdout resolution without recorded votes is named, not silently empty") {
  const sim::Scenario truth = synthetic_world();
  const results::VoteHistory sampled = sampled_history(truth);
  // The same votes without those of the tenth resolution, as if its file had been left out.
  const std::string missing = truth.agenda[10].resolution;
  results::VoteHistory history;
  for (const auto& vote : sampled.votes()) {
    if (vote.resolution != missing) {
      history.add(vote);
    }
  }
  results::CalibrationOptions options;
  options.country_offsets = false;
  options.holdout = {missing, truth.agenda[20].resolution};
  const auto result = results::calibrate(truth, history, options);
  REQUIRE(result.unrecorded_holdout.size() == 1);
  CHECK(result.unrecorded_holdout[0].starts_with(missing + ": no recorded vote"));
  CHECK(result.held_out.size() == 120);  // the other held-out resolution is still scored
  options.holdout = {truth.agenda[20].resolution};
  CHECK(results::calibrate(truth, history, options).unrecorded_holdout.empty());
}

TEST_CASE("each held-out resolution is predicted knowing the recorded votes on the others") {
  const sim::Scenario truth = synthetic_world();
  const results::VoteHistory history = sampled_history(truth);
  // The later text and the last earlier one of its type: the earlier one's votes are the
  // previous choice (weight 0.8 here) behind the later one's prediction.
  const auto later = static_cast<sim::Index>(truth.agenda.size() - 1);
  REQUIRE_FALSE(truth.agenda.back().tags.empty());
  sim::Index earlier = later - 1;
  while (earlier >= 0 && truth.agenda[static_cast<size_t>(earlier)].tags.front() !=
                             truth.agenda[static_cast<size_t>(later)].tags.front()) {
    --earlier;
  }
  REQUIRE(earlier >= 0);
  const std::string& earlier_symbol = truth.agenda[static_cast<size_t>(earlier)].resolution;
  const std::string& later_symbol = truth.agenda[static_cast<size_t>(later)].resolution;
  // The same record, except that every country voted No on the earlier text.
  results::VoteHistory all_no_earlier;
  for (results::RecordedVote vote : history.votes()) {
    if (vote.resolution == earlier_symbol) {
      vote.vote = "N";
    }
    all_no_earlier.add(vote);
  }
  results::CalibrationOptions options;
  options.country_offsets = false;
  options.holdout = {later_symbol, earlier_symbol};  // in any order
  const auto as_recorded = results::calibrate(truth, history, options);
  const auto altered = results::calibrate(truth, all_no_earlier, options);
  // Neither text enters the fit, so the fitted weights agree; only the replayed record differs.
  CHECK(as_recorded.fit.log_likelihood == Approx(altered.fit.log_likelihood));
  REQUIRE(as_recorded.held_out.size() == 240);
  REQUIRE(altered.held_out.size() == 240);
  CHECK(as_recorded.held_out.front().resolution == earlier_symbol);  // by date
  double moved_towards_no = 0.0;
  for (std::size_t row = 0; row < as_recorded.held_out.size(); ++row) {
    if (as_recorded.held_out[row].resolution == later_symbol) {
      moved_towards_no +=
          altered.held_out[row].probability[1] - as_recorded.held_out[row].probability[1];
    }
  }
  CHECK(moved_towards_no > 1.0);  // summed over 120 countries
}
