#pragma once
// The scenario a user declares, typed and validated. It is immutable once loaded: the engine copies
// what changes over a run into its own dense state (agents::WorldState).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "agents/world_state.hpp"
#include "sim/date.hpp"
#include "sim/diagnostics.hpp"

namespace multivector::sim {

using agents::Index;
using agents::RowMatrix;
using agents::Vector;

// The four options of every General Assembly vote, in this order everywhere (CSV columns too).
inline constexpr std::array<std::string_view, 4> kVoteOptions = {"Y", "N", "A", "NV"};
inline constexpr Index kYes = 0;
inline constexpr Index kNo = 1;
inline constexpr Index kAbstain = 2;
inline constexpr Index kNotVoting = 3;

struct ScenarioInfo {
  std::string id;
  std::string name;
  std::string description;
  Date start;
  Date end;
  int step_days = 1;
  std::uint64_t seed = 0;
  // Recorded votes used only to print a comparison after a run; the model never reads them.
  std::string compare_with;
  // Parameters fitted by `multivector calibrate` for this scenario, read as --params would be
  // unless --params names others (resolved relative to the file that declares them).
  std::string params;
};

struct Power {
  std::string id;
  std::string name;
  double position = 0.0;           // −1 pro-Russia … +1 pro-West
  double capacity = 1.0;           // m_k: capacity to punish
  double credibility = 0.5;        // initial perceived credibility of its threats
  double abstain_offence = 0.15;   // offence of A on an item where the power wants Y or N
  double absent_offence = 0.1;     // offence of NV on such an item
  double deviation_offence = 1.0;  // offence of Y or N when the power's stance is A or NV
  double hedge_offence = 0.1;      // offence of NV when its stance is A, or of A when it is NV
};

struct Channel {
  std::string id;
  std::string name;
  double weight = 1.0;            // default channel weight
  double substitutability = 0.0;  // default substitutability
};

struct Norm {
  std::string id;
  std::string name;
  double default_sensitivity = 0.0;  // for countries that do not state their own
};

struct Group {
  std::string id;
  std::string name;
  std::vector<Index> members;
};

struct Country {
  std::string id;
  std::string name;
  std::vector<Index> groups;
  RowMatrix exposure;          // powers × channels
  RowMatrix substitutability;  // powers × channels
  Vector channel_weight;       // channels
  Vector credibility;          // powers: initial perceived credibility
  // powers: whether the scenario gives this country its own credibility for the power, which a
  // change to the power's credibility (its default for every other country) leaves alone. The
  // loader sizes it, as it does every per-power field here.
  std::vector<bool> declared_credibility;
  Vector norm_sensitivity;  // norms
  double orientation_prior = 0.0;
  double stubbornness = 0.5;
  double stay_out = 0.1;
};

enum class EventKind { Threaten, Sanction, Aid, Protect, Disapprove };

[[nodiscard]] std::string_view event_kind_name(EventKind kind);

struct Event {
  std::string id;
  Date date;
  EventKind kind = EventKind::Threaten;
  Index source = -1;                         // power
  std::vector<Index> recipients;             // countries, groups and ALL expanded
  std::vector<std::string> recipient_names;  // as written, for the event log
  std::string mode;
  std::string context;
  std::string cameo;
  std::optional<double> goldstein;
  std::string note;        // source or reasoning
  bool ambiguous = false;  // a deniable act: credibility learns ½ instead of 1
  Index channel = -1;      // −1: every channel
  double magnitude = 0.0;
  double resolve = 0.0;                // THREATEN: probability the power really retaliates
  double credibility = 1.0;            // THREATEN: how believable this particular threat is
  int duration_days = 0;               // 0: until the scenario ends
  std::vector<Index> items;            // THREATEN: agenda items it applies to
  std::vector<std::string> item_tags;  // THREATEN: or items of these types
  std::vector<std::string> options;    // THREATEN: options that trigger it
  Index against = -1;                  // PROTECT: the power whose threats it blunts
  Index norm = -1;                     // DISAPPROVE: the norm the rhetoric sharpens
  SourceLocation location;
};

enum class ItemKind { Vote, Statement };

struct AgendaItem {
  std::string id;
  std::string name;
  std::string resolution;  // UN symbol, to join with recorded votes
  ItemKind kind = ItemKind::Vote;
  Date date;
  std::vector<std::string> tags;
  std::vector<std::string> options;
  Vector lean;                // options: +1 leans West
  Vector stay_out;            // options: 1 for staying out
  RowMatrix offence;          // powers × options
  RowMatrix norm_value;       // norms × options
  std::vector<Index> stance;  // powers: preferred option, or −1
  double salience = 1.0;
  int direction = 1;  // d_r: +1 when Yes points West
};

// How a country's lean and participation differ on items carrying one offset tag.
struct TagOffset {
  double orientation = 0.0;
  double participation = 0.0;
};

// Per-country corrections fitted by `calibrate`, in utility units (agents::CountryOffsets).
struct CountryOffset {
  double orientation = 0.0;
  double orientation_drift = 0.0;  // per year from DecisionParameters::drift_reference
  double participation = 0.0;
  std::map<std::string, double> norms;      // norm id → offset
  std::map<std::string, TagOffset> by_tag;  // offset tag → how the country differs there
};

struct DecisionParameters {
  double temperature = 1.0;
  std::map<std::string, double> intercepts;                             // option name → α
  std::map<std::string, std::map<std::string, double>> tag_intercepts;  // tag → option → α
  double participation = 1.0;
  double salience_participation = 0.0;
  double orientation = 1.0;
  double persistence = 0.0;
  double recency = 0.0;  // weight of the choice on the most recent item of any kind
  double habit = 0.0;    // weight of the share of earlier similar items with the same choice
  Vector leverage;       // powers: γ_k
  Vector norm;           // norms: ζ_n
  // The date at which a country's orientation offset holds as fitted; its drift adds
  // (years from this date) × drift. Unset: the scenario's start.
  std::optional<Date> drift_reference;
  // The date of the last recorded text the fit saw: a later item takes the drift reached there
  // rather than a line extended past the record. Unset: the line runs on.
  std::optional<Date> drift_until;
  // Tags on whose items `calibrate` fits each country's lean and participation apart from its
  // record elsewhere (CountryOffset::by_tag): a forum where states vote differently, such as an
  // emergency special session. A scenario's modelling choice, stated in its parameters.
  std::vector<std::string> offset_tags;
  std::map<std::string, CountryOffset> country_offsets;
};

struct DynamicsParameters {
  double credibility_learning_rate = 0.3;
  double peer_learning_share = 0.3;
  double ambiguous_observation = 0.5;
  double inducement_weight = 0.5;
  double inducement_half_life_days = 180.0;
  double alarm_half_life_days = 180.0;
  double alarm_per_magnitude = 1.0;
  double orientation_rate = 0.05;
  double orientation_self_weight = 1.0;
  double orientation_peer_weight = 0.5;
  double orientation_power_pull = 1.0;
  double diversification_rate = 0.2;
  double diversification_threshold = 0.2;
  int threat_duration_days = 30;
  int retaliation_duration_days = 90;
};

struct Parameters {
  DecisionParameters decision;
  DynamicsParameters dynamics;
};

struct SourceFile {
  std::string path;
  std::string sha256;
};

struct Scenario {
  ScenarioInfo info;
  std::vector<Power> powers;
  std::vector<Channel> channels;
  std::vector<Norm> norms;
  std::vector<Group> groups;
  std::vector<Country> countries;
  std::vector<Event> events;
  std::vector<AgendaItem> agenda;
  Parameters parameters;

  // Provenance, recorded in every manifest.
  std::vector<SourceFile> files;
  std::vector<std::string> overrides;       // "--set PATH=VALUE" as given
  std::vector<std::string> dropped_events;  // "--drop-event ID" as given
  std::string params_file;                  // --params as given
  // scenario.params when it was merged (no --params, and not calibrating).
  std::string scenario_params_file;

  // The parameters file merged over `parameters:`, if any: --params, else scenario.params.
  [[nodiscard]] const std::string& applied_params_file() const {
    return params_file.empty() ? scenario_params_file : params_file;
  }

  [[nodiscard]] Index find_power(std::string_view id) const;
  [[nodiscard]] Index find_channel(std::string_view id) const;
  [[nodiscard]] Index find_norm(std::string_view id) const;
  [[nodiscard]] Index find_group(std::string_view id) const;
  [[nodiscard]] Index find_country(std::string_view id) const;
  [[nodiscard]] Index find_item(std::string_view id) const;
  // By id, else by resolution symbol in any of the spellings canonical_resolution_symbol accepts
  // (users name a vote by whichever of the two they have in front of them).
  [[nodiscard]] Index find_item_or_resolution(std::string_view name) const;
  [[nodiscard]] Index find_event(std::string_view id) const;
  // Number of steps from start to end inclusive: the regular step days, and the day of every
  // event and agenda item dated between two of them (each gets a step of its own, so that with
  // weekly steps a threat dated after a vote cannot move it, nor a vote be recorded a week late).
  [[nodiscard]] int steps() const;
  // The regular step days alone: every step_days from the start, and the end date.
  [[nodiscard]] int regular_steps() const;
  // The regular step day after `day` (past the end: end + 1). Regular steps fall every step_days
  // from the start, and the last one on the end date even when the period is not a whole number
  // of steps, so that nothing dated up to the end is left undecided or unfired. The engine also
  // steps on the dates of events and items that fall between them.
  [[nodiscard]] std::int64_t next_step_day(std::int64_t day) const;
};

}  // namespace multivector::sim
