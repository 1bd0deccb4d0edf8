#include "sim/source_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace multivector::sim {

const MapEntry* SourceNode::find_entry(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) {
      return &entry;
    }
  }
  return nullptr;
}

const SourceNode* SourceNode::find(std::string_view key) const {
  const MapEntry* entry = find_entry(key);
  return entry == nullptr ? nullptr : &entry->value;
}

SourceNode* SourceNode::find(std::string_view key) {
  for (auto& entry : entries) {
    if (entry.key == key) {
      return &entry.value;
    }
  }
  return nullptr;
}

SourceNode& SourceNode::get_or_insert(std::string_view key, const SourceLocation& where) {
  if (kind != Kind::Map) {
    kind = Kind::Map;
    text.clear();
    items.clear();
  }
  if (SourceNode* existing = find(key)) {
    return *existing;
  }
  MapEntry entry;
  entry.key = std::string(key);
  entry.key_location = where;
  entry.value.location = where;
  entries.push_back(std::move(entry));
  return entries.back().value;
}

bool SourceNode::erase(std::string_view key) {
  const auto before = entries.size();
  std::erase_if(entries, [&](const MapEntry& entry) { return entry.key == key; });
  return entries.size() != before;
}

std::string SourceNode::kind_name() const {
  switch (kind) {
    case Kind::Null:
      return "nothing";
    case Kind::Scalar:
      return "a single value";
    case Kind::Sequence:
      return "a list";
    case Kind::Map:
      return "a map";
  }
  return "a value";
}

namespace {

SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  // yaml-cpp counts from zero; editors and compilers count from one.
  if (mark.is_null()) {
    return SourceLocation{file, 0, 0};
  }
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// Thrown by the tree builder to stop the parser at the first problem; the diagnostic is already
// recorded.
struct StopParsing {};

// Builds the tree straight from the parser's events. yaml-cpp's own node graph is never made:
// it costs hundreds of bytes a value, and its aliases are shared rather than expanded, so limits
// on size and alias expansion could only be checked after the memory was spent. Here every
// value counts against the limits the moment it is read, and an alias is expanded by copying the
// anchored subtree, counted in full before it is copied.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, Diagnostics& diagnostics, const ParseLimits& limits)
      : file_(file), diagnostics_(diagnostics), limits_(limits) {}

  [[nodiscard]] SourceNode take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    count(mark, 1);
    SourceNode node;
    node.location = location_of(mark, file_);
    finish(std::move(node), anchor, 1);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    count(mark, 1);
    SourceNode node;
    node.kind = SourceNode::Kind::Scalar;
    node.location = location_of(mark, file_);
    node.text = value;
    // yaml-cpp tags a quoted scalar "!" and a plain one "?"; a scalar tagged !!str is text as
    // surely as a quoted one, whatever it looks like.
    node.quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    finish(std::move(node), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      // The anchor is still open: the alias sits inside the node it names.
      fail(mark, "an alias refers to a node that contains it; a scenario cannot be recursive");
    }
    count(mark, found->second.size);
    SourceNode copy = found->second.node;
    copy.location = location_of(mark, file_);
    finish(std::move(copy), 0, found->second.size);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, SourceNode::Kind::Sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, SourceNode::Kind::Map);
  }
  void OnMapEnd() override { close(); }

  [[noreturn]] void fail(const YAML::Mark& mark, std::string message) {
    diagnostics_.error(location_of(mark, file_), std::move(message));
    throw StopParsing{};
  }

  [[noreturn]] void fail_depth(const YAML::Mark& mark) {
    fail(mark, "nesting deeper than " + std::to_string(limits_.max_depth) +
                   " levels; a scenario needs only a few");
  }

 private:
  struct Open {
    SourceNode node;
    YAML::anchor_t anchor = 0;
    std::size_t count_at_start = 0;
    bool expecting_key = true;                          // maps alternate key, value, key, value...
    MapEntry pending;                                   // the key whose value comes next
    std::unordered_map<std::string, std::size_t> keys;  // key → entry, for duplicates
  };
  struct Anchored {
    SourceNode node;
    std::size_t size = 0;
  };

  const std::string& file_;
  Diagnostics& diagnostics_;
  const ParseLimits& limits_;
  std::size_t node_count_ = 0;
  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  SourceNode root_;

  void count(const YAML::Mark& mark, std::size_t nodes) {
    if (nodes > limits_.max_nodes - std::min(node_count_, limits_.max_nodes)) {
      fail(mark, "the document has more than " + std::to_string(limits_.max_nodes) +
                     " values once aliases are expanded (an alias bomb?); simplify the file");
    }
    node_count_ += nodes;
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, SourceNode::Kind kind) {
    if (static_cast<int>(open_.size()) >= limits_.max_depth) {
      fail_depth(mark);
    }
    count(mark, 1);
    Open entry;
    entry.node.kind = kind;
    entry.node.location = location_of(mark, file_);
    entry.anchor = anchor;
    entry.count_at_start = node_count_ - 1;
    open_.push_back(std::move(entry));
  }

  void close() {
    Open done = std::move(open_.back());
    open_.pop_back();
    if (done.node.is_map()) {
      apply_merge_key(done.node);
    }
    finish(std::move(done.node), done.anchor, node_count_ - done.count_at_start);
  }

  // YAML's merge key: `<<: *defaults` (or a list of such maps) gives the map every entry of the
  // merged maps that it does not give itself, the first merged map first. yaml-cpp's event parser
  // leaves this to the reader, and shared defaults are how people write many similar countries.
  void apply_merge_key(SourceNode& map) {
    const auto merge_entry = std::find_if(map.entries.begin(), map.entries.end(),
                                          [](const MapEntry& entry) { return entry.key == "<<"; });
    if (merge_entry == map.entries.end()) {
      return;
    }
    const SourceNode merged = std::move(merge_entry->value);
    const SourceLocation key_location = merge_entry->key_location;
    map.entries.erase(merge_entry);
    std::vector<const SourceNode*> sources;
    if (merged.is_map()) {
      sources.push_back(&merged);
    } else if (merged.is_sequence()) {
      for (const auto& item : merged.items) {
        sources.push_back(&item);
      }
    }
    if (sources.empty() ||
        std::any_of(sources.begin(), sources.end(),
                    [](const SourceNode* source) { return !source->is_map(); })) {
      diagnostics_.error(key_location,
                         "the merge key '<<' takes a map or a list of maps, such as *defaults or "
                         "[*defaults, *more]; got " +
                             merged.kind_name());
      throw StopParsing{};
    }
    std::unordered_set<std::string> present;
    for (const auto& entry : map.entries) {
      present.insert(entry.key);
    }
    for (const SourceNode* source : sources) {
      for (const auto& entry : source->entries) {
        if (present.insert(entry.key).second) {
          map.entries.push_back(entry);
        }
      }
    }
  }

  // Places a complete node in its parent (or as the document).
  void finish(SourceNode node, YAML::anchor_t anchor, std::size_t size) {
    if (anchor != 0) {
      anchors_[anchor] = Anchored{node, size};
    }
    if (open_.empty()) {
      root_ = std::move(node);
      return;
    }
    Open& parent = open_.back();
    if (parent.node.kind == SourceNode::Kind::Sequence) {
      parent.node.items.push_back(std::move(node));
      return;
    }
    if (parent.expecting_key) {
      if (!node.is_scalar()) {
        diagnostics_.error(node.location,
                           "a map key must be a plain name, not " + node.kind_name());
        throw StopParsing{};
      }
      const auto [previous, inserted] = parent.keys.emplace(node.text, parent.node.entries.size());
      if (!inserted) {
        diagnostics_.error(node.location,
                           "duplicate key '" + node.text + "' (first given at " +
                               parent.node.entries[previous->second].key_location.to_string() +
                               ")");
        throw StopParsing{};
      }
      parent.pending.key = std::move(node.text);
      parent.pending.key_location = node.location;
      parent.expecting_key = false;
      return;
    }
    // A key with nothing after the colon has no mark of its own: point at the key.
    if (node.is_null()) {
      node.location = parent.pending.key_location;
    }
    parent.pending.value = std::move(node);
    parent.node.entries.push_back(std::move(parent.pending));
    parent.pending = MapEntry{};
    parent.expecting_key = true;
  }
};

// Stops the parser as soon as a second document starts: a scenario is one document.
class SecondDocumentProbe : public YAML::EventHandler {
 public:
  struct Found {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& mark) override { throw Found{mark}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnScalar(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {}
  void OnSequenceStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {}
  void OnMapEnd() override {}
};

// Position of a byte offset, for errors found before yaml-cpp sees the text.
SourceLocation location_of_offset(std::string_view text, std::size_t offset,
                                  const std::string& file) {
  int line = 1;
  int column = 1;
  for (std::size_t index = 0; index < offset && index < text.size(); ++index) {
    if (text[index] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return SourceLocation{file, line, column};
}

}  // namespace

bool is_valid_utf8(std::string_view text, std::size_t& offset) {
  std::size_t index = 0;
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  while (index < text.size()) {
    const unsigned char lead = byte(index);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (lead < 0x80) {
      ++index;
      continue;
    }
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      offset = index;
      return false;
    }
    if (index + length > text.size()) {
      offset = index;
      return false;
    }
    for (std::size_t continuation = 1; continuation < length; ++continuation) {
      const unsigned char next = byte(index + continuation);
      if ((next & 0xC0) != 0x80) {
        offset = index;
        return false;
      }
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const bool overlong = (length == 2 && code_point < 0x80) ||
                          (length == 3 && code_point < 0x800) ||
                          (length == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) {
      offset = index;
      return false;
    }
    index += length;
  }
  return true;
}

SourceNode parse_yaml(std::string_view text, const std::string& file_label,
                      Diagnostics& diagnostics, const ParseLimits& limits) {
  SourceNode root;
  root.location = SourceLocation{file_label, 1, 1};
  if (text.size() > limits.max_bytes) {
    diagnostics.error(SourceLocation{file_label, 0, 0},
                      "file is " + std::to_string(text.size()) + " bytes, over the limit of " +
                          std::to_string(limits.max_bytes) + " bytes for a scenario");
    return root;
  }
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    diagnostics.error(SourceLocation{file_label, 1, 1},
                      "the file is UTF-16 (or UTF-32); save it as UTF-8");
    return root;
  }
  if (text.find('\0') != std::string_view::npos) {
    diagnostics.error(location_of_offset(text, text.find('\0'), file_label),
                      "file contains a NUL byte; is it a binary file rather than YAML?");
    return root;
  }
  std::size_t bad_offset = 0;
  if (!is_valid_utf8(text, bad_offset)) {
    diagnostics.error(location_of_offset(text, bad_offset, file_label),
                      "invalid UTF-8; save the file as UTF-8");
    return root;
  }
  std::istringstream stream{std::string(text)};
  TreeBuilder builder(file_label, diagnostics, limits);
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder)) {
      return root;  // an empty file
    }
    SecondDocumentProbe probe;
    try {
      parser.HandleNextDocument(probe);
    } catch (const SecondDocumentProbe::Found& found) {
      diagnostics.error(location_of(found.mark, file_label),
                        "a second YAML document ('---'); a scenario file holds exactly one");
      return root;
    }
  } catch (const StopParsing&) {
    return root;
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp's own guard (2000 levels) reports itself as "bad file"; say what it means.
    try {
      builder.fail_depth(error.mark);
    } catch (const StopParsing&) {
    }
    return root;
  } catch (const YAML::Exception& error) {
    diagnostics.error(location_of(error.mark, file_label), "YAML syntax: " + error.msg);
    return root;
  }
  SourceNode built = builder.take_root();
  if (built.is_null()) {
    built.location = SourceLocation{file_label, 1, 1};
  }
  return built;
}

bool is_identified_list(const SourceNode& node) {
  if (!node.is_sequence() || node.items.empty()) {
    return false;
  }
  return std::all_of(node.items.begin(), node.items.end(), [](const SourceNode& item) {
    const SourceNode* id = item.find("id");
    return item.is_map() && id != nullptr && id->is_scalar();
  });
}

void merge_tree(SourceNode& base, const SourceNode& overlay) {
  if (base.is_map() && overlay.is_map()) {
    std::unordered_map<std::string, std::size_t> positions;
    for (std::size_t index = 0; index < base.entries.size(); ++index) {
      positions.emplace(base.entries[index].key, index);
    }
    for (const auto& entry : overlay.entries) {
      const auto match = positions.find(entry.key);
      if (match != positions.end()) {
        merge_tree(base.entries[match->second].value, entry.value);
      } else {
        positions.emplace(entry.key, base.entries.size());
        base.entries.push_back(entry);
      }
    }
    return;
  }
  if (is_identified_list(base) && is_identified_list(overlay)) {
    // Indexed by id: a what-if file over a base with many events must not take quadratic time.
    std::unordered_map<std::string, std::size_t> positions;
    for (std::size_t index = 0; index < base.items.size(); ++index) {
      positions.emplace(base.items[index].find("id")->text, index);
    }
    // An id given twice in the overlay itself is a mistake in that file, not an edit of the base:
    // both are kept, so that the loader reports the duplicate with both lines.
    std::unordered_set<std::string> in_overlay;
    for (const auto& item : overlay.items) {
      const std::string& id = item.find("id")->text;
      const bool repeated = !in_overlay.insert(id).second;
      const auto match = positions.find(id);
      if (match != positions.end() && !repeated) {
        merge_tree(base.items[match->second], item);
      } else {
        positions.emplace(id, base.items.size());
        base.items.push_back(item);
      }
    }
    return;
  }
  base = overlay;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
    segments.emplace_back(path.substr(start, end - start));
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return segments;
}

}  // namespace multivector::sim
