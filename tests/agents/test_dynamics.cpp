// Every update rule of DESIGN §3 against a case small enough to compute by hand.
#include <catch2/catch.hpp>

#include "agents/dynamics.hpp"

using namespace multivector::agents;

namespace {

// One country, two powers, two channels: small enough to check every number by hand.
WorldState small_world() {
  WorldState state;
  state.resize(Dimensions{1, 2, 2, 1});
  state.channel_weight << 0.5, 0.25;
  // power 0: channel 0 (e=0.8, a=0.5), channel 1 (e=0.4, a=0)
  // power 1: channel 0 (e=0.2, a=0.1), channel 1 (e=1.0, a=0.5)
  state.exposure << 0.8, 0.4, 0.2, 1.0;
  state.substitutability << 0.5, 0.0, 0.1, 0.5;
  state.credibility << 0.6, 0.3;
  return state;
}

}  // namespace

TEST_CASE("vulnerability sums weight × exposure × (1 − substitutability) over channels") {
  const WorldState state = small_world();
  RowMatrix vulnerability;
  compute_vulnerability(state, vulnerability);
  // power 0: 0.5·0.8·0.5 + 0.25·0.4·1 = 0.2 + 0.1 = 0.3
  // power 1: 0.5·0.2·0.9 + 0.25·1.0·0.5 = 0.09 + 0.125 = 0.215
  CHECK(vulnerability(0, 0) == Approx(0.3));
  CHECK(vulnerability(0, 1) == Approx(0.215));
  CHECK(channel_vulnerability(state, 0, 1, 1) == Approx(0.125));
}

TEST_CASE("credibility learns from coercion, ambiguity and lapses") {
  CHECK(learn_credibility(0.5, 1.0, 0.2) == Approx(0.6));  // carried out
  CHECK(learn_credibility(0.5, 0.5, 0.2) == Approx(0.5));  // ambiguous act
  CHECK(learn_credibility(0.5, 0.0, 0.2) == Approx(0.4));  // lapsed threat
  CHECK(learn_credibility(0.7, 0.0, 0.0) == Approx(0.7));  // no learning
}

TEST_CASE("a guarantee scales another power's credibility down") {
  WorldState state = small_world();
  state.protection << 0.5, 0.0;
  RowMatrix effective;
  compute_effective_credibility(state, effective);
  CHECK(effective(0, 0) == Approx(0.3));  // 0.6 · (1 − 0.5)
  CHECK(effective(0, 1) == Approx(0.3));  // unprotected
}

TEST_CASE("leverage is capacity × effective credibility × vulnerability + η × inducements") {
  PowerProfile powers;
  powers.position.resize(2);
  powers.position << -1.0, 1.0;
  powers.capacity.resize(2);
  powers.capacity << 2.0, 1.0;
  RowMatrix credibility(1, 2);
  credibility << 0.5, 0.4;
  RowMatrix vulnerability(1, 2);
  vulnerability << 0.3, 0.2;
  RowMatrix inducement(1, 2);
  inducement << 0.0, 1.0;
  RowMatrix leverage;
  compute_leverage(powers, credibility, vulnerability, inducement, 0.5, leverage);
  CHECK(leverage(0, 0) == Approx(0.3));         // 2 · 0.5 · 0.3
  CHECK(leverage(0, 1) == Approx(0.08 + 0.5));  // 1 · 0.4 · 0.2 + 0.5 · 1
}

TEST_CASE("orientation follows Friedkin–Johnsen with powers as stubborn outside nodes") {
  WorldState state;
  state.resize(Dimensions{2, 1, 1, 0});
  state.orientation << 0.0, 1.0;
  state.orientation_prior << 0.2, 1.0;
  state.stubbornness << 0.5, 1.0;
  PowerProfile powers;
  powers.position = Vector::Constant(1, -1.0);
  powers.capacity = Vector::Ones(1);
  RowMatrix leverage(2, 1);
  leverage << 0.5, 0.0;
  PeerStructure peers;  // both in one group
  peers.group_offsets = {0, 1, 2};
  peers.country_groups = {0, 0};
  peers.group_sizes = {2};
  OrientationWeights weights;
  weights.self = 1.0;
  weights.peer = 1.0;
  weights.power_pull = 2.0;
  weights.rate = 0.5;
  update_orientation(state, powers, leverage, peers, weights);
  // Country 0: social mean = (1·0 + 1·1 + 2·0.5·(−1)) / (1 + 1 + 1) = 0
  //            target = 0.5·0.2 + 0.5·0 = 0.1; x = 0.5·0 + 0.5·0.1 = 0.05
  CHECK(state.orientation(0) == Approx(0.05));
  // Country 1 is fully stubborn: target = prior = 1.0; x = 0.5·1 + 0.5·1 = 1
  CHECK(state.orientation(1) == Approx(1.0));
}

TEST_CASE("diversification raises substitutability only above the threshold") {
  WorldState state = small_world();
  // q·e for power 0 channel 0 is 0.6·0.8 = 0.48
  CHECK(diversify(state, 0, 0, 0, 0.5, 0.4));
  CHECK(state.substitutability(0, 0) == Approx(0.75));  // 0.5 + 0.5·(1 − 0.5)
  // power 1 channel 0: 0.3·0.2 = 0.06, below the threshold: unchanged
  CHECK_FALSE(diversify(state, 0, 1, 0, 0.5, 0.4));
  CHECK(state.substitutability(0, 2) == Approx(0.1));
}

TEST_CASE("decay factor halves over one half-life") {
  CHECK(decay_factor(10.0, 10.0) == Approx(0.5));
  CHECK(decay_factor(10.0, 5.0) == Approx(0.7071067811865476));
  CHECK(decay_factor(0.0, 1.0) == 1.0);  // no half-life: no decay
}
