#pragma once
// The update rules of one step (DESIGN §3). Each rule is a free function so that tests can check it
// against a hand-computed case and the engine can call it in its own order.

#include <span>
#include <vector>

#include "agents/world_state.hpp"

namespace multivector::agents {

// V_ik = Σ_c w_ic · e_ikc · (1 − a_ikc): what country i stands to lose if power k turns hostile.
void compute_vulnerability(const WorldState& state, RowMatrix& vulnerability);

// One channel's share of V_ik (used to explain which channel a leverage term runs through).
[[nodiscard]] double channel_vulnerability(const WorldState& state, Index country, Index power,
                                           Index channel);

// q ← (1 − λ) q + λ z, where z is 1 for coercion carried out, ½ for an ambiguous act and 0 for a
// threat that lapsed.
[[nodiscard]] double learn_credibility(double credibility, double observation,
                                       double learning_rate);

// q̃ = q (1 − g): a guarantee by another power makes a threat less believable.
void compute_effective_credibility(const WorldState& state, RowMatrix& effective_credibility);

// L_ik = m_k · q̃_ik · V_ik + η · B_ik.
void compute_leverage(const PowerProfile& powers, const RowMatrix& effective_credibility,
                      const RowMatrix& vulnerability, const RowMatrix& inducement,
                      double inducement_weight, RowMatrix& leverage);

// Country-to-group membership as compressed rows, so that peer means cost O(memberships) per step
// instead of O(countries²).
struct PeerStructure {
  std::vector<Index> group_offsets;   // countries + 1
  std::vector<Index> country_groups;  // group indices of country i in [offsets[i], offsets[i+1])
  std::vector<Index> group_sizes;     // members per group
};

struct OrientationWeights {
  double self = 1.0;        // weight of the country's own current orientation
  double peer = 0.5;        // weight of the mean orientation of its group peers
  double power_pull = 1.0;  // weight of each power's position per unit of leverage
  double rate = 1.0;        // share of the Friedkin–Johnsen target reached in one step
};

// Friedkin–Johnsen with the powers as stubborn outside nodes:
// x ← (1 − r) x + r [s x0 + (1 − s) · weighted mean(x, peers' x, powers' positions by leverage)].
void update_orientation(WorldState& state, const PowerProfile& powers, const RowMatrix& leverage,
                        const PeerStructure& peers, const OrientationWeights& weights);

// Diversification: after coercion on a channel, a ← a + ψ (1 − a) when q · e exceeds a threshold.
// Returns true when the country invested in alternatives.
bool diversify(WorldState& state, Index country, Index power, Index channel, double rate,
               double threshold);

// The factor by which a quantity with the given half-life shrinks over one step.
[[nodiscard]] double decay_factor(double half_life_days, double step_days);

}  // namespace multivector::agents
