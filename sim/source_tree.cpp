#include "sim/source_tree.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

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

class TreeBuilder {
 public:
  TreeBuilder(const std::string& file, Diagnostics& diagnostics, const ParseLimits& limits)
      : file_(file), diagnostics_(diagnostics), limits_(limits) {}

  bool build(const YAML::Node& node, SourceNode& out, int depth) {
    if (++node_count_ > limits_.max_nodes) {
      diagnostics_.error(location_of(node.Mark(), file_),
                         "document expands to more than " + std::to_string(limits_.max_nodes) +
                             " nodes (are aliases expanding exponentially?); simplify the file");
      return false;
    }
    if (depth > limits_.max_depth) {
      diagnostics_.error(location_of(node.Mark(), file_),
                         "nesting deeper than " + std::to_string(limits_.max_depth) +
                             " levels; a scenario needs only a few");
      return false;
    }
    out.location = location_of(node.Mark(), file_);
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = SourceNode::Kind::Null;
        return true;
      case YAML::NodeType::Scalar:
        out.kind = SourceNode::Kind::Scalar;
        out.text = node.Scalar();
        // yaml-cpp tags a quoted scalar "!" and a plain one "?".
        out.quoted = node.Tag() == "!";
        return true;
      case YAML::NodeType::Sequence:
        out.kind = SourceNode::Kind::Sequence;
        for (const auto& child : node) {
          out.items.emplace_back();
          if (!build(child, out.items.back(), depth + 1)) {
            return false;
          }
        }
        return true;
      case YAML::NodeType::Map:
        out.kind = SourceNode::Kind::Map;
        for (const auto& pair : node) {
          const SourceLocation key_location = location_of(pair.first.Mark(), file_);
          if (!pair.first.IsScalar()) {
            diagnostics_.error(key_location, "map keys must be plain names, not lists or maps");
            return false;
          }
          const std::string& key = pair.first.Scalar();
          if (const MapEntry* previous = out.find_entry(key)) {
            diagnostics_.error(key_location, "duplicate key '" + key + "' (first given at " +
                                                 previous->key_location.to_string() + ")");
            return false;
          }
          MapEntry entry;
          entry.key = key;
          entry.key_location = key_location;
          if (!build(pair.second, entry.value, depth + 1)) {
            return false;
          }
          // A key with nothing after the colon has no mark of its own: point at the key.
          if (entry.value.is_null()) {
            entry.value.location = key_location;
          }
          out.entries.push_back(std::move(entry));
        }
        return true;
    }
    return true;
  }

 private:
  const std::string& file_;
  Diagnostics& diagnostics_;
  const ParseLimits& limits_;
  std::size_t node_count_ = 0;
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
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    diagnostics.error(location_of(error.mark, file_label), "YAML syntax: " + error.msg);
    return root;
  }
  TreeBuilder builder(file_label, diagnostics, limits);
  SourceNode built;
  if (!builder.build(document, built, 0)) {
    return root;
  }
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
    for (const auto& entry : overlay.entries) {
      if (SourceNode* existing = base.find(entry.key)) {
        merge_tree(*existing, entry.value);
      } else {
        base.entries.push_back(entry);
      }
    }
    return;
  }
  if (is_identified_list(base) && is_identified_list(overlay)) {
    for (const auto& item : overlay.items) {
      const std::string& id = item.find("id")->text;
      auto match = std::find_if(base.items.begin(), base.items.end(),
                                [&](const SourceNode& old) { return old.find("id")->text == id; });
      if (match != base.items.end()) {
        merge_tree(*match, item);
      } else {
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
