#include "sim/source_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <optional>
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

// Where a line's content starts: past its indentation and any `- ` list markers, so that a key of
// a list entry (`  - id: x`) and its siblings (`    date: ...`) count as equally indented.
std::size_t content_indentation(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size()) {
    if (line[at] == ' ') {
      ++at;
    } else if (line[at] == '-' && at + 1 < line.size() && line[at + 1] == ' ') {
      at += 2;
    } else {
      break;
    }
  }
  return at;
}

// `word:` after the indentation (and a flow map's `{`), as a key of the scenario is written.
bool looks_like_key(std::string_view line) {
  std::size_t at = content_indentation(line);
  if (at < line.size() && line[at] == '{') {
    ++at;
    while (at < line.size() && line[at] == ' ') {
      ++at;
    }
  }
  const std::size_t word_start = at;
  while (at < line.size() && (std::isalnum(static_cast<unsigned char>(line[at])) != 0 ||
                              line[at] == '_' || line[at] == '-')) {
    ++at;
  }
  if (at == word_start || std::isalpha(static_cast<unsigned char>(line[word_start])) == 0) {
    return false;
  }
  return at < line.size() && line[at] == ':' &&
         (at + 1 == line.size() || line[at + 1] == ' ' || line[at + 1] == '\t' ||
          line[at + 1] == '\r');
}

// A quoted scalar whose closing quote is missing runs on to the next quote in the file, and YAML
// lets a quoted scalar span lines: the keys in between become its text and the file still parses,
// silently short of everything the quote swallowed. Such a scalar is told apart from text that
// merely spans lines by what it swallowed: a line that looks like a key, indented no deeper than
// the line the quote opened on (a continuation of real text is indented deeper, and a sibling or
// parent key never is).
class RunawayQuoteFinder {
 public:
  struct Runaway {
    int opening_line = 0;  // 1-based, as messages count
    int opening_column = 0;
    int closing_line = 0;
    bool to_end_of_file = false;  // no closing quote at all
    int key_line = 0;             // the first line that looks like a key
    std::string key_text;
  };

  explicit RunawayQuoteFinder(std::string_view text) : text_(text) {}

  // For a scalar whose mark (0-based, from yaml-cpp) is at `line`, `column`.
  std::optional<Runaway> find(int line, int column) {
    index_lines();
    if (line < 0 || static_cast<std::size_t>(line) >= line_starts_.size()) {
      return std::nullopt;
    }
    std::size_t at =
        line_starts_[static_cast<std::size_t>(line)] + static_cast<std::size_t>(column);
    // The mark is where the node starts, before any anchor or tag.
    while (at < text_.size() && (text_[at] == '&' || text_[at] == '!')) {
      while (at < text_.size() && std::isspace(static_cast<unsigned char>(text_[at])) == 0) {
        ++at;
      }
      while (at < text_.size() && std::isspace(static_cast<unsigned char>(text_[at])) != 0) {
        ++at;
      }
    }
    if (at >= text_.size() || (text_[at] != '"' && text_[at] != '\'')) {
      return std::nullopt;  // a block scalar (| or >), which spans lines by design
    }
    const char quote = text_[at];
    const std::size_t opening = at;
    std::size_t closing = opening + 1;
    while (closing < text_.size()) {
      if (quote == '"' && text_[closing] == '\\') {
        closing += 2;
        continue;
      }
      if (text_[closing] == quote) {
        if (quote == '\'' && closing + 1 < text_.size() && text_[closing + 1] == '\'') {
          closing += 2;  // '' is a quote inside single-quoted text
          continue;
        }
        break;
      }
      ++closing;
    }
    const std::size_t opening_line = line_of(opening);
    const std::size_t closing_line = line_of(std::min(closing, text_.size()));
    if (closing_line == opening_line) {
      return std::nullopt;
    }
    const std::size_t indentation = content_indentation(line_text(opening_line));
    for (std::size_t swallowed = opening_line + 1; swallowed <= closing_line; ++swallowed) {
      std::string_view swallowed_text = line_text(swallowed);
      if (swallowed == closing_line) {
        swallowed_text = swallowed_text.substr(0, closing - line_starts_[swallowed]);
      }
      if (looks_like_key(swallowed_text) && content_indentation(swallowed_text) <= indentation) {
        Runaway runaway;
        runaway.opening_line = static_cast<int>(opening_line) + 1;
        runaway.opening_column = static_cast<int>(opening - line_starts_[opening_line]) + 1;
        runaway.closing_line = static_cast<int>(closing_line) + 1;
        runaway.to_end_of_file = closing >= text_.size();
        runaway.key_line = static_cast<int>(swallowed) + 1;
        const std::size_t start = content_indentation(swallowed_text);
        runaway.key_text = std::string(
            swallowed_text.substr(start, std::min<std::size_t>(40, swallowed_text.size() - start)));
        return runaway;
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  std::vector<std::size_t> line_starts_;  // built on the first quoted scalar

  void index_lines() {
    if (!line_starts_.empty()) {
      return;
    }
    line_starts_.push_back(0);
    for (std::size_t at = 0; at < text_.size(); ++at) {
      if (text_[at] == '\n') {
        line_starts_.push_back(at + 1);
      }
    }
  }

  [[nodiscard]] std::size_t line_of(std::size_t offset) const {
    const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<std::size_t>(after - line_starts_.begin()) - 1;
  }

  [[nodiscard]] std::string_view line_text(std::size_t line) const {
    const std::size_t start = line_starts_[line];
    const std::size_t end =
        line + 1 < line_starts_.size() ? line_starts_[line + 1] - 1 : text_.size();
    std::string_view text = text_.substr(start, end - start);
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
    }
    return text;
  }
};

// Builds the tree straight from the parser's events. yaml-cpp's own node graph is never made:
// it costs hundreds of bytes a value, and its aliases are shared rather than expanded, so limits
// on size and alias expansion could only be checked after the memory was spent. Here every
// value counts against the limits the moment it is read, and an alias is expanded by copying the
// anchored subtree, counted in full before it is copied.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, const std::string& file, Diagnostics& diagnostics,
              const ParseLimits& limits)
      : file_(file), diagnostics_(diagnostics), limits_(limits), runaway_quotes_(text) {}

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
    if (tag == "!") {
      check_runaway_quote(mark);
    }
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
  RunawayQuoteFinder runaway_quotes_;

  void check_runaway_quote(const YAML::Mark& mark) {
    const auto runaway = runaway_quotes_.find(mark.line, mark.column);
    if (!runaway) {
      return;
    }
    diagnostics_.error(
        SourceLocation{file_, runaway->opening_line, runaway->opening_column},
        "this quoted text runs on to " +
            (runaway->to_end_of_file ? std::string("the end of the file")
                                     : "line " + std::to_string(runaway->closing_line)) +
            ", over what look like keys (line " + std::to_string(runaway->key_line) + ": '" +
            runaway->key_text + "'); is its closing quote missing? Add it where the text ends");
    throw StopParsing{};
  }

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

// A tab in the indentation is the commonest cause of yaml-cpp's "end of map not found" and kin,
// which do not say so. The line it points at and the one before it are where the tab usually is.
std::string tab_indentation_hint(std::string_view text, const YAML::Mark& mark) {
  if (mark.is_null()) {
    return "";
  }
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (int line = 0; line <= mark.line && start <= text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (int back = 0; back <= 1; ++back) {
    const int line = mark.line - back;
    if (line < 0 || static_cast<std::size_t>(line) >= lines.size()) {
      continue;
    }
    const std::string_view content = lines[static_cast<std::size_t>(line)];
    const std::size_t indentation = content.find_first_not_of(" \t");
    if (indentation != std::string_view::npos &&
        content.substr(0, indentation).find('\t') != std::string_view::npos) {
      return "; line " + std::to_string(line + 1) +
             " is indented with a tab, and YAML indents with spaces only";
    }
  }
  return "";
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
  TreeBuilder builder(text, file_label, diagnostics, limits);
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
    diagnostics.error(location_of(error.mark, file_label),
                      "YAML syntax: " + error.msg + tab_indentation_hint(text, error.mark));
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
