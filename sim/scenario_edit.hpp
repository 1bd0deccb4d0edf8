#pragma once
// Structural edits of a validated scenario that keep its cross-references consistent.

#include <vector>

#include "sim/scenario.hpp"

namespace multivector::sim {

// The scenario without the given agenda items; threats that named them keep their other items
// (a threat left with no items and no tags is dropped too, since it can no longer trigger).
[[nodiscard]] Scenario without_agenda_items(const Scenario& scenario,
                                            const std::vector<Index>& removed);

}  // namespace multivector::sim
