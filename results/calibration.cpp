#include "results/calibration.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "agents/choice.hpp"
#include "results/csv.hpp"
#include "results/persistence.hpp"
#include "results/yaml_text.hpp"
#include "sim/engine.hpp"
#include "sim/input_files.hpp"
#include "sim/resolution_symbol.hpp"
#include "sim/scenario_edit.hpp"

namespace multivector::results {
namespace {

using agents::FeatureLayout;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using sim::Index;

constexpr int kOptions = kVoteClasses;

// One decision whose recorded vote is known, with the engine's unweighted features.
struct Observation {
  Index item = -1;
  Index country = -1;
  int recorded = 0;
  sim::RowMatrix features;  // options × FeatureLayout columns
  std::array<double, kOptions> probability{};
};

class FeatureCollector : public sim::RunObserver {
 public:
  FeatureCollector(const sim::Scenario& scenario, const sim::ReplayChoices& recorded,
                   std::vector<Observation>& out, const std::set<Index>& predict_items)
      : scenario_(scenario), recorded_(recorded), out_(out), predict_items_(predict_items) {}
  [[nodiscard]] bool wants_events() const override { return false; }
  [[nodiscard]] bool wants_steps() const override { return false; }
  void on_decision(const sim::DecisionRecord& record) override {
    if (scenario_.agenda[static_cast<size_t>(record.item)].kind != sim::ItemKind::Vote) {
      return;
    }
    // Training rows are the replayed (recorded) ones; prediction rows are those of the items the
    // caller asked about, whose recorded vote the replay did not impose.
    int recorded = static_cast<int>(recorded_.at(record.item, record.country));
    if (predict_items_.count(record.item) > 0) {
      recorded = truth_ != nullptr ? static_cast<int>(truth_->at(record.item, record.country)) : -1;
    } else if (!predict_items_.empty()) {
      return;
    }
    if (recorded < 0) {
      return;
    }
    Observation observation;
    observation.item = record.item;
    observation.country = record.country;
    observation.recorded = recorded;
    observation.features = record.decision->features;
    for (int option = 0; option < kOptions; ++option) {
      observation.probability[static_cast<size_t>(option)] = record.decision->probability(option);
    }
    out_.push_back(std::move(observation));
  }
  void set_truth(const sim::ReplayChoices* truth) { truth_ = truth; }

 private:
  const sim::Scenario& scenario_;
  const sim::ReplayChoices& recorded_;
  std::vector<Observation>& out_;
  const std::set<Index>& predict_items_;
  const sim::ReplayChoices* truth_ = nullptr;
};

// The recorded vote of every country on every agenda item that has one, as replay choices.
sim::ReplayChoices recorded_choices(const sim::Scenario& scenario, const VoteHistory& history) {
  sim::ReplayChoices choices;
  choices.countries = static_cast<Index>(scenario.countries.size());
  choices.option.assign(scenario.agenda.size() * scenario.countries.size(), -1);
  for (size_t item = 0; item < scenario.agenda.size(); ++item) {
    const sim::AgendaItem& agenda_item = scenario.agenda[item];
    if (agenda_item.kind != sim::ItemKind::Vote || agenda_item.resolution.empty()) {
      continue;
    }
    for (size_t country = 0; country < scenario.countries.size(); ++country) {
      const RecordedVote* vote =
          history.find(agenda_item.resolution, scenario.countries[country].id);
      if (vote != nullptr) {
        choices.option[item * scenario.countries.size() + country] = vote_class(vote->vote);
      }
    }
  }
  return choices;
}

// Replays history through the scenario and returns the observations. With `predict` non-empty,
// those items are decided by the rule (their recorded votes stay hidden from the replay) and only
// their rows are returned, scored against the record.
std::vector<Observation> replay(const sim::Scenario& scenario, const VoteHistory& history,
                                const std::set<Index>& predict) {
  const sim::ReplayChoices truth = recorded_choices(scenario, history);
  sim::ReplayChoices imposed = truth;
  for (const Index item : predict) {
    for (Index country = 0; country < imposed.countries; ++country) {
      imposed.option[static_cast<size_t>(item * imposed.countries + country)] = -1;
    }
  }
  std::vector<Observation> observations;
  FeatureCollector collector(scenario, imposed, observations, predict);
  collector.set_truth(&truth);
  sim::RunOptions options;
  options.replay = &imposed;
  sim::Engine engine(scenario, options);
  engine.run(collector);
  return observations;
}

// Where each fitted quantity sits in the parameter vector: a global block, then one block per
// country (its orientation, participation and norm offsets, the drift of its orientation, then
// its orientation and participation offsets on the items of each offset tag).
struct ParameterLayout {
  std::vector<std::string> tags;
  std::vector<std::string> offset_tags;
  Index powers = 0;
  Index norms = 0;
  Index countries = 0;
  bool country_offsets = true;

  static constexpr Index kInterceptN = 0;
  static constexpr Index kInterceptA = 1;
  static constexpr Index kInterceptNV = 2;
  [[nodiscard]] Index tag(size_t tag_index, int option) const {  // option 1..3 (N, A, NV)
    return 3 + static_cast<Index>(tag_index) * 3 + (option - 1);
  }
  [[nodiscard]] Index participation() const { return 3 + static_cast<Index>(tags.size()) * 3; }
  [[nodiscard]] Index salience_participation() const { return participation() + 1; }
  [[nodiscard]] Index orientation() const { return participation() + 2; }
  [[nodiscard]] Index persistence() const { return participation() + 3; }
  [[nodiscard]] Index recency() const { return participation() + 4; }
  [[nodiscard]] Index habit() const { return participation() + 5; }
  [[nodiscard]] Index leverage(Index power) const { return participation() + 6 + power; }
  [[nodiscard]] Index norm(Index norm_index) const {
    return participation() + 6 + powers + norm_index;
  }
  [[nodiscard]] Index global_size() const { return participation() + 6 + powers + norms; }
  // The weights whose sign is part of their meaning, held at zero or above: a negative weight
  // would turn a term around (a stronger attachment to territorial integrity making a Yes on
  // a text defending it less likely; more leverage pulling a country towards offending the
  // power). Intercepts, tag intercepts, the salience weight and the countries' offsets are free.
  [[nodiscard]] std::vector<Index> non_negative() const {
    std::vector<Index> bounded = {participation(), orientation(), persistence(), recency(),
                                  habit()};
    for (Index power = 0; power < powers; ++power) {
      bounded.push_back(leverage(power));
    }
    for (Index norm = 0; norm < norms; ++norm) {
      bounded.push_back(this->norm(norm));
    }
    return bounded;
  }
  [[nodiscard]] Index offset_tag_count() const { return static_cast<Index>(offset_tags.size()); }
  [[nodiscard]] Index block_size() const {
    return country_offsets ? 3 + norms + 2 * offset_tag_count() : 0;
  }
  // Within a country's block: the drift of its orientation offset per year.
  [[nodiscard]] Index drift_offset() const { return 2 + norms; }
  // Within a country's block: its orientation and participation offsets on offset tag `tag`.
  [[nodiscard]] Index tag_orientation_offset(Index tag) const { return 3 + norms + tag; }
  [[nodiscard]] Index tag_participation_offset(Index tag) const {
    return 3 + norms + offset_tag_count() + tag;
  }
  [[nodiscard]] Index size() const { return global_size() + countries * block_size(); }
  [[nodiscard]] Index block(Index country) const { return global_size() + country * block_size(); }
};

// The feature rows of one observation for the global block (options × global) and its
// country's block (options × block).
void observation_design(const Observation& observation, const sim::AgendaItem& item,
                        const ParameterLayout& layout, MatrixXd& global, MatrixXd& country) {
  const FeatureLayout features{layout.powers, layout.norms, layout.offset_tag_count()};
  const sim::RowMatrix& f = observation.features;
  global.setZero(kOptions, layout.global_size());
  country.setZero(kOptions, layout.block_size());
  for (int option = 1; option < kOptions; ++option) {
    global(option, option - 1) = 1.0;  // α_N, α_A, α_NV relative to α_Y
    for (size_t tag = 0; tag < layout.tags.size(); ++tag) {
      if (std::find(item.tags.begin(), item.tags.end(), layout.tags[tag]) != item.tags.end()) {
        global(option, layout.tag(tag, option)) = 1.0;
      }
    }
  }
  for (int option = 0; option < kOptions; ++option) {
    global(option, layout.participation()) = f(option, FeatureLayout::kParticipation);
    global(option, layout.salience_participation()) =
        f(option, FeatureLayout::kSalienceParticipation);
    global(option, layout.orientation()) = f(option, FeatureLayout::kOrientation);
    global(option, layout.persistence()) = f(option, FeatureLayout::kPersistence);
    global(option, layout.recency()) = f(option, FeatureLayout::kRecency);
    global(option, layout.habit()) = f(option, FeatureLayout::kHabit);
    for (Index power = 0; power < layout.powers; ++power) {
      global(option, layout.leverage(power)) =
          f(option, features.leverage(power)) + f(option, features.threat(power));
    }
    for (Index norm = 0; norm < layout.norms; ++norm) {
      global(option, layout.norm(norm)) = f(option, features.norm(norm));
    }
    if (layout.country_offsets) {
      country(option, 0) = f(option, FeatureLayout::kOrientationOffset);
      country(option, 1) = f(option, FeatureLayout::kParticipationOffset);
      for (Index norm = 0; norm < layout.norms; ++norm) {
        country(option, 2 + norm) = f(option, features.norm_offset(norm));
      }
      country(option, layout.drift_offset()) = f(option, FeatureLayout::kOrientationDrift);
      for (Index tag = 0; tag < layout.offset_tag_count(); ++tag) {
        country(option, layout.tag_orientation_offset(tag)) =
            f(option, features.tag_orientation(tag));
        country(option, layout.tag_participation_offset(tag)) =
            f(option, features.tag_participation(tag));
      }
    }
  }
}

struct Penalty {
  VectorXd center;
  VectorXd strength;
};

double option_intercept(const sim::DecisionParameters& decision, const std::string& option) {
  const auto found = decision.intercepts.find(option);
  return found == decision.intercepts.end() ? 0.0 : found->second;
}

// θ from a scenario's parameters, and the penalty that pulls the fit towards them.
VectorXd initial_parameters(const sim::Scenario& scenario, const ParameterLayout& layout) {
  const sim::DecisionParameters& decision = scenario.parameters.decision;
  // A temperature other than 1 scales every weight; the fit works on the scaled weights.
  const double scale = 1.0 / decision.temperature;
  VectorXd theta = VectorXd::Zero(layout.size());
  const double yes = option_intercept(decision, "Y");
  theta(ParameterLayout::kInterceptN) = scale * (option_intercept(decision, "N") - yes);
  theta(ParameterLayout::kInterceptA) = scale * (option_intercept(decision, "A") - yes);
  theta(ParameterLayout::kInterceptNV) = scale * (option_intercept(decision, "NV") - yes);
  for (size_t tag = 0; tag < layout.tags.size(); ++tag) {
    const auto found = decision.tag_intercepts.find(layout.tags[tag]);
    if (found == decision.tag_intercepts.end()) {
      continue;
    }
    const auto value = [&](const char* option) {
      const auto entry = found->second.find(option);
      return entry == found->second.end() ? 0.0 : entry->second;
    };
    for (int option = 1; option < kOptions; ++option) {
      theta(layout.tag(tag, option)) =
          scale *
          (value(std::string(sim::kVoteOptions[static_cast<size_t>(option)]).c_str()) - value("Y"));
    }
  }
  theta(layout.participation()) = scale * decision.participation;
  theta(layout.salience_participation()) = scale * decision.salience_participation;
  theta(layout.orientation()) = scale * decision.orientation;
  theta(layout.persistence()) = scale * decision.persistence;
  theta(layout.recency()) = scale * decision.recency;
  theta(layout.habit()) = scale * decision.habit;
  for (Index power = 0; power < layout.powers; ++power) {
    theta(layout.leverage(power)) = scale * decision.leverage(power);
  }
  for (Index norm = 0; norm < layout.norms; ++norm) {
    theta(layout.norm(norm)) = scale * decision.norm(norm);
  }
  return theta;
}

Penalty make_penalty(const VectorXd& start, const ParameterLayout& layout,
                     const CalibrationOptions& options) {
  Penalty penalty;
  penalty.center = VectorXd::Zero(layout.size());
  penalty.strength = VectorXd::Constant(layout.size(), options.country_penalty);
  penalty.center.head(layout.global_size()) = start.head(layout.global_size());
  penalty.strength.head(layout.global_size()).setConstant(options.global_penalty);
  for (size_t tag = 0; tag < layout.tags.size(); ++tag) {
    for (int option = 1; option < kOptions; ++option) {
      penalty.center(layout.tag(tag, option)) = 0.0;
      penalty.strength(layout.tag(tag, option)) = options.tag_penalty;
    }
  }
  for (Index country = 0; country < layout.countries && layout.block_size() > 0; ++country) {
    for (Index norm = 0; norm < layout.norms; ++norm) {
      penalty.strength(layout.block(country) + 2 + norm) = options.norm_penalty;
    }
    penalty.strength(layout.block(country) + layout.drift_offset()) = options.drift_penalty;
    for (Index tag = 0; tag < layout.offset_tag_count(); ++tag) {
      penalty.strength(layout.block(country) + layout.tag_orientation_offset(tag)) =
          options.offset_tag_orientation_penalty;
      penalty.strength(layout.block(country) + layout.tag_participation_offset(tag)) =
          options.offset_tag_participation_penalty;
    }
  }
  return penalty;
}

struct Design {
  std::vector<MatrixXd> global;   // per observation
  std::vector<MatrixXd> country;  // per observation
  std::vector<Index> country_of;  // per observation
  std::vector<int> recorded;
};

Design build_design(const std::vector<Observation>& observations, const sim::Scenario& scenario,
                    const ParameterLayout& layout) {
  Design design;
  design.global.resize(observations.size());
  design.country.resize(observations.size());
  for (size_t row = 0; row < observations.size(); ++row) {
    observation_design(observations[row],
                       scenario.agenda[static_cast<size_t>(observations[row].item)], layout,
                       design.global[row], design.country[row]);
    design.country_of.push_back(observations[row].country);
    design.recorded.push_back(observations[row].recorded);
  }
  return design;
}

// Penalised log-likelihood and, when asked, its gradient and negative Hessian in block form.
struct Curvature {
  VectorXd gradient;
  MatrixXd global_global;                 // g × g
  std::vector<MatrixXd> global_country;   // per country: g × b
  std::vector<MatrixXd> country_country;  // per country: b × b
};

double evaluate(const Design& design, const ParameterLayout& layout, const Penalty& penalty,
                const VectorXd& theta, Curvature* curvature, double* log_likelihood = nullptr) {
  const Index global = layout.global_size();
  const Index block = layout.block_size();
  if (curvature != nullptr) {
    curvature->gradient = VectorXd::Zero(layout.size());
    curvature->global_global = MatrixXd::Zero(global, global);
    curvature->global_country.assign(static_cast<size_t>(layout.countries),
                                     MatrixXd::Zero(global, block));
    curvature->country_country.assign(static_cast<size_t>(layout.countries),
                                      MatrixXd::Zero(block, block));
  }
  double total = 0.0;
  for (size_t row = 0; row < design.global.size(); ++row) {
    const Index country = design.country_of[row];
    const MatrixXd& a_global = design.global[row];
    const MatrixXd& a_country = design.country[row];
    VectorXd utility = a_global * theta.head(global);
    if (block > 0) {
      utility += a_country * theta.segment(layout.block(country), block);
    }
    utility.array() -= utility.maxCoeff();
    VectorXd probability = utility.array().exp();
    probability /= probability.sum();
    const int recorded = design.recorded[row];
    total += std::log(std::max(probability(recorded), 1e-300));
    if (curvature == nullptr) {
      continue;
    }
    // ∂ log p(y) / ∂θ = a_y − Σ_o p_o a_o;  −∂² = Σ_o p_o a_o a_oᵀ − ā āᵀ.
    const VectorXd mean_global = a_global.transpose() * probability;
    curvature->gradient.head(global) += a_global.row(recorded).transpose() - mean_global;
    const MatrixXd weighted_global = a_global.transpose() * probability.asDiagonal();
    curvature->global_global.noalias() +=
        weighted_global * a_global - mean_global * mean_global.transpose();
    if (block > 0) {
      const VectorXd mean_country = a_country.transpose() * probability;
      curvature->gradient.segment(layout.block(country), block) +=
          a_country.row(recorded).transpose() - mean_country;
      curvature->global_country[static_cast<size_t>(country)].noalias() +=
          weighted_global * a_country - mean_global * mean_country.transpose();
      curvature->country_country[static_cast<size_t>(country)].noalias() +=
          a_country.transpose() * probability.asDiagonal() * a_country -
          mean_country * mean_country.transpose();
    }
  }
  if (log_likelihood != nullptr) {
    *log_likelihood = total;
  }
  const VectorXd deviation = theta - penalty.center;
  total -= 0.5 * (penalty.strength.array() * deviation.array().square()).sum();
  if (curvature != nullptr) {
    curvature->gradient.array() -= penalty.strength.array() * deviation.array();
    curvature->global_global.diagonal() += penalty.strength.head(global);
    for (Index country = 0; country < layout.countries; ++country) {
      curvature->country_country[static_cast<size_t>(country)].diagonal() +=
          penalty.strength.segment(layout.block(country), block);
    }
  }
  return total;
}

// Solves (negative Hessian) · step = gradient through the Schur complement of the country blocks.
// Global weights marked in `pinned` do not move: their rows and columns leave the system.
VectorXd newton_step(const Curvature& curvature, const ParameterLayout& layout,
                     const std::vector<bool>& pinned) {
  const Index global = layout.global_size();
  const Index block = layout.block_size();
  MatrixXd schur = curvature.global_global;
  VectorXd reduced = curvature.gradient.head(global);
  std::vector<Eigen::LDLT<MatrixXd>> block_solvers;
  block_solvers.reserve(static_cast<size_t>(layout.countries));
  for (Index country = 0; country < layout.countries && block > 0; ++country) {
    block_solvers.emplace_back(curvature.country_country[static_cast<size_t>(country)]);
    const MatrixXd& coupling = curvature.global_country[static_cast<size_t>(country)];
    const MatrixXd solved_coupling = block_solvers.back().solve(coupling.transpose());
    schur.noalias() -= coupling * solved_coupling;
    reduced.noalias() -= coupling * block_solvers.back().solve(
                                        curvature.gradient.segment(layout.block(country), block));
  }
  for (Index weight = 0; weight < global; ++weight) {
    if (pinned[static_cast<size_t>(weight)]) {
      schur.row(weight).setZero();
      schur.col(weight).setZero();
      schur(weight, weight) = 1.0;
      reduced(weight) = 0.0;
    }
  }
  VectorXd step(layout.size());
  step.head(global) = schur.ldlt().solve(reduced);
  for (Index country = 0; country < layout.countries && block > 0; ++country) {
    const MatrixXd& coupling = curvature.global_country[static_cast<size_t>(country)];
    step.segment(layout.block(country), block) = block_solvers[static_cast<size_t>(country)].solve(
        curvature.gradient.segment(layout.block(country), block) -
        coupling.transpose() * step.head(global));
  }
  return step;
}

// Newton's method on the weights not pinned, from `theta`; returns whether it converged.
bool newton(const Design& design, const ParameterLayout& layout, const Penalty& penalty,
            const CalibrationOptions& options, const std::vector<bool>& pinned, VectorXd& theta,
            Curvature& curvature, FitSummary& summary) {
  double objective = evaluate(design, layout, penalty, theta, &curvature);
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    ++summary.iterations;
    const VectorXd step = newton_step(curvature, layout, pinned);
    // The objective is concave, so a full Newton step almost always improves it; halve it when
    // it does not (far from the optimum, or at the limits of floating point).
    double scale = 1.0;
    VectorXd candidate = theta + step;
    double candidate_objective = evaluate(design, layout, penalty, candidate, nullptr);
    while (candidate_objective < objective - 1e-12 && scale > 1e-6) {
      scale *= 0.5;
      candidate = theta + scale * step;
      candidate_objective = evaluate(design, layout, penalty, candidate, nullptr);
    }
    theta = candidate;
    objective = evaluate(design, layout, penalty, theta, &curvature);
    if ((scale * step).cwiseAbs().maxCoeff() < options.tolerance) {
      return true;
    }
  }
  return false;
}

// Maximises the penalised log-likelihood with the weights of layout.non_negative() held at zero
// or above, by an active set: fit the free weights; pin the most negative bounded weight at zero
// and fit again; release a pinned weight whose gradient says the optimum lies above zero. The
// objective is concave, so the set that satisfies both conditions gives the constrained optimum.
FitSummary fit(const Design& design, const ParameterLayout& layout, const Penalty& penalty,
               const CalibrationOptions& options, VectorXd& theta,
               std::vector<Index>& held_at_zero) {
  FitSummary summary;
  summary.rows = static_cast<int>(design.global.size());
  const std::vector<Index> bounded = layout.non_negative();
  std::vector<bool> pinned(static_cast<size_t>(layout.global_size()), false);
  for (const Index weight : bounded) {
    if (theta(weight) < 0.0) {  // a scenario's own value below zero: start from the bound
      theta(weight) = 0.0;
      pinned[static_cast<size_t>(weight)] = true;
    }
  }
  Curvature curvature;
  // Each round pins or releases one weight and fits again; a bounded number of rounds keeps a
  // degenerate case finite, and one that runs out is reported as not converged.
  const int rounds = 2 * static_cast<int>(bounded.size()) + 2;
  // A pinned weight is released only for a clear gradient, not for rounding noise around zero.
  constexpr double kReleaseGradient = 1e-6;
  for (int round = 0;; ++round) {
    summary.converged = newton(design, layout, penalty, options, pinned, theta, curvature, summary);
    if (round == rounds) {
      summary.converged = false;
      break;
    }
    Index most_negative = -1;
    for (const Index weight : bounded) {
      if (!pinned[static_cast<size_t>(weight)] && theta(weight) < 0.0 &&
          (most_negative < 0 || theta(weight) < theta(most_negative))) {
        most_negative = weight;
      }
    }
    if (most_negative >= 0) {
      theta(most_negative) = 0.0;
      pinned[static_cast<size_t>(most_negative)] = true;
      continue;
    }
    Index rising = -1;
    for (const Index weight : bounded) {
      if (pinned[static_cast<size_t>(weight)] && curvature.gradient(weight) > kReleaseGradient &&
          (rising < 0 || curvature.gradient(weight) > curvature.gradient(rising))) {
        rising = weight;
      }
    }
    if (rising < 0) {
      break;
    }
    pinned[static_cast<size_t>(rising)] = false;
  }
  held_at_zero.clear();
  for (const Index weight : bounded) {
    if (pinned[static_cast<size_t>(weight)]) {
      held_at_zero.push_back(weight);
    }
  }
  summary.penalised_log_likelihood =
      evaluate(design, layout, penalty, theta, nullptr, &summary.log_likelihood);
  return summary;
}

// Writes θ back into the scenario's parameters (temperature 1: the fit absorbed any scale).
sim::Parameters to_parameters(const sim::Scenario& scenario, const ParameterLayout& layout,
                              const VectorXd& theta) {
  sim::Parameters parameters = scenario.parameters;
  sim::DecisionParameters& decision = parameters.decision;
  const double scale = 1.0 / decision.temperature;
  for (auto& [option, value] : decision.intercepts) {
    value *= scale;  // statement intercepts are not fitted but must follow the new temperature
  }
  decision.temperature = 1.0;
  decision.intercepts["Y"] = 0.0;
  decision.intercepts["N"] = theta(ParameterLayout::kInterceptN);
  decision.intercepts["A"] = theta(ParameterLayout::kInterceptA);
  decision.intercepts["NV"] = theta(ParameterLayout::kInterceptNV);
  decision.tag_intercepts.clear();
  for (size_t tag = 0; tag < layout.tags.size(); ++tag) {
    for (int option = 1; option < kOptions; ++option) {
      decision.tag_intercepts[layout.tags[tag]]
                             [std::string(sim::kVoteOptions[static_cast<size_t>(option)])] =
          theta(layout.tag(tag, option));
    }
  }
  decision.participation = theta(layout.participation());
  decision.salience_participation = theta(layout.salience_participation());
  decision.orientation = theta(layout.orientation());
  decision.persistence = theta(layout.persistence());
  decision.recency = theta(layout.recency());
  decision.habit = theta(layout.habit());
  for (Index power = 0; power < layout.powers; ++power) {
    decision.leverage(power) = theta(layout.leverage(power));
  }
  for (Index norm = 0; norm < layout.norms; ++norm) {
    decision.norm(norm) = theta(layout.norm(norm));
  }
  decision.country_offsets.clear();
  if (layout.country_offsets) {
    for (Index country = 0; country < layout.countries; ++country) {
      sim::CountryOffset offset;
      const Index base = layout.block(country);
      offset.orientation = theta(base);
      offset.participation = theta(base + 1);
      offset.orientation_drift = theta(base + layout.drift_offset());
      for (Index tag = 0; tag < layout.offset_tag_count(); ++tag) {
        offset.by_tag[layout.offset_tags[static_cast<size_t>(tag)]] =
            sim::TagOffset{theta(base + layout.tag_orientation_offset(tag)),
                           theta(base + layout.tag_participation_offset(tag))};
      }
      for (Index norm = 0; norm < layout.norms; ++norm) {
        offset.norms[scenario.norms[static_cast<size_t>(norm)].id] = theta(base + 2 + norm);
      }
      decision.country_offsets[scenario.countries[static_cast<size_t>(country)].id] = offset;
    }
  }
  return parameters;
}

ParameterLayout layout_for(const sim::Scenario& scenario, const std::vector<Observation>& rows,
                           const CalibrationOptions& options) {
  ParameterLayout layout;
  std::set<std::string> tags;
  for (const auto& row : rows) {
    for (const auto& tag : scenario.agenda[static_cast<size_t>(row.item)].tags) {
      tags.insert(tag);
    }
  }
  layout.tags.assign(tags.begin(), tags.end());
  // The tags the replay's engine built feature columns for, in its order.
  layout.offset_tags = sim::applied_offset_tags(scenario.parameters.decision);
  layout.powers = static_cast<Index>(scenario.powers.size());
  layout.norms = static_cast<Index>(scenario.norms.size());
  layout.countries = static_cast<Index>(scenario.countries.size());
  layout.country_offsets = options.country_offsets;
  return layout;
}

// The parameters-file key of a weight in layout.non_negative(), e.g. "norms.territorial_integrity".
std::string bounded_weight_name(const sim::Scenario& scenario, const ParameterLayout& layout,
                                Index weight) {
  for (Index power = 0; power < layout.powers; ++power) {
    if (weight == layout.leverage(power)) {
      return "leverage." + scenario.powers[static_cast<size_t>(power)].id;
    }
  }
  for (Index norm = 0; norm < layout.norms; ++norm) {
    if (weight == layout.norm(norm)) {
      return "norms." + scenario.norms[static_cast<size_t>(norm)].id;
    }
  }
  if (weight == layout.participation()) {
    return "participation";
  }
  if (weight == layout.orientation()) {
    return "orientation";
  }
  if (weight == layout.persistence()) {
    return "persistence";
  }
  return weight == layout.recency() ? "recency" : "habit";
}

struct FittedModel {
  sim::Parameters parameters;
  FitSummary summary;
  Metrics training;
};

// A vote on the agenda with a resolution symbol and at least one country's recorded vote on it:
// what a fold can be scored on, and what dates the record.
bool has_recorded_votes(const sim::Scenario& scenario, const sim::AgendaItem& item,
                        const VoteHistory& history) {
  return item.kind == sim::ItemKind::Vote && !item.resolution.empty() &&
         std::any_of(scenario.countries.begin(), scenario.countries.end(),
                     [&](const sim::Country& country) {
                       return history.find(item.resolution, country.id) != nullptr;
                     });
}

// The dates of the first and last agenda votes with a recorded vote; none without any.
struct RecordSpan {
  sim::Date first;
  sim::Date last;
};
std::optional<RecordSpan> record_span(const sim::Scenario& scenario, const VoteHistory& history) {
  std::optional<RecordSpan> span;
  for (const auto& item : scenario.agenda) {
    if (has_recorded_votes(scenario, item, history)) {
      span = span ? RecordSpan{std::min(span->first, item.date), std::max(span->last, item.date)}
                  : RecordSpan{item.date, item.date};
    }
  }
  return span;
}

// The middle of the dated record. Each country's orientation offset is fitted as its lean there,
// with its drift about it, so that the offset and the drift are nearly independent and the
// penalty on one does not bend the other.
sim::Date record_midpoint(const sim::Scenario& scenario, const VoteHistory& history) {
  const std::optional<RecordSpan> span = record_span(scenario, history);
  if (!span) {
    return scenario.info.start;
  }
  return sim::Date{span->first.days + (span->last.days - span->first.days) / 2};
}

// Fits on `training` (a scenario whose agenda lacks every held-out item).
FittedModel fit_scenario(const sim::Scenario& training, const VoteHistory& history,
                         const CalibrationOptions& options) {
  const std::vector<Observation> rows = replay(training, history, {});
  const ParameterLayout layout = layout_for(training, rows, options);
  VectorXd theta = initial_parameters(training, layout);
  const Penalty penalty = make_penalty(theta, layout, options);
  const Design design = build_design(rows, training, layout);
  FittedModel model;
  std::vector<Index> held_at_zero;
  model.summary = fit(design, layout, penalty, options, theta, held_at_zero);
  for (const Index weight : held_at_zero) {
    model.summary.held_at_zero.push_back(bounded_weight_name(training, layout, weight));
  }
  model.parameters = to_parameters(training, layout, theta);
  // A country's drift is a line through the texts it was fitted on; past the last of them it
  // holds where the line ended rather than running on — forward folds, which forecast past their
  // training texts, do no worse held there (docs/validation.md).
  if (const std::optional<RecordSpan> span = record_span(training, history)) {
    model.parameters.decision.drift_until = span->last;
  }
  std::vector<ScoredRow> scored;
  for (size_t row = 0; row < rows.size(); ++row) {
    VectorXd utility = design.global[row] * theta.head(layout.global_size());
    if (layout.block_size() > 0) {
      utility += design.country[row] *
                 theta.segment(layout.block(design.country_of[row]), layout.block_size());
    }
    const VectorXd probability = agents::choice_probabilities(utility.array(), 1.0).matrix();
    ScoredRow scored_row;
    scored_row.recorded = design.recorded[row];
    probability.maxCoeff(&scored_row.predicted);
    for (int option = 0; option < kOptions; ++option) {
      scored_row.probability[static_cast<size_t>(option)] = probability(option);
    }
    scored.push_back(scored_row);
  }
  model.training = compute_metrics(scored);
  return model;
}

std::map<std::string, std::string> resolution_types(const sim::Scenario& scenario) {
  std::map<std::string, std::string> types;
  const auto& files = sim::builtin_files();
  const auto table = files.find("data/unga/resolution_types.csv");
  if (table != files.end()) {
    std::vector<CsvRecord> records;
    std::string error;
    std::size_t line = 0;
    if (parse_csv(table->second, records, error, line)) {
      for (size_t row = 1; row < records.size(); ++row) {
        if (records[row].fields.size() >= 2) {
          types[sim::canonical_resolution_symbol(records[row].fields[0])] = records[row].fields[1];
        }
      }
    }
  }
  // Every resolution on the agenda is read by the persistence baseline, typed or not.
  for (const auto& item : scenario.agenda) {
    if (!item.resolution.empty()) {
      types[item.resolution] = item.tags.empty() ? std::string() : item.tags.front();
    }
  }
  return types;
}

void predict_held_out(const sim::Scenario& scenario, const VoteHistory& history,
                      const sim::Parameters& parameters, Index held_out_item,
                      const PersistenceBaseline& persistence, std::vector<HeldOutPrediction>& out) {
  sim::Scenario fitted = scenario;
  fitted.parameters = parameters;
  for (const Observation& row : replay(fitted, history, {held_out_item})) {
    const sim::AgendaItem& item = scenario.agenda[static_cast<size_t>(row.item)];
    const std::string& country = scenario.countries[static_cast<size_t>(row.country)].id;
    HeldOutPrediction prediction;
    prediction.resolution = item.resolution;
    prediction.country = country;
    prediction.recorded = row.recorded;
    prediction.probability = row.probability;
    prediction.predicted = static_cast<int>(
        std::max_element(row.probability.begin(), row.probability.end()) - row.probability.begin());
    prediction.always_yes = 0;
    // Rows are those with a recorded vote; without an earlier one persistence says Yes.
    const RecordedVote* recorded = history.find(item.resolution, country);
    const int persisted =
        recorded != nullptr ? persistence.predict(country, item.resolution, recorded->date) : -1;
    prediction.persistence = persisted >= 0 ? persisted : static_cast<int>(sim::kYes);
    // Without China's recorded vote the baseline says Yes, as compare's does, so that every
    // predictor is scored on the same rows.
    const RecordedVote* china = history.find(item.resolution, "CHN");
    prediction.copy_china =
        china != nullptr ? vote_class(china->vote) : static_cast<int>(sim::kYes);
    out.push_back(prediction);
  }
}

}  // namespace

CalibrationResult calibrate(const sim::Scenario& declared, const VoteHistory& history,
                            const CalibrationOptions& options) {
  sim::Scenario scenario = declared;
  scenario.parameters.decision.drift_reference = record_midpoint(declared, history);
  scenario.parameters.decision.drift_until.reset();
  std::vector<Index> holdout;
  for (const auto& name : options.holdout) {
    const Index item = scenario.find_item_or_resolution(name);
    if (item < 0) {
      std::vector<std::string> names;
      for (const auto& agenda_item : scenario.agenda) {
        names.push_back(agenda_item.resolution.empty() ? agenda_item.id : agenda_item.resolution);
      }
      throw sim::InputError(sim::SourceLocation{"--holdout " + name, 0, 0},
                            "no agenda item or resolution '" + name + "' in the scenario" +
                                sim::suggestion(name, names));
    }
    holdout.push_back(item);
  }
  const PersistenceBaseline persistence(history, resolution_types(scenario));
  CalibrationResult result;
  result.fold_kind = options.folds;
  {
    std::vector<std::string> held_out_symbols;
    for (const Index item : holdout) {
      const sim::AgendaItem& agenda_item = scenario.agenda[static_cast<size_t>(item)];
      if (agenda_item.resolution.empty()) {
        result.unrecorded_holdout.push_back(
            agenda_item.id + ": the agenda item has no resolution symbol to find its votes by");
      } else {
        held_out_symbols.push_back(agenda_item.resolution);
      }
    }
    std::vector<std::string> agenda_symbols;
    for (const auto& agenda_item : scenario.agenda) {
      agenda_symbols.push_back(agenda_item.resolution);
    }
    for (auto& line : describe_unrecorded_resolutions(history, held_out_symbols, agenda_symbols)) {
      result.unrecorded_holdout.push_back(std::move(line));
    }
    for (size_t item = 0; item < scenario.agenda.size(); ++item) {
      const sim::AgendaItem& agenda_item = scenario.agenda[item];
      if (agenda_item.kind != sim::ItemKind::Vote ||
          std::find(holdout.begin(), holdout.end(), static_cast<Index>(item)) != holdout.end() ||
          has_recorded_votes(scenario, agenda_item, history)) {
        continue;
      }
      if (agenda_item.resolution.empty()) {
        result.unrecorded_items.emplace_back(
            agenda_item.id + ": the agenda item has no resolution symbol to find its votes by",
            agenda_item.id);
        continue;
      }
      // The history's spelling of a text not in the agenda is suggested, as for --holdout.
      const std::vector<std::string> lines =
          describe_unrecorded_resolutions(history, {agenda_item.resolution}, agenda_symbols);
      result.unrecorded_items.emplace_back(
          agenda_item.id + " (" + agenda_item.resolution + ")" +
              (lines.empty()
                   ? std::string(": no recorded vote of the scenario's countries in the --history "
                                 "files")
                   : lines.front().substr(agenda_item.resolution.size())),
          agenda_item.resolution);
    }
  }

  for (const auto& tag : sim::applied_offset_tags(scenario.parameters.decision)) {
    bool carried = false;
    for (size_t item = 0; item < scenario.agenda.size() && !carried; ++item) {
      const sim::AgendaItem& agenda_item = scenario.agenda[item];
      carried =
          std::find(agenda_item.tags.begin(), agenda_item.tags.end(), tag) !=
              agenda_item.tags.end() &&
          std::find(holdout.begin(), holdout.end(), static_cast<Index>(item)) == holdout.end() &&
          has_recorded_votes(scenario, agenda_item, history);
    }
    if (!carried) {
      result.idle_offset_tags.push_back(tag);
    }
  }

  std::vector<Index> folds;
  if (options.folds != Folds::None) {
    for (size_t item = 0; item < scenario.agenda.size(); ++item) {
      const bool held_out =
          std::find(holdout.begin(), holdout.end(), static_cast<Index>(item)) != holdout.end();
      if (!held_out && has_recorded_votes(scenario, scenario.agenda[item], history)) {
        folds.push_back(static_cast<Index>(item));
      }
    }
  }
  // What a fold's fit does not see: the --holdout items and the fold itself; for a forward fold
  // also every item dated on or after it, which a forecast made the day before could not have
  // seen.
  const auto removed_for = [&](Index fold) {
    std::vector<Index> removed = holdout;
    const sim::Date cutoff = scenario.agenda[static_cast<size_t>(fold)].date;
    for (size_t item = 0; item < scenario.agenda.size(); ++item) {
      const auto index = static_cast<Index>(item);
      const bool unseen = index == fold || (options.folds == Folds::Forward &&
                                            !(scenario.agenda[item].date < cutoff));
      if (unseen && std::find(removed.begin(), removed.end(), index) == removed.end()) {
        removed.push_back(index);
      }
    }
    return removed;
  };
  // Forward folds with fewer than min_earlier recorded resolutions before them are not scored.
  if (options.folds == Folds::Forward) {
    std::vector<Index> scored;
    for (const Index fold : folds) {
      const sim::Date cutoff = scenario.agenda[static_cast<size_t>(fold)].date;
      const auto earlier = std::count_if(folds.begin(), folds.end(), [&](Index other) {
        return scenario.agenda[static_cast<size_t>(other)].date < cutoff;
      });
      if (earlier >= std::max(1, options.min_earlier)) {
        scored.push_back(fold);
      } else {
        result.unscored.push_back(scenario.agenda[static_cast<size_t>(fold)].resolution);
      }
    }
    folds = scored;
  }
  const int total = static_cast<int>(folds.size()) + 1;
  int done = 0;
  for (const Index fold : folds) {
    const FittedModel model =
        fit_scenario(sim::without_agenda_items(scenario, removed_for(fold)), history, options);
    predict_held_out(scenario, history, model.parameters, fold, persistence, result.held_out);
    result.folds.push_back(scenario.agenda[static_cast<size_t>(fold)].resolution);
    result.fold_fits.push_back(model.summary);
    if (options.progress) {
      options.progress(++done, total, result.folds.back());
    }
  }
  const FittedModel model =
      fit_scenario(sim::without_agenda_items(scenario, holdout), history, options);
  result.parameters = model.parameters;
  result.fit = model.summary;
  {
    std::vector<sim::AgendaItem> held_out_items;
    held_out_items.reserve(holdout.size());
    for (const Index item : holdout) {
      held_out_items.push_back(scenario.agenda[static_cast<size_t>(item)]);
    }
    result.unfitted_holdout_tags =
        sim::tags_without_intercepts(held_out_items, result.parameters.decision);
  }
  result.training = model.training;
  // Each held-out text is predicted on its own, with the recorded votes of the others — held-out
  // ones too — imposed on the replay: a forecast of the 2015 text knows how everyone voted on the
  // 2014 one, as the persistence baseline does, though neither entered the fit.
  std::vector<Index> by_date = holdout;
  const auto date_of = [&](Index item) { return scenario.agenda[static_cast<size_t>(item)].date; };
  std::sort(by_date.begin(), by_date.end(), [&](Index left, Index right) {
    return date_of(left) != date_of(right) ? date_of(left) < date_of(right) : left < right;
  });
  by_date.erase(std::unique(by_date.begin(), by_date.end()), by_date.end());
  for (const Index item : by_date) {
    predict_held_out(scenario, history, model.parameters, item, persistence, result.held_out);
  }
  if (options.progress) {
    options.progress(++done, total, "final fit");
  }
  std::vector<ResampledRow> resampled;
  for (const auto& row : result.held_out) {
    resampled.push_back(ResampledRow{row.resolution,
                                     row.recorded,
                                     row.predicted,
                                     row.probability[static_cast<size_t>(row.recorded)],
                                     {row.always_yes, row.persistence, row.copy_china}});
  }
  result.intervals = resolution_intervals(resampled, options.resamples);
  return result;
}

namespace {

// Model and baselines on the given rows (pointers into the predictions, in their order).
BaselineComparison compare_rows(const std::vector<const HeldOutPrediction*>& rows) {
  std::vector<ScoredRow> model;
  std::vector<int> recorded;
  std::vector<int> yes;
  std::vector<int> persistence;
  std::vector<int> china;
  for (const HeldOutPrediction* prediction : rows) {
    model.push_back(
        ScoredRow{prediction->recorded, prediction->predicted, prediction->probability});
    recorded.push_back(prediction->recorded);
    yes.push_back(prediction->always_yes);
    persistence.push_back(prediction->persistence);
    china.push_back(prediction->copy_china);
  }
  BaselineComparison comparison;
  comparison.model = compute_metrics(model);
  comparison.always_yes = compute_baseline_metrics(recorded, yes);
  comparison.persistence = compute_baseline_metrics(recorded, persistence);
  comparison.copy_china = compute_baseline_metrics(recorded, china);
  return comparison;
}

}  // namespace

std::vector<HeldAtZeroCount> held_at_zero_in_folds(const CalibrationResult& result) {
  std::vector<HeldAtZeroCount> counts;
  for (const auto& fold_fit : result.fold_fits) {
    for (const auto& weight : fold_fit.held_at_zero) {
      auto found = std::find_if(counts.begin(), counts.end(), [&](const HeldAtZeroCount& count) {
        return count.weight == weight;
      });
      if (found == counts.end()) {
        counts.push_back(HeldAtZeroCount{weight, 1});
      } else {
        ++found->folds;
      }
    }
  }
  return counts;
}

BaselineComparison compare_held_out(const std::vector<HeldOutPrediction>& predictions,
                                    const std::function<bool(const HeldOutPrediction&)>& keep) {
  std::vector<const HeldOutPrediction*> rows;
  rows.reserve(predictions.size());
  for (const auto& prediction : predictions) {
    if (!keep || keep(prediction)) {
      rows.push_back(&prediction);
    }
  }
  return compare_rows(rows);
}

std::vector<ResolutionComparison> compare_held_out_by_resolution(
    const std::vector<HeldOutPrediction>& predictions) {
  // One pass that groups the rows, not a filter per resolution: a scenario with thousands of
  // agenda items would otherwise scan every prediction once per resolution.
  std::vector<std::string> order;
  std::unordered_map<std::string, std::vector<const HeldOutPrediction*>> groups;
  for (const auto& row : predictions) {
    auto [group, inserted] = groups.try_emplace(row.resolution);
    if (inserted) {
      order.push_back(row.resolution);
    }
    group->second.push_back(&row);
  }
  std::vector<ResolutionComparison> by_resolution;
  by_resolution.reserve(order.size());
  for (const auto& resolution : order) {
    by_resolution.push_back({resolution, compare_rows(groups.at(resolution))});
  }
  return by_resolution;
}

namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string intervals_flow(const ScoreIntervals& intervals) {
  const auto range = [](const Interval& interval) {
    return "[" + number(interval.low) + ", " + number(interval.high) + "]";
  };
  std::string out =
      "{level: " + number(intervals.level) + ", resamples: " + std::to_string(intervals.resamples) +
      ", resolutions: " + std::to_string(intervals.resolutions) +
      ", accuracy: " + range(intervals.accuracy) + ", log_loss: " + range(intervals.log_loss);
  for (size_t baseline = 0; baseline < kBaselines.size(); ++baseline) {
    out +=
        ", gain_over_" + std::string(kBaselines[baseline]) + ": " + range(intervals.gain[baseline]);
  }
  return out + "}";
}

std::string metrics_flow(const Metrics& metrics) {
  return "{rows: " + std::to_string(metrics.rows) + ", accuracy: " + number(metrics.accuracy) +
         ", balanced_accuracy: " + number(metrics.balanced_accuracy) +
         ", kappa: " + number(metrics.kappa) + ", log_loss: " + number(metrics.log_loss) +
         ", brier: " + number(metrics.brier) + "}";
}

}  // namespace

CsvColumns held_out_csv_columns() {
  return {
      {"resolution", "UN symbol of the held-out resolution"},
      {"country", "ISO3 code of the member state"},
      {"recorded", "its recorded vote: Y, N, A or NV (did not vote)"},
      {"predicted", "the model's most probable option, from a fit that never saw this resolution"},
      {"p_Y", "the model's probability of Yes"},
      {"p_N", "the model's probability of No"},
      {"p_A", "the model's probability of abstaining"},
      {"p_NV", "the model's probability of not voting"},
      {"persistence",
       "baseline: the country's recorded vote on the most recent earlier resolution of the same "
       "type, else on the most recent one (Y where there is none)"},
      {"copy_china",
       "baseline: China's recorded vote on the resolution (Y where none is recorded)"}};
}

std::string held_out_csv(const std::vector<HeldOutPrediction>& predictions) {
  const auto name = [](int option) {
    return option < 0 ? std::string() : std::string(sim::kVoteOptions[static_cast<size_t>(option)]);
  };
  std::string out;
  append_csv_header(out, held_out_csv_columns());
  for (const auto& row : predictions) {
    append_csv_row(out, {row.resolution, row.country, name(row.recorded), name(row.predicted),
                         format_double(row.probability[0]), format_double(row.probability[1]),
                         format_double(row.probability[2]), format_double(row.probability[3]),
                         name(row.persistence), name(row.copy_china)});
  }
  return out;
}

std::string parameters_yaml(const sim::Scenario& scenario, const CalibrationResult& result,
                            const std::vector<std::string>& header) {
  std::string out;
  for (const auto& line : header) {
    out += yaml_comment(line);
  }
  out += "calibration:\n";
  out += "  rows: " + std::to_string(result.fit.rows) + "\n";
  out += "  iterations: " + std::to_string(result.fit.iterations) + "\n";
  out += "  converged: " + std::string(result.fit.converged ? "true" : "false") + "\n";
  out += "  log_likelihood: " + number(result.fit.log_likelihood) + "\n";
  if (!result.fit.held_at_zero.empty()) {
    out +=
        "  # Weights the data pull below zero, held at zero: a negative one would turn its term\n";
    out += "  # around (docs/model.md).\n";
    out += "  held_at_zero: [";
    for (size_t index = 0; index < result.fit.held_at_zero.size(); ++index) {
      out += (index == 0 ? "" : ", ") + result.fit.held_at_zero[index];
    }
    out += "]\n";
  }
  out += "  training: " + metrics_flow(result.training) + "\n";
  if (!result.held_out.empty()) {
    const BaselineComparison held_out = compare_held_out(result.held_out);
    out += "  held_out:\n";
    // Which validation produced these figures: a forward fold never saw later texts, so its
    // figures are the ones to compare with a forecast of new votes.
    out += std::string("    folds: ") +
           (result.fold_kind == Folds::LeaveOneOut ? "leave_one_resolution_out"
            : result.fold_kind == Folds::Forward   ? "forward"
                                                   : "none") +
           "\n";
    if (!result.unscored.empty()) {
      out += "    unscored: [";
      for (size_t index = 0; index < result.unscored.size(); ++index) {
        out += (index == 0 ? "" : ", ") + yaml_quoted(result.unscored[index]);
      }
      out += "]\n";
    }
    out += "    model: " + metrics_flow(held_out.model) + "\n";
    out += "    always_yes: " + metrics_flow(held_out.always_yes) + "\n";
    out += "    persistence: " + metrics_flow(held_out.persistence) + "\n";
    out += "    copy_china: " + metrics_flow(held_out.copy_china) + "\n";
    const std::vector<HeldAtZeroCount> pinned = held_at_zero_in_folds(result);
    if (!pinned.empty()) {
      out += "    # How many of the " + std::to_string(result.fold_fits.size()) +
             " folds' own fits held each weight at zero.\n";
      out += "    held_at_zero_in_folds: {";
      for (size_t index = 0; index < pinned.size(); ++index) {
        out += (index == 0 ? "" : ", ") + pinned[index].weight + ": " +
               std::to_string(pinned[index].folds);
      }
      out += "}\n";
    }
  }
  if (result.intervals) {
    out += "    # Percentile intervals from resampling the held-out resolutions; a gain is the\n";
    out += "    # model's accuracy minus the baseline's on the same rows.\n";
    out += "    intervals: " + intervals_flow(*result.intervals) + "\n";
  }
  if (!result.held_out.empty()) {
    out +=
        "    # Each resolution: the model's held-out figures, its accuracy's 95% Wilson interval\n";
    out += "    # over the resolution's votes (taken as independent, so too narrow where blocs\n";
    out += "    # vote together) and persistence's accuracy on the same rows.\n";
    out += "    by_resolution:\n";
    for (const auto& [resolution, comparison] : compare_held_out_by_resolution(result.held_out)) {
      const Interval interval = accuracy_wilson_interval(comparison.model);
      out += "      " + yaml_quoted(resolution) +
             ": {rows: " + std::to_string(comparison.model.rows) +
             ", accuracy: " + number(comparison.model.accuracy) + ", accuracy_interval: [" +
             number(interval.low) + ", " + number(interval.high) +
             "], log_loss: " + number(comparison.model.log_loss) +
             ", persistence_accuracy: " + number(comparison.persistence.accuracy) + "}\n";
    }
  }

  const sim::DecisionParameters& decision = result.parameters.decision;
  out += "parameters:\n  decision:\n";
  out += "    temperature: " + number(decision.temperature) + "\n";
  // Option keys are always quoted: "Y" and "N" read as booleans in YAML 1.1 tools.
  out += "    intercepts: {";
  bool first = true;
  for (const auto& [option, value] : decision.intercepts) {
    out += (first ? "" : ", ") + yaml_quoted(option) + ": " + number(value);
    first = false;
  }
  out += "}\n";
  if (!decision.tag_intercepts.empty()) {
    out += "    tag_intercepts:\n";
    for (const auto& [tag, options] : decision.tag_intercepts) {
      out += "      " + yaml_key(tag) + ": {";
      first = true;
      for (const auto& [option, value] : options) {
        out += (first ? "" : ", ") + yaml_quoted(option) + ": " + number(value);
        first = false;
      }
      out += "}\n";
    }
  }
  out += "    participation: " + number(decision.participation) + "\n";
  out += "    salience_participation: " + number(decision.salience_participation) + "\n";
  out += "    orientation: " + number(decision.orientation) + "\n";
  out += "    persistence: " + number(decision.persistence) + "\n";
  out += "    recency: " + number(decision.recency) + "\n";
  out += "    habit: " + number(decision.habit) + "\n";
  if (decision.drift_reference) {
    out += "    drift_reference: " + sim::format_date(*decision.drift_reference) + "\n";
  }
  if (decision.drift_until) {
    out += "    drift_until: " + sim::format_date(*decision.drift_until) + "\n";
  }
  if (!decision.offset_tags.empty()) {
    out += "    offset_tags: [";
    for (size_t index = 0; index < decision.offset_tags.size(); ++index) {
      out += (index == 0 ? "" : ", ") + yaml_quoted(decision.offset_tags[index]);
    }
    out += "]\n";
  }
  out += "    leverage: {";
  for (size_t power = 0; power < scenario.powers.size(); ++power) {
    out += (power == 0 ? "" : ", ") + yaml_key(scenario.powers[power].id) + ": " +
           number(decision.leverage(static_cast<Index>(power)));
  }
  out += "}\n    norms: {";
  for (size_t norm = 0; norm < scenario.norms.size(); ++norm) {
    out += (norm == 0 ? "" : ", ") + yaml_key(scenario.norms[norm].id) + ": " +
           number(decision.norm(static_cast<Index>(norm)));
  }
  out += "}\n";
  if (!decision.country_offsets.empty()) {
    out += "    country_offsets:\n";
    for (const auto& [country, offset] : decision.country_offsets) {
      out += "      " + yaml_key(country) + ": {orientation: " + number(offset.orientation) +
             ", orientation_drift: " + number(offset.orientation_drift) +
             ", participation: " + number(offset.participation);
      if (!offset.norms.empty()) {
        out += ", norms: {";
        first = true;
        for (const auto& [norm, value] : offset.norms) {
          out += (first ? "" : ", ") + yaml_key(norm) + ": " + number(value);
          first = false;
        }
        out += "}";
      }
      if (!offset.by_tag.empty()) {
        out += ", by_tag: {";
        first = true;
        for (const auto& [tag, tag_offset] : offset.by_tag) {
          out += (first ? "" : ", ") + yaml_key(tag) +
                 ": {orientation: " + number(tag_offset.orientation) +
                 ", participation: " + number(tag_offset.participation) + "}";
          first = false;
        }
        out += "}";
      }
      out += "}\n";
    }
  }
  return out;
}

}  // namespace multivector::results
