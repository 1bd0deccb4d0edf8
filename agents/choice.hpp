#pragma once
// The decision rule of DESIGN §4: a random-utility multinomial logit whose utility is a sum of
// separately visible terms, each a global weight times a feature of the country and the item.
//
// U(o) = α_o + w_p·stay(o)·logit(stay_out_i) + w_s·stay(o)·σ + (π_i + Σ_g π_ig)·stay(o)
//      + β·lean(o)·x_i + (δ_i + η_i·t + Σ_g δ_ig)·lean(o) + κ·[o = previous]
//      + κ_r·[o = recent] + κ_h·habit(o)
//      − Σ_k γ_k·σ·(L_ik·offence_k(o) + threat_k(o)) + Σ_n (ζ_n·s_in + ν_in)·a_in·n(o)
// where a_in = 1 + alarm is how sharply rhetoric has activated norm n, t is the item's date in
// years from the parameters' drift reference, and δ_i, η_i, π_i, ν_in are the country's fitted
// offsets (η_i the drift of its lean per year); the sums over g run over the parameters' offset
// tags that the item carries, δ_ig and π_ig being how the country's lean and participation differ
// on items with tag g (an emergency special session, say) from its record elsewhere.
// P(o) = softmax(U / τ).
//
// Because U is linear in the weights, calibration is a conditional-logit fit on the features that
// build_features() returns; the engine and calibration share this one definition.

#include <string>
#include <vector>

#include "agents/world_state.hpp"

namespace multivector::agents {

// What an agenda item looks like from any country: the same for every country deciding it.
struct ItemFeatures {
  Vector lean;           // options: +1 leans West, −1 leans towards Russia (h_o · d_r)
  Vector stay_out;       // options: 1 for the options that stay out (NV, silence), else 0
  RowMatrix offence;     // powers × options: how much each option offends each power
  RowMatrix norm_value;  // norms × options: how each option honours (+) or breaks (−) a norm
  double salience = 1.0;
  double years = 0.0;  // the item's date in years from the drift reference (t)
  Vector offset_tags;  // offset tags: 1 where the item carries the tag, else 0 (empty: none)

  [[nodiscard]] Index options() const { return lean.size(); }
};

// What one country brings to one decision.
struct CountryInputs {
  double orientation = 0.0;
  double stay_out_logit = 0.0;  // logit of the country's propensity to stay out
  Vector leverage;              // powers: L_ik
  RowMatrix threat_pressure;    // powers × options: expected punishment under threats in force
  Vector norm_sensitivity;      // norms: standing attachment s_in
  Vector norm_activation;       // norms: 1 + alarm, how sharply hostile rhetoric has raised it
  Index previous_choice = -1;   // option chosen on the most recent similar item, or −1
  Index recent_choice = -1;     // option chosen on the most recent item of any kind, or −1
  Vector habit;                 // options: share of all earlier similar items where it chose o
};

// Per-country corrections fitted by calibration (penalised towards zero), in utility units.
struct CountryOffsets {
  double orientation = 0.0;        // times lean(o)
  double orientation_drift = 0.0;  // per year from the drift reference: times t · lean(o)
  double participation = 0.0;      // times stay(o)
  Vector norm;                     // norms: times activation · n(o)
  // Offset tags: how the country's lean and participation differ on items carrying the tag.
  Vector tag_orientation;    // times lean(o) on such items
  Vector tag_participation;  // times stay(o) on such items
};

// Raw (unweighted) feature columns. Leverage and threat columns share the weight γ_k, so that
// a threat is weighed exactly like the standing leverage it draws on.
struct FeatureLayout {
  Index powers = 0;
  Index norms = 0;
  Index offset_tags = 0;

  static constexpr Index kParticipation = 0;          // stay(o) · logit(stay_out_i)
  static constexpr Index kSalienceParticipation = 1;  // stay(o) · σ
  static constexpr Index kParticipationOffset = 2;    // stay(o), weighted by the country offset
  static constexpr Index kOrientation = 3;            // lean(o) · x_i
  static constexpr Index kOrientationOffset = 4;      // lean(o), weighted by the country offset
  static constexpr Index kPersistence = 5;            // [o = previous choice on a similar item]
  static constexpr Index kRecency = 6;                // [o = choice on the most recent item]
  static constexpr Index kHabit = 7;                  // share of earlier similar items with o
  static constexpr Index kOrientationDrift = 8;  // t · lean(o), weighted by the country's drift
  static constexpr Index kFirstLeverage = 9;

  [[nodiscard]] Index leverage(Index power) const { return kFirstLeverage + power; }
  [[nodiscard]] Index threat(Index power) const { return kFirstLeverage + powers + power; }
  [[nodiscard]] Index norm(Index norm_index) const {
    return kFirstLeverage + 2 * powers + norm_index;
  }
  // activation · n(o), weighted by the country's norm offset
  [[nodiscard]] Index norm_offset(Index norm_index) const {
    return kFirstLeverage + 2 * powers + norms + norm_index;
  }
  // lean(o) and stay(o) on an item carrying offset tag g (zero elsewhere), weighted by the
  // country's offsets for that tag.
  [[nodiscard]] Index tag_orientation(Index tag) const {
    return kFirstLeverage + 2 * powers + 2 * norms + tag;
  }
  [[nodiscard]] Index tag_participation(Index tag) const {
    return kFirstLeverage + 2 * powers + 2 * norms + offset_tags + tag;
  }
  [[nodiscard]] Index columns() const {
    return kFirstLeverage + 2 * powers + 2 * norms + 2 * offset_tags;
  }
};

// Global weights of the rule (what calibration fits), plus the two per-country offsets.
struct DecisionWeights {
  double participation = 1.0;
  double salience_participation = 0.0;
  double orientation = 1.0;
  double persistence = 0.0;
  double recency = 0.0;
  double habit = 0.0;
  Vector leverage;  // powers: γ_k
  Vector norm;      // norms: ζ_n
  double temperature = 1.0;

  // The weight vector aligned with FeatureLayout for a country with the given offsets.
  [[nodiscard]] Vector feature_weights(const FeatureLayout& layout,
                                       const CountryOffsets& offsets) const;
};

// Term groups reported for every option, in this column order.
struct TermLayout {
  Index powers = 0;
  Index norms = 0;

  static constexpr Index kIntercept = 0;
  static constexpr Index kParticipation = 1;
  static constexpr Index kOrientation = 2;
  static constexpr Index kPersistence = 3;
  static constexpr Index kFirstLeverage = 4;

  [[nodiscard]] Index leverage(Index power) const { return kFirstLeverage + power; }
  [[nodiscard]] Index threat(Index power) const { return kFirstLeverage + powers + power; }
  [[nodiscard]] Index norm(Index norm_index) const {
    return kFirstLeverage + 2 * powers + norm_index;
  }
  [[nodiscard]] Index columns() const { return kFirstLeverage + 2 * powers + norms; }
};

struct Decision {
  RowMatrix features;  // options × FeatureLayout::columns()
  RowMatrix terms;     // options × TermLayout::columns(), weighted
  Vector utility;      // options
  Vector probability;  // options
  Index modal = 0;
};

// Fills `features` (options × layout.columns()) for one country and item.
void build_features(const ItemFeatures& item, const CountryInputs& country,
                    const FeatureLayout& layout, RowMatrix& features);

// Applies the rule: features, weighted terms, utilities, probabilities and the modal option.
// `intercept` holds α_o for each option of the item.
void decide(const ItemFeatures& item, const CountryInputs& country, const Vector& intercept,
            const DecisionWeights& weights, const CountryOffsets& offsets, Decision& decision);

// Numerically stable softmax of utility / temperature.
[[nodiscard]] Vector choice_probabilities(const Vector& utility, double temperature);

// The option a uniform draw u ∈ [0, 1) selects by inverse CDF.
[[nodiscard]] Index sample_option(const Vector& probability, double uniform);

// log(p / (1 − p)) with p clamped away from 0 and 1, so an extreme prior stays finite.
[[nodiscard]] double clamped_logit(double probability);

}  // namespace multivector::agents
