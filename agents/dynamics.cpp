#include "agents/dynamics.hpp"

#include <algorithm>
#include <cmath>

namespace multivector::agents {

void WorldState::resize(const Dimensions& dimensions) {
  dims = dimensions;
  const Index countries = dims.countries;
  exposure = RowMatrix::Zero(countries, dims.dependency_columns());
  substitutability = RowMatrix::Zero(countries, dims.dependency_columns());
  channel_weight = RowMatrix::Zero(countries, dims.channels);
  credibility = RowMatrix::Zero(countries, dims.powers);
  protection = RowMatrix::Zero(countries, dims.powers);
  inducement = RowMatrix::Zero(countries, dims.powers);
  costs_borne = RowMatrix::Zero(countries, dims.powers);
  alarm = RowMatrix::Zero(countries, dims.norms);
  norm_sensitivity = RowMatrix::Zero(countries, dims.norms);
  orientation = Vector::Zero(countries);
  orientation_prior = Vector::Zero(countries);
  stubbornness = Vector::Zero(countries);
  stay_out = Vector::Zero(countries);
}

void compute_vulnerability(const WorldState& state, RowMatrix& vulnerability) {
  const Dimensions& dims = state.dims;
  vulnerability.resize(dims.countries, dims.powers);
  for (Index country = 0; country < dims.countries; ++country) {
    for (Index power = 0; power < dims.powers; ++power) {
      const Index first = dims.column(power, 0);
      const auto exposure = state.exposure.row(country).segment(first, dims.channels);
      const auto substitutability =
          state.substitutability.row(country).segment(first, dims.channels);
      vulnerability(country, power) =
          (state.channel_weight.row(country) * exposure * (1.0 - substitutability)).sum();
    }
  }
}

double channel_vulnerability(const WorldState& state, Index country, Index power, Index channel) {
  const Index column = state.dims.column(power, channel);
  return state.channel_weight(country, channel) * state.exposure(country, column) *
         (1.0 - state.substitutability(country, column));
}

double learn_credibility(double credibility, double observation, double learning_rate) {
  return (1.0 - learning_rate) * credibility + learning_rate * observation;
}

void compute_effective_credibility(const WorldState& state, RowMatrix& effective_credibility) {
  effective_credibility = state.credibility * (1.0 - state.protection);
}

void compute_leverage(const PowerProfile& powers, const RowMatrix& effective_credibility,
                      const RowMatrix& vulnerability, const RowMatrix& inducement,
                      double inducement_weight, RowMatrix& leverage) {
  leverage = effective_credibility * vulnerability;
  leverage.rowwise() *= powers.capacity.transpose();
  leverage += inducement_weight * inducement;
}

void update_orientation(WorldState& state, const PowerProfile& powers, const RowMatrix& leverage,
                        const PeerStructure& peers, const OrientationWeights& weights) {
  const Index countries = state.dims.countries;
  // Group sums are taken from the orientations before this step so that the update does not
  // depend on the order in which countries are visited.
  std::vector<double> group_sum(peers.group_sizes.size(), 0.0);
  for (Index country = 0; country < countries; ++country) {
    for (Index slot = peers.group_offsets[static_cast<size_t>(country)];
         slot < peers.group_offsets[static_cast<size_t>(country) + 1]; ++slot) {
      group_sum[static_cast<size_t>(peers.country_groups[static_cast<size_t>(slot)])] +=
          state.orientation(country);
    }
  }
  Vector next(countries);
  for (Index country = 0; country < countries; ++country) {
    const double own = state.orientation(country);
    double weighted_sum = weights.self * own;
    double total_weight = weights.self;

    double peer_sum = 0.0;
    Index peer_count = 0;
    for (Index slot = peers.group_offsets[static_cast<size_t>(country)];
         slot < peers.group_offsets[static_cast<size_t>(country) + 1]; ++slot) {
      const auto group = static_cast<size_t>(peers.country_groups[static_cast<size_t>(slot)]);
      peer_sum += group_sum[group] - own;
      peer_count += peers.group_sizes[group] - 1;
    }
    if (peer_count > 0) {
      weighted_sum += weights.peer * peer_sum / static_cast<double>(peer_count);
      total_weight += weights.peer;
    }
    for (Index power = 0; power < state.dims.powers; ++power) {
      const double pull = weights.power_pull * std::max(0.0, leverage(country, power));
      weighted_sum += pull * powers.position(power);
      total_weight += pull;
    }
    const double social_mean = weighted_sum / total_weight;
    const double stubbornness = state.stubbornness(country);
    const double target =
        stubbornness * state.orientation_prior(country) + (1.0 - stubbornness) * social_mean;
    next(country) = (1.0 - weights.rate) * own + weights.rate * target;
  }
  state.orientation = next.cwiseMax(-1.0).cwiseMin(1.0);
}

bool diversify(WorldState& state, Index country, Index power, Index channel, double rate,
               double threshold) {
  const Index column = state.dims.column(power, channel);
  const double pressure = state.credibility(country, power) * state.exposure(country, column);
  if (pressure <= threshold) {
    return false;
  }
  double& substitutability = state.substitutability(country, column);
  substitutability += rate * (1.0 - substitutability);
  return true;
}

double decay_factor(double half_life_days, double step_days) {
  if (!(half_life_days > 0.0) || std::isinf(half_life_days)) {
    return 1.0;
  }
  return std::exp2(-step_days / half_life_days);
}

}  // namespace multivector::agents
