#include "agents/choice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace multivector::agents {

Vector DecisionWeights::feature_weights(const FeatureLayout& layout,
                                        const CountryOffsets& offsets) const {
  Vector weights = Vector::Zero(layout.columns());
  weights(FeatureLayout::kParticipation) = participation;
  weights(FeatureLayout::kSalienceParticipation) = salience_participation;
  weights(FeatureLayout::kParticipationOffset) = offsets.participation;
  weights(FeatureLayout::kOrientation) = orientation;
  weights(FeatureLayout::kOrientationOffset) = offsets.orientation;
  weights(FeatureLayout::kOrientationDrift) = offsets.orientation_drift;
  weights(FeatureLayout::kPersistence) = persistence;
  weights(FeatureLayout::kRecency) = recency;
  weights(FeatureLayout::kHabit) = habit;
  for (Index power = 0; power < layout.powers; ++power) {
    weights(layout.leverage(power)) = leverage(power);
    weights(layout.threat(power)) = leverage(power);
  }
  for (Index norm_index = 0; norm_index < layout.norms; ++norm_index) {
    weights(layout.norm(norm_index)) = norm(norm_index);
    weights(layout.norm_offset(norm_index)) =
        offsets.norm.size() > norm_index ? offsets.norm(norm_index) : 0.0;
  }
  for (Index tag = 0; tag < layout.offset_tags; ++tag) {
    weights(layout.tag_orientation(tag)) =
        offsets.tag_orientation.size() > tag ? offsets.tag_orientation(tag) : 0.0;
    weights(layout.tag_participation(tag)) =
        offsets.tag_participation.size() > tag ? offsets.tag_participation(tag) : 0.0;
  }
  return weights;
}

void build_features(const ItemFeatures& item, const CountryInputs& country,
                    const FeatureLayout& layout, RowMatrix& features) {
  const Index options = item.options();
  features.setZero(options, layout.columns());
  features.col(FeatureLayout::kParticipation) = item.stay_out * country.stay_out_logit;
  features.col(FeatureLayout::kSalienceParticipation) = item.stay_out * item.salience;
  features.col(FeatureLayout::kParticipationOffset) = item.stay_out;
  features.col(FeatureLayout::kOrientation) = item.lean * country.orientation;
  features.col(FeatureLayout::kOrientationOffset) = item.lean;
  features.col(FeatureLayout::kOrientationDrift) = item.years * item.lean;
  if (country.previous_choice >= 0 && country.previous_choice < options) {
    features(country.previous_choice, FeatureLayout::kPersistence) = 1.0;
  }
  if (country.recent_choice >= 0 && country.recent_choice < options) {
    features(country.recent_choice, FeatureLayout::kRecency) = 1.0;
  }
  if (country.habit.size() == options) {
    features.col(FeatureLayout::kHabit) = country.habit;
  }
  for (Index power = 0; power < layout.powers; ++power) {
    features.col(layout.leverage(power)) =
        -item.salience * country.leverage(power) * item.offence.row(power).transpose();
    if (country.threat_pressure.size() > 0) {
      features.col(layout.threat(power)) =
          -item.salience * country.threat_pressure.row(power).transpose();
    }
  }
  for (Index norm_index = 0; norm_index < layout.norms; ++norm_index) {
    const double activation =
        country.norm_activation.size() > norm_index ? country.norm_activation(norm_index) : 1.0;
    features.col(layout.norm_offset(norm_index)) =
        activation * item.norm_value.row(norm_index).transpose();
    features.col(layout.norm(norm_index)) =
        country.norm_sensitivity(norm_index) * features.col(layout.norm_offset(norm_index));
  }
  for (Index tag = 0; tag < layout.offset_tags && tag < item.offset_tags.size(); ++tag) {
    features.col(layout.tag_orientation(tag)) = item.offset_tags(tag) * item.lean;
    features.col(layout.tag_participation(tag)) = item.offset_tags(tag) * item.stay_out;
  }
}

void decide(const ItemFeatures& item, const CountryInputs& country, const Vector& intercept,
            const DecisionWeights& weights, const CountryOffsets& offsets, Decision& decision) {
  const FeatureLayout features{weights.leverage.size(), weights.norm.size(),
                               item.offset_tags.size()};
  const TermLayout terms{features.powers, features.norms};
  build_features(item, country, features, decision.features);
  const Vector feature_weights = weights.feature_weights(features, offsets);
  const RowMatrix weighted = decision.features.rowwise() * feature_weights.transpose();

  const Index options = item.options();
  decision.terms.setZero(options, terms.columns());
  decision.terms.col(TermLayout::kIntercept) = intercept;
  decision.terms.col(TermLayout::kParticipation) =
      weighted.col(FeatureLayout::kParticipation) +
      weighted.col(FeatureLayout::kSalienceParticipation) +
      weighted.col(FeatureLayout::kParticipationOffset);
  decision.terms.col(TermLayout::kOrientation) = weighted.col(FeatureLayout::kOrientation) +
                                                 weighted.col(FeatureLayout::kOrientationOffset) +
                                                 weighted.col(FeatureLayout::kOrientationDrift);
  // A country's lean and participation on items of an offset tag are still its orientation and
  // participation, only measured in that forum, so they are reported in those two terms.
  for (Index tag = 0; tag < features.offset_tags; ++tag) {
    decision.terms.col(TermLayout::kOrientation) += weighted.col(features.tag_orientation(tag));
    decision.terms.col(TermLayout::kParticipation) += weighted.col(features.tag_participation(tag));
  }
  // Persistence, recency and habit are three readings of one idea — a country keeps doing what it
  // did — and are reported as one term.
  decision.terms.col(TermLayout::kPersistence) = weighted.col(FeatureLayout::kPersistence) +
                                                 weighted.col(FeatureLayout::kRecency) +
                                                 weighted.col(FeatureLayout::kHabit);
  for (Index power = 0; power < features.powers; ++power) {
    decision.terms.col(terms.leverage(power)) = weighted.col(features.leverage(power));
    decision.terms.col(terms.threat(power)) = weighted.col(features.threat(power));
  }
  for (Index norm_index = 0; norm_index < features.norms; ++norm_index) {
    decision.terms.col(terms.norm(norm_index)) =
        weighted.col(features.norm(norm_index)) + weighted.col(features.norm_offset(norm_index));
  }
  decision.utility = decision.terms.rowwise().sum();
  decision.probability = choice_probabilities(decision.utility, weights.temperature);
  Index modal = 0;
  decision.probability.maxCoeff(&modal);
  decision.modal = modal;
}

Vector choice_probabilities(const Vector& utility, double temperature) {
  // A temperature at or near zero would divide by zero; the limit is a hard argmax, which the
  // clamp below reproduces without producing inf or NaN.
  const double safe_temperature = std::max(temperature, 1e-9);
  // Clamping keeps inf − inf out of the subtraction below; shifting by the maximum before
  // dividing keeps every exponent at or below zero, so nothing overflows.
  const Vector bounded = utility.cwiseMax(-1e300).cwiseMin(1e300);
  const Vector scaled = (bounded - bounded.maxCoeff()) / safe_temperature;
  const Vector weights = scaled.exp();
  return weights / weights.sum();
}

Index sample_option(const Vector& probability, double uniform) {
  double cumulative = 0.0;
  for (Index option = 0; option < probability.size(); ++option) {
    cumulative += probability(option);
    if (uniform < cumulative) {
      return option;
    }
  }
  // Rounding can leave the cumulative sum a hair below 1: fall back to the last option that has
  // any probability at all.
  for (Index option = probability.size() - 1; option >= 0; --option) {
    if (probability(option) > 0.0) {
      return option;
    }
  }
  return 0;
}

double clamped_logit(double probability) {
  constexpr double kFloor = 1e-3;
  const double clamped = std::clamp(probability, kFloor, 1.0 - kFloor);
  return std::log(clamped / (1.0 - clamped));
}

}  // namespace multivector::agents
