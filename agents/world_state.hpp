#pragma once
// The dense state of every country agent, laid out so that one step touches contiguous memory.

#include <Eigen/Core>

namespace multivector::agents {

// Row-major so that one country's block (all powers × channels) is contiguous.
using RowMatrix = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::ArrayXd;
using Index = Eigen::Index;

struct Dimensions {
  Index countries = 0;
  Index powers = 0;
  Index channels = 0;
  Index norms = 0;

  // Dependency blocks are power-major, channel-minor: column(k, c) = k * channels + c.
  [[nodiscard]] Index dependency_columns() const { return powers * channels; }
  [[nodiscard]] Index column(Index power, Index channel) const {
    return power * channels + channel;
  }
};

// What each outside power brings to every relationship: where it stands on the orientation axis
// (-1 pro-Russia ... +1 pro-West) and how much it can hurt (m_k in DESIGN §3).
struct PowerProfile {
  Vector position;  // powers
  Vector capacity;  // powers
};

struct WorldState {
  Dimensions dims;
  RowMatrix exposure;  // countries × (powers·channels): e, share of a channel at a power's mercy
  RowMatrix substitutability;  // countries × (powers·channels): a, how easily it can be replaced
  RowMatrix channel_weight;    // countries × channels: w, how much each channel matters
  RowMatrix credibility;       // countries × powers: q, perceived credibility of a power's threats
  RowMatrix protection;   // countries × powers: g, how much guarantees blunt a power's threats
  RowMatrix inducement;   // countries × powers: B, aid and other inducements received
  RowMatrix costs_borne;  // countries × powers: cumulative cost of sanctions carried out
  RowMatrix alarm;        // countries × norms: how much hostile rhetoric has sharpened a norm
  RowMatrix norm_sensitivity;  // countries × norms: the country's standing attachment to a norm
  Vector orientation;          // x, current orientation
  Vector orientation_prior;    // x0, the orientation the country keeps returning to
  Vector stubbornness;         // s, how strongly it holds its prior
  Vector stay_out;             // propensity to stay out of votes, in (0, 1)

  // Sizes every array for the given dimensions and zero-fills it.
  void resize(const Dimensions& dimensions);
};

}  // namespace multivector::agents
