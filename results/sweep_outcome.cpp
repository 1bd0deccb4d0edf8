#include "results/sweep_outcome.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace multivector::results {

using sim::Index;

// Keeps only what the outcome tables need; asks for no events, and reads each step's state in
// place (the record's matrices live in the engine, so the last step's stay valid after the run).
class SweepWorker::Observer : public sim::RunObserver {
 public:
  [[nodiscard]] bool wants_events() const override { return false; }
  [[nodiscard]] bool wants_steps() const override { return true; }

  void start(RunOutcome& outcome) {
    outcome_ = &outcome;
    steps_ = 0;
    days_ = 0.0;
    last_ = sim::StepRecord{};
  }

  void on_decision(const sim::DecisionRecord& record) override {
    outcome_->decisions.push_back(DecisionOutcome{
        static_cast<std::int32_t>(record.item), static_cast<std::int32_t>(record.country),
        static_cast<std::int32_t>(record.realised),
        static_cast<std::int32_t>(record.decision->modal)});
    const sim::Vector& probability = record.decision->probability;
    outcome_->probabilities.insert(outcome_->probabilities.end(), probability.data(),
                                   probability.data() + probability.size());
  }

  // Means are over time, each step weighted by the days it covers: a short step on an event's
  // date between two weekly ones is not a week of the period.
  void on_step(const sim::StepRecord& record) override {
    const double days = static_cast<double>(record.days);
    if (steps_ == 0) {
      orientation_sum_ = days * record.state->orientation;
      leverage_sum_ = days * *record.leverage;
    } else {
      orientation_sum_ += days * record.state->orientation;
      leverage_sum_ += days * *record.leverage;
    }
    ++steps_;
    days_ += days;
    last_ = record;
  }

  void finish() {
    if (steps_ == 0) {
      return;
    }
    const agents::WorldState& state = *last_.state;
    const Index countries = state.dims.countries;
    const Index powers = state.dims.powers;
    const double days = days_;
    outcome_->countries.resize(static_cast<std::size_t>(countries));
    outcome_->powers.resize(static_cast<std::size_t>(countries * powers));
    for (Index country = 0; country < countries; ++country) {
      outcome_->countries[static_cast<std::size_t>(country)] =
          CountryOutcome{state.orientation(country), orientation_sum_(country) / days};
      for (Index power = 0; power < powers; ++power) {
        outcome_->powers[static_cast<std::size_t>(country * powers + power)] = PowerOutcome{
            leverage_sum_(country, power) / days, (*last_.leverage)(country, power),
            (*last_.effective_credibility)(country, power), state.costs_borne(country, power)};
      }
    }
  }

 private:
  RunOutcome* outcome_ = nullptr;
  std::int64_t steps_ = 0;
  double days_ = 0.0;
  sim::StepRecord last_;
  sim::Vector orientation_sum_;
  sim::RowMatrix leverage_sum_;
};

SweepWorker::SweepWorker(const sim::Scenario& scenario, const sim::SweepDesign& design,
                         sim::DecisionMode decisions)
    : scenario_(scenario),
      design_(design),
      decisions_(decisions),
      observer_(std::make_unique<Observer>()) {}

SweepWorker::~SweepWorker() = default;

void SweepWorker::run(std::int64_t run_index, RunOutcome& outcome) {
  outcome.run = design_.run(run_index);
  outcome.failed = false;
  outcome.error.clear();
  outcome.decisions.clear();
  outcome.probabilities.clear();
  outcome.countries.clear();
  outcome.powers.clear();
  design_.point_values(outcome.run.point, outcome.parameter_values);
  try {
    design_.apply(scenario_, outcome.parameter_values);
    sim::Engine engine(scenario_, sim::RunOptions{decisions_, outcome.run.seed});
    observer_->start(outcome);
    engine.run(*observer_);
    observer_->finish();
  } catch (const std::exception& error) {
    // A run is recorded whole or marked failed, never half: drop what it produced.
    outcome.failed = true;
    outcome.error = error.what();
    outcome.decisions.clear();
    outcome.probabilities.clear();
    outcome.countries.clear();
    outcome.powers.clear();
  }
}

namespace {

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<char>& bytes) : bytes_(bytes) { bytes_.clear(); }

  template <typename Value>
  void value(const Value& value) {
    static_assert(std::is_trivially_copyable_v<Value>);
    const auto* begin = reinterpret_cast<const char*>(&value);
    bytes_.insert(bytes_.end(), begin, begin + sizeof(Value));
  }
  template <typename Value>
  void values(const std::vector<Value>& values) {
    static_assert(std::is_trivially_copyable_v<Value>);
    value(static_cast<std::uint64_t>(values.size()));
    const auto* begin = reinterpret_cast<const char*>(values.data());
    bytes_.insert(bytes_.end(), begin, begin + values.size() * sizeof(Value));
  }
  void text(const std::string& text) {
    value(static_cast<std::uint64_t>(text.size()));
    bytes_.insert(bytes_.end(), text.begin(), text.end());
  }

 private:
  std::vector<char>& bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(const std::vector<char>& bytes) : bytes_(bytes) {}

  template <typename Value>
  Value value() {
    Value result;
    std::memcpy(&result, take(sizeof(Value)), sizeof(Value));
    return result;
  }
  template <typename Value>
  void values(std::vector<Value>& values) {
    const auto count = value<std::uint64_t>();
    if (count > bytes_.size()) {
      throw std::runtime_error("corrupt sweep message");
    }
    values.resize(count);
    if (count > 0) {
      std::memcpy(values.data(), take(count * sizeof(Value)), count * sizeof(Value));
    }
  }
  std::string text() {
    const auto size = value<std::uint64_t>();
    if (size > bytes_.size()) {
      throw std::runtime_error("corrupt sweep message");
    }
    return std::string(take(size), size);
  }

 private:
  const char* take(std::size_t size) {
    if (size > bytes_.size() - offset_) {
      throw std::runtime_error("truncated sweep message");
    }
    const char* start = bytes_.data() + offset_;
    offset_ += size;
    return start;
  }
  const std::vector<char>& bytes_;
  std::size_t offset_ = 0;
};

}  // namespace

void encode_chunk(const OutcomeChunk& chunk, std::vector<char>& bytes) {
  ByteWriter writer(bytes);
  writer.value(chunk.index);
  writer.value(static_cast<std::uint64_t>(chunk.runs.size()));
  for (const auto& outcome : chunk.runs) {
    writer.value(outcome.run);
    writer.values(outcome.parameter_values);
    writer.value(static_cast<std::uint8_t>(outcome.failed ? 1 : 0));
    writer.text(outcome.error);
    writer.values(outcome.decisions);
    writer.values(outcome.probabilities);
    writer.values(outcome.countries);
    writer.values(outcome.powers);
  }
}

OutcomeChunk decode_chunk(const std::vector<char>& bytes) {
  ByteReader reader(bytes);
  OutcomeChunk chunk;
  chunk.index = reader.value<std::int64_t>();
  const auto runs = reader.value<std::uint64_t>();
  if (runs > bytes.size()) {
    throw std::runtime_error("corrupt sweep message");
  }
  chunk.runs.resize(runs);
  for (auto& outcome : chunk.runs) {
    outcome.run = reader.value<sim::SweepRun>();
    reader.values(outcome.parameter_values);
    outcome.failed = reader.value<std::uint8_t>() != 0;
    outcome.error = reader.text();
    reader.values(outcome.decisions);
    reader.values(outcome.probabilities);
    reader.values(outcome.countries);
    reader.values(outcome.powers);
  }
  return chunk;
}

}  // namespace multivector::results
