#include "results/recorder.hpp"

#include "agents/choice.hpp"

namespace multivector::results {

RunRecorder::RunRecorder(const sim::Scenario& scenario, bool record_trajectory)
    : scenario_(scenario), record_trajectory_(record_trajectory) {}

void RunRecorder::on_event(const sim::EventRecord& record) {
  events_.push_back(record);
}

void RunRecorder::on_decision(const sim::DecisionRecord& record) {
  DecisionRow row;
  row.item = record.item;
  row.country = record.country;
  row.date = record.date;
  row.step = record.step;
  row.realised = record.realised;
  row.modal = record.decision->modal;
  row.previous_choice = record.previous_choice;
  row.probability = record.decision->probability;
  row.utility = record.decision->utility;
  row.terms = record.decision->terms;
  row.features = record.decision->features;
  row.threats = record.threats;
  decision_index_.emplace(decision_key(row.item, row.country), decisions_.size());
  decisions_.push_back(std::move(row));
}

std::vector<std::string> RunRecorder::trajectory_columns() const {
  std::vector<std::string> columns = {"orientation"};
  for (const char* quantity :
       {"vulnerability", "leverage", "credibility", "protection", "inducement", "costs_borne"}) {
    for (const auto& power : scenario_.powers) {
      columns.push_back(std::string(quantity) + "_" + power.id);
    }
  }
  for (const auto& norm : scenario_.norms) {
    columns.push_back("alarm_" + norm.id);
  }
  return columns;
}

void RunRecorder::on_step(const sim::StepRecord& record) {
  const agents::WorldState& state = *record.state;
  const Index countries = state.dims.countries;
  const Index powers = state.dims.powers;
  TrajectoryStep step;
  step.date = record.date;
  step.step = record.step;
  step.values.resize(countries, 1 + 6 * powers + state.dims.norms);
  step.values.col(0) = state.orientation;
  const RowMatrix* per_power[] = {
      record.vulnerability, record.leverage,   record.effective_credibility,
      &state.protection,    &state.inducement, &state.costs_borne};
  Index column = 1;
  for (const RowMatrix* matrix : per_power) {
    step.values.middleCols(column, powers) = *matrix;
    column += powers;
  }
  step.values.middleCols(column, state.dims.norms) = state.alarm;
  trajectory_.push_back(std::move(step));
}

const DecisionRow* RunRecorder::find_decision(Index item, Index country) const {
  const auto found = decision_index_.find(decision_key(item, country));
  return found == decision_index_.end() ? nullptr : &decisions_[found->second];
}

std::vector<std::string> term_names(const sim::Scenario& scenario) {
  std::vector<std::string> names = {"intercept", "participation", "orientation", "persistence"};
  for (const auto& power : scenario.powers) {
    names.push_back("leverage_" + power.id);
  }
  for (const auto& power : scenario.powers) {
    names.push_back("threat_" + power.id);
  }
  for (const auto& norm : scenario.norms) {
    names.push_back("norm_" + norm.id);
  }
  return names;
}

}  // namespace multivector::results
