#include "sim/scenario_edit.hpp"

#include <algorithm>

namespace multivector::sim {

Scenario without_agenda_items(const Scenario& scenario, const std::vector<Index>& removed) {
  Scenario edited = scenario;
  std::vector<Index> new_index(scenario.agenda.size(), -1);
  edited.agenda.clear();
  for (size_t item = 0; item < scenario.agenda.size(); ++item) {
    if (std::find(removed.begin(), removed.end(), static_cast<Index>(item)) != removed.end()) {
      continue;
    }
    new_index[item] = static_cast<Index>(edited.agenda.size());
    edited.agenda.push_back(scenario.agenda[item]);
  }
  edited.events.clear();
  for (const auto& event : scenario.events) {
    Event copy = event;
    copy.items.clear();
    for (const Index item : event.items) {
      if (new_index[static_cast<size_t>(item)] >= 0) {
        copy.items.push_back(new_index[static_cast<size_t>(item)]);
      }
    }
    const bool orphaned_threat =
        event.kind == EventKind::Threaten && copy.items.empty() && copy.item_tags.empty();
    if (!orphaned_threat) {
      edited.events.push_back(std::move(copy));
    }
  }
  return edited;
}

}  // namespace multivector::sim
