#pragma once
// A YAML document as a plain tree in which every node remembers where it came from: a file
// position, or the command-line option that set it. Scenario files, their `extends` bases,
// `--params` files and `--set` overrides all merge into one such tree before it is validated, so
// that every error can point at the text the user has to fix.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.hpp"

namespace multivector::sim {

struct MapEntry;

class SourceNode {
 public:
  enum class Kind { Null, Scalar, Sequence, Map };

  Kind kind = Kind::Null;
  std::string text;     // for scalars: the text as written
  bool quoted = false;  // a quoted scalar is always a string, never a number or boolean
  SourceLocation location;
  std::vector<SourceNode> items;  // for sequences
  std::vector<MapEntry> entries;  // for maps, in document order

  [[nodiscard]] bool is_map() const { return kind == Kind::Map; }
  [[nodiscard]] bool is_sequence() const { return kind == Kind::Sequence; }
  [[nodiscard]] bool is_scalar() const { return kind == Kind::Scalar; }
  [[nodiscard]] bool is_null() const { return kind == Kind::Null; }

  [[nodiscard]] const SourceNode* find(std::string_view key) const;
  [[nodiscard]] SourceNode* find(std::string_view key);
  [[nodiscard]] const MapEntry* find_entry(std::string_view key) const;
  // The value under `key`, created as a null node at `location` when missing.
  SourceNode& get_or_insert(std::string_view key, const SourceLocation& location);
  bool erase(std::string_view key);

  // A readable name of the node's kind, for messages ("a map", "a list", "a value").
  [[nodiscard]] std::string kind_name() const;
};

struct MapEntry {
  std::string key;
  SourceLocation key_location;
  SourceNode value;
};

// Limits that keep hostile or accidental input from exhausting memory or the stack.
struct ParseLimits {
  std::size_t max_bytes = std::size_t{16} * 1024 * 1024;  // 16 MiB: far above any real scenario
  std::size_t max_nodes = 2'000'000;                      // stops alias-expansion bombs
  int max_depth = 64;  // no scenario nests deeper than a handful of levels
};

// Parses YAML text into a tree. Syntax errors, duplicate keys, non-scalar keys, invalid UTF-8 and
// exceeded limits are reported to `diagnostics` with the file position; returns a null node then.
[[nodiscard]] SourceNode parse_yaml(std::string_view text, const std::string& file_label,
                                    Diagnostics& diagnostics, const ParseLimits& limits = {});

// Overlays `overlay` on `base`: maps merge key by key, lists whose entries carry an `id` merge
// entry by entry (new ids are appended), anything else is replaced.
void merge_tree(SourceNode& base, const SourceNode& overlay);

// True when every element of a list is a map with a scalar `id`.
[[nodiscard]] bool is_identified_list(const SourceNode& node);

// Splits "countries.KAZ.exposure.RUS.transit" into its segments.
[[nodiscard]] std::vector<std::string> split_path(std::string_view path);

// Valid UTF-8 (no overlong forms, no surrogates)? On failure `offset` is the first bad byte.
[[nodiscard]] bool is_valid_utf8(std::string_view text, std::size_t& offset);

}  // namespace multivector::sim
