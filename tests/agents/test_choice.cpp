// The multinomial-logit decision rule of DESIGN §4, by hand and by property.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "agents/choice.hpp"

using namespace multivector::agents;

namespace {

// A vote (Y, N, A, NV) on a text whose Yes points West; one power (Russia, stance N).
ItemFeatures vote_item() {
  ItemFeatures item;
  item.lean.resize(4);
  item.lean << 1, -1, 0, 0;
  item.stay_out.resize(4);
  item.stay_out << 0, 0, 0, 1;
  item.offence.resize(1, 4);
  item.offence << 1.0, 0.0, 0.2, 0.1;
  item.norm_value.resize(1, 4);
  item.norm_value << 1, -1, 0, 0;
  item.salience = 2.0;
  return item;
}

CountryInputs country(double leverage) {
  CountryInputs inputs;
  inputs.orientation = 0.5;
  inputs.stay_out_logit = std::log(0.2 / 0.8);
  inputs.leverage = Vector::Constant(1, leverage);
  inputs.threat_pressure = RowMatrix::Zero(1, 4);
  inputs.norm_sensitivity = Vector::Constant(1, 0.5);
  return inputs;
}

DecisionWeights weights() {
  DecisionWeights result;
  result.participation = 1.0;
  result.salience_participation = -0.5;
  result.orientation = 2.0;
  result.persistence = 0.7;
  result.leverage = Vector::Constant(1, 1.5);
  result.norm = Vector::Constant(1, 1.0);
  result.temperature = 1.0;
  return result;
}

}  // namespace

TEST_CASE("utility terms match a hand computation") {
  const ItemFeatures item = vote_item();
  CountryInputs inputs = country(0.4);
  inputs.previous_choice = 2;  // abstained on the last similar item
  Vector intercept(4);
  intercept << 0.0, -1.0, 0.5, -0.5;
  Decision decision;
  decide(item, inputs, intercept, weights(), CountryOffsets{}, decision);
  const TermLayout terms{1, 1};
  // Orientation: β · lean · x = 2 · (±1) · 0.5
  CHECK(decision.terms(0, TermLayout::kOrientation) == Approx(1.0));
  CHECK(decision.terms(1, TermLayout::kOrientation) == Approx(-1.0));
  // Leverage: −γ σ L offence = −1.5 · 2 · 0.4 · offence
  CHECK(decision.terms(0, terms.leverage(0)) == Approx(-1.2));
  CHECK(decision.terms(2, terms.leverage(0)) == Approx(-0.24));
  CHECK(decision.terms(1, terms.leverage(0)) == Approx(0.0));
  // Participation on NV: logit(0.2) − 0.5 · σ
  CHECK(decision.terms(3, TermLayout::kParticipation) == Approx(std::log(0.25) - 1.0));
  CHECK(decision.terms(0, TermLayout::kParticipation) == Approx(0.0));
  // Norms: ζ · sensitivity · n(o)
  CHECK(decision.terms(0, terms.norm(0)) == Approx(0.5));
  CHECK(decision.terms(1, terms.norm(0)) == Approx(-0.5));
  // Persistence on the previous choice only
  CHECK(decision.terms(2, TermLayout::kPersistence) == Approx(0.7));
  CHECK(decision.terms(0, TermLayout::kPersistence) == Approx(0.0));
  // U(Y) = 0 + 1 − 1.2 + 0.5 = 0.3; U(N) = −1 − 1 − 0.5 = −2.5
  // U(A) = 0.5 − 0.24 + 0.7 = 0.96; U(NV) = −0.5 + ln 0.25 − 1 − 1.5·2·0.4·0.1
  CHECK(decision.utility(0) == Approx(0.3));
  CHECK(decision.utility(1) == Approx(-2.5));
  CHECK(decision.utility(2) == Approx(0.96));
  CHECK(decision.utility(3) == Approx(-0.5 + std::log(0.25) - 1.0 - 0.12));
  const double denominator =
      std::exp(0.3) + std::exp(-2.5) + std::exp(0.96) + std::exp(decision.utility(3));
  CHECK(decision.probability(2) == Approx(std::exp(0.96) / denominator));
  CHECK(decision.modal == 2);
}

TEST_CASE("threat pressure shares the leverage weight") {
  const ItemFeatures item = vote_item();
  CountryInputs inputs = country(0.0);
  inputs.threat_pressure(0, 2) = 0.3;  // abstaining is threatened
  Decision decision;
  decide(item, inputs, Vector::Zero(4), weights(), CountryOffsets{}, decision);
  const TermLayout terms{1, 1};
  CHECK(decision.terms(2, terms.threat(0)) == Approx(-1.5 * 2.0 * 0.3));
  CHECK(decision.terms(1, terms.threat(0)) == Approx(0.0));
}

TEST_CASE("a country's orientation offset drifts with the item's years from the reference") {
  ItemFeatures item = vote_item();
  item.years = -2.0;  // two years before the drift reference
  CountryOffsets offsets;
  offsets.orientation = 0.3;
  offsets.orientation_drift = 0.25;  // per year: leaning further West as time goes on
  Decision decision;
  decide(item, country(0.0), Vector::Zero(4), weights(), offsets, decision);
  // β · lean · x + (δ + η · t) · lean = 2 · 0.5 + (0.3 − 0.5) = 0.8 on Yes, −0.8 on No
  CHECK(decision.terms(0, TermLayout::kOrientation) == Approx(0.8));
  CHECK(decision.terms(1, TermLayout::kOrientation) == Approx(-0.8));
  CHECK(decision.terms(2, TermLayout::kOrientation) == Approx(0.0));
  CHECK(decision.features(0, FeatureLayout::kOrientationDrift) == Approx(-2.0));
  // At the reference the drift adds nothing.
  item.years = 0.0;
  decide(item, country(0.0), Vector::Zero(4), weights(), offsets, decision);
  CHECK(decision.terms(0, TermLayout::kOrientation) == Approx(1.3));
}

TEST_CASE("a country's offsets on an offset tag apply only to items that carry the tag") {
  ItemFeatures item = vote_item();
  CountryOffsets offsets;
  offsets.orientation = 0.3;
  offsets.participation = 0.1;
  // Two offset tags: the country leans further West on the first and stays away more on the
  // second; the item carries only the first.
  offsets.tag_orientation = (Vector(2) << 0.4, -5.0).finished();
  offsets.tag_participation = (Vector(2) << 0.2, 7.0).finished();
  item.offset_tags = (Vector(2) << 1.0, 0.0).finished();
  Decision decision;
  decide(item, country(0.0), Vector::Zero(4), weights(), offsets, decision);
  // β · lean · x + (δ + δ_g) · lean = 2 · 0.5 + 0.3 + 0.4 on Yes, its negative on No
  CHECK(decision.terms(0, TermLayout::kOrientation) == Approx(1.7));
  CHECK(decision.terms(1, TermLayout::kOrientation) == Approx(-1.7));
  // Not voting: w_p · logit(0.2) + w_s · σ + π + π_g
  const double participation = std::log(0.2 / 0.8) - 0.5 * 2.0 + 0.1 + 0.2;
  CHECK(decision.terms(3, TermLayout::kParticipation) == Approx(participation));
  const FeatureLayout layout{1, 1, 2};
  CHECK(decision.features.cols() == layout.columns());
  CHECK(decision.features(0, layout.tag_orientation(0)) == Approx(1.0));
  CHECK(decision.features(0, layout.tag_orientation(1)) == Approx(0.0));
  CHECK(decision.features(3, layout.tag_participation(0)) == Approx(1.0));
  CHECK(decision.features(3, layout.tag_participation(1)) == Approx(0.0));
  // The same item without the tag: the offsets by tag add nothing.
  item.offset_tags.setZero();
  decide(item, country(0.0), Vector::Zero(4), weights(), offsets, decision);
  CHECK(decision.terms(0, TermLayout::kOrientation) == Approx(1.3));
  CHECK(decision.terms(3, TermLayout::kParticipation) == Approx(participation - 0.2));
  // The terms still add up to the utility.
  CHECK(decision.terms.row(0).sum() == Approx(decision.utility(0)));
}

TEST_CASE("two-option choice probability is the logistic of the utility gap over temperature") {
  const Vector probability = choice_probabilities((Vector(2) << 1.0, 0.0).finished(), 0.5);
  CHECK(probability(0) == Approx(1.0 / (1.0 + std::exp(-2.0))));
}

TEST_CASE("probabilities stay finite at extreme utilities and near-zero temperature") {
  const Vector huge = (Vector(3) << 1e300, -1e300, 0.0).finished();
  const Vector probability = choice_probabilities(huge, 1e-12);
  CHECK(probability.allFinite());
  CHECK(probability(0) == Approx(1.0));
  CHECK(probability.sum() == Approx(1.0));
}

TEST_CASE("sampling by inverse CDF picks the option whose interval holds the draw") {
  const Vector probability = (Vector(3) << 0.2, 0.5, 0.3).finished();
  CHECK(sample_option(probability, 0.0) == 0);
  CHECK(sample_option(probability, 0.19) == 0);
  CHECK(sample_option(probability, 0.2) == 1);
  CHECK(sample_option(probability, 0.69) == 1);
  CHECK(sample_option(probability, 0.71) == 2);
  CHECK(sample_option(probability, 0.9999999999) == 2);
}

TEST_CASE("property: probabilities sum to 1 for random inputs") {
  std::mt19937_64 generator(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> wide(-5.0, 5.0);
  for (int trial = 0; trial < 500; ++trial) {
    ItemFeatures item = vote_item();
    item.offence << unit(generator), unit(generator), unit(generator), unit(generator);
    item.salience = 3.0 * unit(generator);
    CountryInputs inputs = country(2.0 * unit(generator));
    inputs.orientation = wide(generator) / 5.0;
    inputs.norm_sensitivity(0) = unit(generator);
    DecisionWeights rule = weights();
    rule.orientation = wide(generator);
    rule.leverage(0) = wide(generator);
    rule.temperature = 0.05 + unit(generator);
    Decision decision;
    decide(item, inputs,
           (Vector(4) << wide(generator), wide(generator), wide(generator), wide(generator))
               .finished(),
           rule, CountryOffsets{}, decision);
    REQUIRE(decision.probability.allFinite());
    REQUIRE(decision.probability.minCoeff() >= 0.0);
    REQUIRE(decision.probability.sum() == Approx(1.0).epsilon(1e-12));
  }
}

TEST_CASE("property: more exposure never lowers the probability of the power's preferred option") {
  // Leverage grows with exposure; with γ ≥ 0 and the preferred option offending least, its
  // probability must not fall as leverage rises, whatever the other terms are.
  std::mt19937_64 generator(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> wide(-3.0, 3.0);
  for (int trial = 0; trial < 300; ++trial) {
    ItemFeatures item = vote_item();
    item.offence << 1.0, 0.0, unit(generator), unit(generator);  // N is preferred (offence 0)
    CountryInputs inputs = country(0.0);
    inputs.orientation = wide(generator) / 3.0;
    DecisionWeights rule = weights();
    rule.leverage(0) = 3.0 * unit(generator);
    const Vector intercept =
        (Vector(4) << wide(generator), wide(generator), wide(generator), wide(generator))
            .finished();
    double previous = -1.0;
    // An integer counter: tenths summed as doubles drift (twenty make 1.9999999999999998), and a
    // drift the other way would skip the last step, 2.0.
    for (int tenths = 0; tenths <= 20; ++tenths) {
      inputs.leverage(0) = 0.1 * tenths;
      Decision decision;
      decide(item, inputs, intercept, rule, CountryOffsets{}, decision);
      REQUIRE(decision.probability(1) >= previous - 1e-12);
      previous = decision.probability(1);
    }
  }
}
