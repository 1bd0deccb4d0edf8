#include "sim/engine.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>
#include <set>

#include "sim/random.hpp"

namespace multivector::sim {

std::string_view event_phase_name(EventPhase phase) {
  switch (phase) {
    case EventPhase::Fired:
      return "fired";
    case EventPhase::Expired:
      return "expired";
    case EventPhase::Lapsed:
      return "lapsed";
  }
  return "?";
}

namespace {

EventRecord make_record(std::int64_t day, int step, EventPhase phase, std::string id,
                        EventKind kind, Index source, std::vector<Index> recipients, Index channel,
                        double magnitude) {
  EventRecord record;
  record.date = Date{day};
  record.step = step;
  record.phase = phase;
  record.id = std::move(id);
  record.kind = kind;
  record.source = source;
  record.recipients = std::move(recipients);
  record.channel = channel;
  record.magnitude = magnitude;
  return record;
}

std::int64_t end_day_of(std::int64_t start, int duration_days, std::int64_t scenario_end) {
  return duration_days > 0 ? start + duration_days - 1 : scenario_end;
}

}  // namespace

Date drift_reference(const Scenario& scenario) {
  return scenario.parameters.decision.drift_reference.value_or(scenario.info.start);
}

std::vector<TagWithoutIntercept> tags_without_intercepts(const std::vector<AgendaItem>& items,
                                                         const DecisionParameters& decision) {
  std::vector<TagWithoutIntercept> unfitted;
  if (decision.tag_intercepts.empty()) {
    return unfitted;
  }
  for (const auto& item : items) {
    if (item.kind != ItemKind::Vote) {
      continue;
    }
    for (const auto& tag : item.tags) {
      if (decision.tag_intercepts.contains(tag)) {
        continue;
      }
      auto found = std::find_if(unfitted.begin(), unfitted.end(),
                                [&](const TagWithoutIntercept& known) { return known.tag == tag; });
      if (found == unfitted.end()) {
        unfitted.push_back(TagWithoutIntercept{tag, {}});
        found = std::prev(unfitted.end());
      }
      if (std::find(found->items.begin(), found->items.end(), item.id) == found->items.end()) {
        found->items.push_back(item.id);
      }
    }
  }
  return unfitted;
}

std::string describe_tag_without_intercept(const TagWithoutIntercept& unfitted,
                                           const DecisionParameters& decision) {
  std::string line = "tag '" + unfitted.tag + "' (on ";
  for (size_t item = 0; item < unfitted.items.size(); ++item) {
    line += (item == 0 ? "" : ", ") + unfitted.items[item];
  }
  line +=
      ") has no fitted intercept: no text the parameters were fitted on carries it, so they "
      "learned nothing about texts of that kind. Fitted tags:";
  for (const auto& [tag, intercepts] : decision.tag_intercepts) {
    line += " " + tag;
  }
  line +=
      ". Add the ones that say what the text does (docs/scenario-format.md, \"Tags of the "
      "world scenario\")";
  return line;
}

double drift_years(const Scenario& scenario, Date date) {
  // A mean year's length: the drift is per year, and a leap day should not bend it.
  constexpr double kDaysPerYear = 365.25;
  const std::optional<Date>& until = scenario.parameters.decision.drift_until;
  const Date held = until ? std::min(date, *until) : date;
  return static_cast<double>(held.days - drift_reference(scenario).days) / kDaysPerYear;
}

std::vector<std::string> applied_offset_tags(const DecisionParameters& decision) {
  std::vector<std::string> tags = decision.offset_tags;
  std::set<std::string> others;
  for (const auto& [country, offset] : decision.country_offsets) {
    for (const auto& [tag, values] : offset.by_tag) {
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) {
        others.insert(tag);
      }
    }
  }
  tags.insert(tags.end(), others.begin(), others.end());
  return tags;
}

bool items_similar(const AgendaItem& left, const AgendaItem& right) {
  return left.kind == right.kind && !left.tags.empty() && !right.tags.empty() &&
         left.tags.front() == right.tags.front();
}

Engine::Engine(const Scenario& scenario, RunOptions options)
    : scenario_(scenario), options_(options), seed_(options.seed.value_or(scenario.info.seed)) {
  prepare();
}

void Engine::prepare() {
  const auto powers = static_cast<Index>(scenario_.powers.size());
  const auto countries = static_cast<Index>(scenario_.countries.size());
  powers_.position.resize(powers);
  powers_.capacity.resize(powers);
  for (Index power = 0; power < powers; ++power) {
    powers_.position(power) = scenario_.powers[static_cast<size_t>(power)].position;
    powers_.capacity(power) = scenario_.powers[static_cast<size_t>(power)].capacity;
  }
  // Draws are keyed by ids, not by positions in the file, so that reordering the agenda or the
  // countries of a scenario does not change a sampled vote or a retaliation.
  item_keys_.clear();
  for (const auto& item : scenario_.agenda) {
    item_keys_.push_back(name_key(item.id));
  }
  country_keys_.clear();
  for (const auto& country : scenario_.countries) {
    country_keys_.push_back(name_key(country.id));
  }

  // Peer structure: groups as compressed rows, and explicit peer lists for credibility learning.
  peers_.group_offsets.assign(static_cast<size_t>(countries) + 1, 0);
  peers_.country_groups.clear();
  peers_.group_sizes.clear();
  for (const auto& group : scenario_.groups) {
    peers_.group_sizes.push_back(static_cast<Index>(group.members.size()));
  }
  peer_lists_.assign(static_cast<size_t>(countries), {});
  for (Index country = 0; country < countries; ++country) {
    const Country& declared = scenario_.countries[static_cast<size_t>(country)];
    for (const Index group : declared.groups) {
      peers_.country_groups.push_back(group);
      for (const Index member : scenario_.groups[static_cast<size_t>(group)].members) {
        if (member != country) {
          peer_lists_[static_cast<size_t>(country)].push_back(member);
        }
      }
    }
    peers_.group_offsets[static_cast<size_t>(country) + 1] =
        static_cast<Index>(peers_.country_groups.size());
    auto& peers = peer_lists_[static_cast<size_t>(country)];
    std::sort(peers.begin(), peers.end());
    peers.erase(std::unique(peers.begin(), peers.end()), peers.end());
  }

  const DynamicsParameters& dynamics = scenario_.parameters.dynamics;
  orientation_weights_.self = dynamics.orientation_self_weight;
  orientation_weights_.peer = dynamics.orientation_peer_weight;
  orientation_weights_.power_pull = dynamics.orientation_power_pull;
  orientation_weights_.rate = dynamics.orientation_rate;

  const DecisionParameters& decision = scenario_.parameters.decision;
  decision_weights_.participation = decision.participation;
  decision_weights_.salience_participation = decision.salience_participation;
  decision_weights_.orientation = decision.orientation;
  decision_weights_.persistence = decision.persistence;
  decision_weights_.recency = decision.recency;
  decision_weights_.habit = decision.habit;
  decision_weights_.leverage = decision.leverage;
  decision_weights_.norm = decision.norm;
  decision_weights_.temperature = decision.temperature;

  const std::vector<std::string> offset_tags = applied_offset_tags(decision);
  const auto offset_tag_count = static_cast<Index>(offset_tags.size());
  offsets_.assign(static_cast<size_t>(countries), agents::CountryOffsets{});
  for (Index country = 0; country < countries; ++country) {
    agents::CountryOffsets& offsets = offsets_[static_cast<size_t>(country)];
    offsets.norm = Vector::Zero(static_cast<Index>(scenario_.norms.size()));
    offsets.tag_orientation = Vector::Zero(offset_tag_count);
    offsets.tag_participation = Vector::Zero(offset_tag_count);
    const auto found =
        decision.country_offsets.find(scenario_.countries[static_cast<size_t>(country)].id);
    if (found == decision.country_offsets.end()) {
      continue;
    }
    offsets.orientation = found->second.orientation;
    offsets.orientation_drift = found->second.orientation_drift;
    offsets.participation = found->second.participation;
    for (const auto& [norm, value] : found->second.norms) {
      const Index norm_index = scenario_.find_norm(norm);
      if (norm_index >= 0) {
        offsets.norm(norm_index) = value;
      }
    }
    for (Index tag = 0; tag < offset_tag_count; ++tag) {
      const auto tag_found = found->second.by_tag.find(offset_tags[static_cast<size_t>(tag)]);
      if (tag_found != found->second.by_tag.end()) {
        offsets.tag_orientation(tag) = tag_found->second.orientation;
        offsets.tag_participation(tag) = tag_found->second.participation;
      }
    }
  }

  prepared_items_.clear();
  for (const auto& item : scenario_.agenda) {
    PreparedItem prepared;
    prepared.features.lean = item.lean;
    prepared.features.stay_out = item.stay_out;
    prepared.features.offence = item.offence;
    prepared.features.norm_value = item.norm_value;
    prepared.features.salience = item.salience;
    prepared.features.years = drift_years(scenario_, item.date);
    prepared.features.offset_tags = Vector::Zero(offset_tag_count);
    for (Index tag = 0; tag < offset_tag_count; ++tag) {
      if (std::find(item.tags.begin(), item.tags.end(), offset_tags[static_cast<size_t>(tag)]) !=
          item.tags.end()) {
        prepared.features.offset_tags(tag) = 1.0;
      }
    }
    prepared.intercept = Vector::Zero(static_cast<Index>(item.options.size()));
    for (size_t option = 0; option < item.options.size(); ++option) {
      const auto base = decision.intercepts.find(item.options[option]);
      double intercept = base == decision.intercepts.end() ? 0.0 : base->second;
      for (const auto& tag : item.tags) {
        const auto tag_found = decision.tag_intercepts.find(tag);
        if (tag_found == decision.tag_intercepts.end()) {
          continue;
        }
        const auto option_found = tag_found->second.find(item.options[option]);
        if (option_found != tag_found->second.end()) {
          intercept += option_found->second;
        }
      }
      prepared.intercept(static_cast<Index>(option)) = intercept;
    }
    prepared_items_.push_back(std::move(prepared));
  }

  event_order_.resize(scenario_.events.size());
  std::iota(event_order_.begin(), event_order_.end(), Index{0});
  std::stable_sort(event_order_.begin(), event_order_.end(), [&](Index left, Index right) {
    return scenario_.events[static_cast<size_t>(left)].date <
           scenario_.events[static_cast<size_t>(right)].date;
  });
  item_order_.resize(scenario_.agenda.size());
  std::iota(item_order_.begin(), item_order_.end(), Index{0});
  std::stable_sort(item_order_.begin(), item_order_.end(), [&](Index left, Index right) {
    return scenario_.agenda[static_cast<size_t>(left)].date <
           scenario_.agenda[static_cast<size_t>(right)].date;
  });
  // One pass in date order: similar items share a bucket (kind and first tag), so the previous
  // similar item is the bucket's last one — linear in the agenda, however long.
  bucket_of_.assign(scenario_.agenda.size(), -1);
  similar_predecessor_.assign(scenario_.agenda.size(), -1);
  recent_predecessor_.assign(scenario_.agenda.size(), -1);
  std::map<std::pair<ItemKind, std::string>, Index> buckets;
  std::vector<Index> last_in_bucket;
  Index last_of_kind[2] = {-1, -1};
  habits_.clear();
  for (const Index item : item_order_) {
    const AgendaItem& current = scenario_.agenda[static_cast<size_t>(item)];
    const int kind = current.kind == ItemKind::Vote ? 0 : 1;
    recent_predecessor_[static_cast<size_t>(item)] = last_of_kind[kind];
    last_of_kind[kind] = item;
    if (current.tags.empty()) {
      continue;
    }
    const auto [found, inserted] =
        buckets.emplace(std::make_pair(current.kind, current.tags.front()),
                        static_cast<Index>(last_in_bucket.size()));
    if (inserted) {
      last_in_bucket.push_back(-1);
      habits_.push_back(HabitCounts{current.options, RowMatrix{}, {}});
    }
    const Index bucket = found->second;
    bucket_of_[static_cast<size_t>(item)] = bucket;
    similar_predecessor_[static_cast<size_t>(item)] = last_in_bucket[static_cast<size_t>(bucket)];
    last_in_bucket[static_cast<size_t>(bucket)] = item;
    for (const auto& option : current.options) {
      auto& names = habits_[static_cast<size_t>(bucket)].options;
      if (std::find(names.begin(), names.end(), option) == names.end()) {
        names.push_back(option);
      }
    }
  }
}

void Engine::reset() {
  const agents::Dimensions dims{
      static_cast<Index>(scenario_.countries.size()), static_cast<Index>(scenario_.powers.size()),
      static_cast<Index>(scenario_.channels.size()), static_cast<Index>(scenario_.norms.size())};
  state_.resize(dims);
  for (Index country = 0; country < dims.countries; ++country) {
    const Country& declared = scenario_.countries[static_cast<size_t>(country)];
    for (Index power = 0; power < dims.powers; ++power) {
      const Index first = dims.column(power, 0);
      state_.exposure.row(country).segment(first, dims.channels) = declared.exposure.row(power);
      state_.substitutability.row(country).segment(first, dims.channels) =
          declared.substitutability.row(power);
    }
    state_.channel_weight.row(country) = declared.channel_weight.transpose();
    state_.credibility.row(country) = declared.credibility.transpose();
    state_.norm_sensitivity.row(country) = declared.norm_sensitivity.transpose();
    state_.orientation(country) = declared.orientation_prior;
    state_.orientation_prior(country) = declared.orientation_prior;
    state_.stubbornness(country) = declared.stubbornness;
    state_.stay_out(country) = declared.stay_out;
  }
  sanctions_.clear();
  protections_.clear();
  threats_.clear();
  triggered_.clear();
  decided_.assign(scenario_.agenda.size(), {});
  for (auto& habit : habits_) {
    habit.counts = RowMatrix::Zero(static_cast<Index>(scenario_.countries.size()),
                                   static_cast<Index>(habit.options.size()));
    habit.totals.assign(scenario_.countries.size(), 0);
  }
}

void Engine::run(RunObserver& observer) {
  reset();
  const std::int64_t start = scenario_.info.start.days;
  const std::int64_t end = scenario_.info.end.days;
  const int step_days = scenario_.info.step_days;
  const DynamicsParameters& dynamics = scenario_.parameters.dynamics;
  const double inducement_decay =
      agents::decay_factor(dynamics.inducement_half_life_days, step_days);
  const double alarm_decay = agents::decay_factor(dynamics.alarm_half_life_days, step_days);

  size_t next_event = 0;
  size_t next_item = 0;
  int step = 0;
  std::int64_t previous_day = start - step_days;
  // Steps fall on the regular step days and on the date of every event and item between them:
  // with weekly steps, a vote on a Wednesday is decided that Wednesday, after the events dated
  // up to it and before those dated after it.
  const auto next_day = [&](std::int64_t day) {
    std::int64_t next = scenario_.next_step_day(day);
    if (next_event < event_order_.size()) {
      next =
          std::min(next, scenario_.events[static_cast<size_t>(event_order_[next_event])].date.days);
    }
    if (next_item < item_order_.size()) {
      next =
          std::min(next, scenario_.agenda[static_cast<size_t>(item_order_[next_item])].date.days);
    }
    return std::max(next, day + 1);
  };
  for (std::int64_t day = start; day <= end; previous_day = day, day = next_day(day), ++step) {
    // A step is shorter than step_days when it ends on an event's or item's date, or the period
    // is not a whole number of steps: what fades or costs by the day does so for the days it
    // covers.
    const std::int64_t step_length = day - previous_day;
    const bool full_step = step_length == step_days;

    // 1. Expire what has ended, decay what fades, fire what is due.
    state_.inducement *= full_step ? inducement_decay
                                   : agents::decay_factor(dynamics.inducement_half_life_days,
                                                          static_cast<double>(step_length));
    state_.alarm *= full_step ? alarm_decay
                              : agents::decay_factor(dynamics.alarm_half_life_days,
                                                     static_cast<double>(step_length));
    step_events(day, step, observer);
    while (next_event < event_order_.size() &&
           scenario_.events[static_cast<size_t>(event_order_[next_event])].date.days <= day) {
      const Index event_index = event_order_[next_event++];
      fire_scheduled(scenario_.events[static_cast<size_t>(event_index)], event_index, day, step,
                     observer);
    }
    state_.protection.setZero();
    for (const auto& protection : protections_) {
      double& current = state_.protection(protection.country, protection.against);
      current = std::max(current, protection.strength);
    }

    // 2. Vulnerability, credibility and leverage after today's events.
    agents::compute_vulnerability(state_, vulnerability_);
    agents::compute_effective_credibility(state_, effective_credibility_);
    agents::compute_leverage(powers_, effective_credibility_, vulnerability_, state_.inducement,
                             dynamics.inducement_weight, leverage_);

    // 3. Orientation drifts towards its prior, its peers and the powers with leverage over it.
    if (full_step) {
      agents::update_orientation(state_, powers_, leverage_, peers_, orientation_weights_);
    } else {
      // The rate is per step: a shorter step moves as far as that fraction of a step would.
      agents::OrientationWeights shortened = orientation_weights_;
      shortened.rate = 1.0 - std::pow(1.0 - orientation_weights_.rate,
                                      static_cast<double>(step_length) / step_days);
      agents::update_orientation(state_, powers_, leverage_, peers_, shortened);
    }

    // 4. Costs of the sanctions in force, as a share of a year's flow on the channel.
    for (const auto& sanction : sanctions_) {
      double cost = 0.0;
      for (Index channel = 0; channel < state_.dims.channels; ++channel) {
        if (sanction.channel < 0 || sanction.channel == channel) {
          cost += agents::channel_vulnerability(state_, sanction.country, sanction.power, channel);
        }
      }
      state_.costs_borne(sanction.country, sanction.power) +=
          sanction.magnitude * cost * static_cast<double>(step_length) / 365.0;
    }

    // 5. Decide every item due today, then let powers react to what they dislike.
    while (next_item < item_order_.size() &&
           scenario_.agenda[static_cast<size_t>(item_order_[next_item])].date.days <= day) {
      decide_item(item_order_[next_item++], day, step, observer);
    }

    if (observer.wants_steps()) {
      observer.on_step(StepRecord{Date{day}, step, static_cast<int>(step_length), &state_,
                                  &vulnerability_, &effective_credibility_, &leverage_});
    }
  }
}

void Engine::step_events(std::int64_t day, int step, RunObserver& observer) {
  const bool report = observer.wants_events();
  const auto expire = [&](auto& active, auto describe) {
    for (auto it = active.begin(); it != active.end();) {
      if (it->end_day < day) {
        if (report) {
          observer.on_event(describe(*it));
        }
        it = active.erase(it);
      } else {
        ++it;
      }
    }
  };
  expire(sanctions_, [&](const ActiveSanction& sanction) {
    return make_record(day, step, EventPhase::Expired, sanction.id, EventKind::Sanction,
                       sanction.power, {sanction.country}, sanction.channel, sanction.magnitude);
  });
  expire(protections_, [&](const ActiveProtection& protection) {
    const Event& declared = scenario_.events[static_cast<size_t>(protection.event)];
    EventRecord record =
        make_record(day, step, EventPhase::Expired, declared.id, EventKind::Protect,
                    declared.source, {protection.country}, declared.channel, protection.strength);
    record.declared = &declared;
    return record;
  });
  // A threat that runs out unanswered is logged too, so the event log says when it stopped
  // weighing on the votes, as it does for a sanction.
  expire(threats_, [&](const ActiveThreat& threat) {
    const Event& declared = scenario_.events[static_cast<size_t>(threat.event)];
    EventRecord record =
        make_record(day, step, EventPhase::Expired, declared.id, EventKind::Threaten,
                    declared.source, declared.recipients, declared.channel, declared.magnitude);
    record.declared = &declared;
    return record;
  });

  // Retaliations triggered by earlier decisions fire as sanctions once their day comes.
  for (auto it = triggered_.begin(); it != triggered_.end();) {
    if (it->day > day) {
      ++it;
      continue;
    }
    const std::int64_t end = end_day_of(
        day, scenario_.parameters.dynamics.retaliation_duration_days, scenario_.info.end.days);
    fire_sanction(it->power, {it->country}, it->channel, it->magnitude, false, end, it->id);
    if (report) {
      EventRecord record = make_record(day, step, EventPhase::Fired, it->id, EventKind::Sanction,
                                       it->power, {it->country}, it->channel, it->magnitude);
      record.scheduled = false;
      record.cause = it->cause;
      observer.on_event(record);
    }
    it = triggered_.erase(it);
  }
}

void Engine::fire_scheduled(const Event& event, Index event_index, std::int64_t day, int step,
                            RunObserver& observer) {
  const DynamicsParameters& dynamics = scenario_.parameters.dynamics;
  const std::int64_t scenario_end = scenario_.info.end.days;
  switch (event.kind) {
    case EventKind::Threaten: {
      const int duration =
          event.duration_days > 0 ? event.duration_days : dynamics.threat_duration_days;
      threats_.push_back(ActiveThreat{event_index, end_day_of(day, duration, scenario_end)});
      break;
    }
    case EventKind::Sanction:
      fire_sanction(event.source, event.recipients, event.channel, event.magnitude, event.ambiguous,
                    end_day_of(day, event.duration_days, scenario_end), event.id);
      break;
    case EventKind::Aid:
      for (const Index country : event.recipients) {
        state_.inducement(country, event.source) += event.magnitude;
      }
      break;
    case EventKind::Protect:
      for (const Index country : event.recipients) {
        protections_.push_back(ActiveProtection{country, event.against, event.magnitude,
                                                end_day_of(day, event.duration_days, scenario_end),
                                                event_index});
      }
      break;
    case EventKind::Disapprove:
      for (const Index country : event.recipients) {
        state_.alarm(country, event.norm) += event.magnitude * dynamics.alarm_per_magnitude;
      }
      break;
  }
  if (observer.wants_events()) {
    EventRecord record =
        make_record(day, step, EventPhase::Fired, event.id, event.kind, event.source,
                    event.recipients, event.channel, event.magnitude);
    record.declared = &event;
    observer.on_event(record);
  }
}

void Engine::fire_sanction(Index power, const std::vector<Index>& recipients, Index channel,
                           double magnitude, bool ambiguous, std::int64_t end_day,
                           const std::string& id) {
  const DynamicsParameters& dynamics = scenario_.parameters.dynamics;
  for (const Index country : recipients) {
    sanctions_.push_back(ActiveSanction{power, country, channel, magnitude, end_day, id});
  }
  learn_from_coercion(power, recipients, ambiguous ? dynamics.ambiguous_observation : 1.0);
  // A country hit on a channel it depends on invests in alternatives to that channel.
  for (const Index country : recipients) {
    for (Index candidate = 0; candidate < state_.dims.channels; ++candidate) {
      if (channel < 0 || channel == candidate) {
        agents::diversify(state_, country, power, candidate, dynamics.diversification_rate,
                          dynamics.diversification_threshold);
      }
    }
  }
}

void Engine::learn_from_coercion(Index power, const std::vector<Index>& recipients,
                                 double observation) {
  const DynamicsParameters& dynamics = scenario_.parameters.dynamics;
  const double rate = dynamics.credibility_learning_rate;
  std::vector<char> hit(static_cast<size_t>(state_.dims.countries), 0);
  for (const Index country : recipients) {
    hit[static_cast<size_t>(country)] = 1;
  }
  // Peers learn once per act, however many of their group-mates it struck.
  std::vector<char> peer(static_cast<size_t>(state_.dims.countries), 0);
  for (const Index country : recipients) {
    double& credibility = state_.credibility(country, power);
    credibility = agents::learn_credibility(credibility, observation, rate);
    for (const Index other : peer_lists_[static_cast<size_t>(country)]) {
      if (hit[static_cast<size_t>(other)] == 0) {
        peer[static_cast<size_t>(other)] = 1;
      }
    }
  }
  const double peer_rate = rate * dynamics.peer_learning_share;
  for (Index country = 0; country < state_.dims.countries; ++country) {
    if (peer[static_cast<size_t>(country)] != 0) {
      double& credibility = state_.credibility(country, power);
      credibility = agents::learn_credibility(credibility, observation, peer_rate);
    }
  }
}

bool Engine::threat_covers(const Event& threat, Index item_index) const {
  if (std::find(threat.items.begin(), threat.items.end(), item_index) != threat.items.end()) {
    return true;
  }
  const AgendaItem& item = scenario_.agenda[static_cast<size_t>(item_index)];
  for (const auto& tag : threat.item_tags) {
    if (std::find(item.tags.begin(), item.tags.end(), tag) != item.tags.end()) {
      return true;
    }
  }
  return false;
}

Index Engine::choice_on(Index earlier, Index item_index, Index country) const {
  const std::vector<Index>& decided = decided_[static_cast<size_t>(earlier)];
  if (decided.empty() || decided[static_cast<size_t>(country)] < 0) {
    return -1;
  }
  // Options are matched by name, so a statement can follow another with the same options.
  const AgendaItem& item = scenario_.agenda[static_cast<size_t>(item_index)];
  const std::string& name =
      scenario_.agenda[static_cast<size_t>(earlier)]
          .options[static_cast<size_t>(decided[static_cast<size_t>(country)])];
  const auto match = std::find(item.options.begin(), item.options.end(), name);
  return match == item.options.end() ? -1 : static_cast<Index>(match - item.options.begin());
}

void Engine::fill_history_inputs(Index item_index, Index country,
                                 agents::CountryInputs& inputs) const {
  const AgendaItem& item = scenario_.agenda[static_cast<size_t>(item_index)];
  const Index similar = similar_predecessor_[static_cast<size_t>(item_index)];
  inputs.previous_choice = similar < 0 ? -1 : choice_on(similar, item_index, country);
  const Index recent = recent_predecessor_[static_cast<size_t>(item_index)];
  inputs.recent_choice = recent < 0 ? -1 : choice_on(recent, item_index, country);
  inputs.habit = Vector::Zero(static_cast<Index>(item.options.size()));
  const Index bucket = bucket_of_[static_cast<size_t>(item_index)];
  if (bucket < 0) {
    return;
  }
  const HabitCounts& habit = habits_[static_cast<size_t>(bucket)];
  const int total = habit.totals[static_cast<size_t>(country)];
  if (total == 0) {
    return;
  }
  for (size_t option = 0; option < item.options.size(); ++option) {
    const auto name = std::find(habit.options.begin(), habit.options.end(), item.options[option]);
    inputs.habit(static_cast<Index>(option)) =
        habit.counts(country, name - habit.options.begin()) / total;
  }
}

void Engine::remember_choices(Index item_index, const std::vector<Index>& choices) {
  decided_[static_cast<size_t>(item_index)] = choices;
  const Index bucket = bucket_of_[static_cast<size_t>(item_index)];
  if (bucket < 0) {
    return;
  }
  HabitCounts& habit = habits_[static_cast<size_t>(bucket)];
  const AgendaItem& item = scenario_.agenda[static_cast<size_t>(item_index)];
  for (size_t country = 0; country < choices.size(); ++country) {
    if (choices[country] < 0) {
      continue;
    }
    const auto name = std::find(habit.options.begin(), habit.options.end(),
                                item.options[static_cast<size_t>(choices[country])]);
    habit.counts(static_cast<Index>(country), name - habit.options.begin()) += 1.0;
    habit.totals[country] += 1;
  }
}

void Engine::decide_item(Index item_index, std::int64_t day, int step, RunObserver& observer) {
  const AgendaItem& item = scenario_.agenda[static_cast<size_t>(item_index)];
  const PreparedItem& prepared = prepared_items_[static_cast<size_t>(item_index)];
  const Index options = static_cast<Index>(item.options.size());
  const Index powers = state_.dims.powers;
  const Index countries = state_.dims.countries;

  // The threats in force that speak to this item, with the option mask each one punishes.
  struct CoveringThreat {
    Index event;
    std::vector<Index> options;
    std::vector<char> recipient;
  };
  std::vector<CoveringThreat> covering;
  for (const auto& active : threats_) {
    const Event& threat = scenario_.events[static_cast<size_t>(active.event)];
    if (!threat_covers(threat, item_index)) {
      continue;
    }
    CoveringThreat entry{active.event, {}, std::vector<char>(static_cast<size_t>(countries), 0)};
    for (const auto& name : threat.options) {
      const auto match = std::find(item.options.begin(), item.options.end(), name);
      if (match != item.options.end()) {
        entry.options.push_back(static_cast<Index>(match - item.options.begin()));
      }
    }
    for (const Index country : threat.recipients) {
      entry.recipient[static_cast<size_t>(country)] = 1;
    }
    if (!entry.options.empty()) {
      covering.push_back(std::move(entry));
    }
  }

  agents::CountryInputs inputs;
  agents::Decision decision;
  DecisionRecord record;
  record.item = item_index;
  record.date = Date{day};
  record.step = step;
  record.decision = &decision;
  std::vector<Index> choices(static_cast<size_t>(countries), -1);

  for (Index country = 0; country < countries; ++country) {
    inputs.orientation = state_.orientation(country);
    inputs.stay_out_logit = agents::clamped_logit(state_.stay_out(country));
    inputs.leverage = leverage_.row(country).transpose();
    inputs.norm_sensitivity = state_.norm_sensitivity.row(country).transpose();
    inputs.norm_activation = (1.0 + state_.alarm.row(country)).transpose();
    fill_history_inputs(item_index, country, inputs);
    inputs.threat_pressure.setZero(powers, options);
    record.threats.clear();
    for (const auto& threat_entry : covering) {
      if (threat_entry.recipient[static_cast<size_t>(country)] == 0) {
        continue;
      }
      const Event& threat = scenario_.events[static_cast<size_t>(threat_entry.event)];
      const Index power = threat.source;
      double exposed = 0.0;
      if (threat.channel < 0) {
        exposed = vulnerability_(country, power);
      } else {
        exposed = agents::channel_vulnerability(state_, country, power, threat.channel);
      }
      // Expected punishment: what the power can do, how believable it is, how big the threatened
      // cut is, and how much of the country is exposed to it.
      const double pressure = powers_.capacity(power) * effective_credibility_(country, power) *
                              threat.credibility * threat.magnitude * exposed;
      for (const Index option : threat_entry.options) {
        inputs.threat_pressure(power, option) += pressure;
      }
      record.threats.push_back(
          ThreatContribution{threat_entry.event, power, threat_entry.options, pressure});
    }

    agents::decide(prepared.features, inputs, prepared.intercept, decision_weights_,
                   offsets_[static_cast<size_t>(country)], decision);
    Index realised = decision.modal;
    const Index recorded =
        options_.replay != nullptr ? options_.replay->at(item_index, country) : Index{-1};
    if (recorded >= 0) {
      realised = recorded;
    } else if (options_.decisions == DecisionMode::Sample) {
      const double uniform = random_uniform(seed_, RandomStream::kDecision,
                                            item_keys_[static_cast<size_t>(item_index)],
                                            country_keys_[static_cast<size_t>(country)]);
      realised = agents::sample_option(decision.probability, uniform);
    }
    choices[static_cast<size_t>(country)] = realised;
    record.country = country;
    record.realised = realised;
    record.previous_choice = inputs.previous_choice;
    observer.on_decision(record);
  }
  remember_choices(item_index, choices);

  // Powers answer the choices they threatened to punish: retaliation with probability equal to
  // their real resolve; otherwise the threat lapses and loses credibility.
  const DynamicsParameters& dynamics = scenario_.parameters.dynamics;
  const std::int64_t next_day = scenario_.next_step_day(day);
  for (const auto& threat_entry : covering) {
    const Event& threat = scenario_.events[static_cast<size_t>(threat_entry.event)];
    std::vector<Index> lapsed;
    for (const Index country : threat.recipients) {
      const Index choice = choices[static_cast<size_t>(country)];
      if (std::find(threat_entry.options.begin(), threat_entry.options.end(), choice) ==
          threat_entry.options.end()) {
        continue;
      }
      const double draw = random_uniform(seed_, RandomStream::kRetaliation, name_key(threat.id),
                                         country_keys_[static_cast<size_t>(country)],
                                         item_keys_[static_cast<size_t>(item_index)]);
      const std::string& country_id = scenario_.countries[static_cast<size_t>(country)].id;
      const std::string& option_name = item.options[static_cast<size_t>(choice)];
      if (draw < threat.resolve) {
        triggered_.push_back(
            TriggeredSanction{next_day, threat.source, country, threat.channel, threat.magnitude,
                              "retaliation:" + threat.id + ":" + country_id + ":" + item.id,
                              country_id + " chose " + option_name + " on " + item.id +
                                  " under threat " + threat.id});
      } else {
        lapsed.push_back(country);
        if (observer.wants_events()) {
          EventRecord record_lapse =
              make_record(day, step, EventPhase::Lapsed, threat.id, EventKind::Threaten,
                          threat.source, {country}, threat.channel, threat.magnitude);
          record_lapse.scheduled = false;
          record_lapse.cause = country_id + " chose " + option_name + " on " + item.id + " and " +
                               scenario_.powers[static_cast<size_t>(threat.source)].id +
                               " did not carry out the threat";
          record_lapse.declared = &threat;
          observer.on_event(record_lapse);
        }
      }
    }
    for (const Index country : lapsed) {
      double& credibility = state_.credibility(country, threat.source);
      credibility = agents::learn_credibility(credibility, 0.0, dynamics.credibility_learning_rate);
    }
  }
}

}  // namespace multivector::sim
