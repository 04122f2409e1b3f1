#include "cli/config_override.h"

#include <algorithm>
#include <cctype>

#include "cli/config_error.h"

namespace olsgd::cli {
namespace {

// An absent key (yaml-cpp's undefined node) or `key:` with no value.
bool IsEmpty(const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); }

bool IsIndex(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string Canonical(const std::vector<std::string>& segments) {
  std::string out;
  for (const std::string& s : segments) {
    if (IsIndex(s)) {
      out += "[" + s + "]";
    } else {
      if (!out.empty()) out += ".";
      out += s;
    }
  }
  return out;
}

// Sets segments[i..] below `node`. `node` is a reference into the tree.
void SetPath(YAML::Node node, const std::vector<std::string>& segments, size_t i,
             const YAML::Node& value, const ConfigOverride& o) {
  const std::string& seg = segments[i];
  const bool last = i + 1 == segments.size();
  const std::string so_far = Canonical({segments.begin(), segments.begin() + i});
  if (IsIndex(seg)) {
    if (IsEmpty(node)) node = YAML::Node(YAML::NodeType::Sequence);
    if (!node.IsSequence()) {
      throw ConfigError(o.where, so_far + " is not a list, so it has no item " + seg);
    }
    const size_t index = std::stoul(seg);
    if (index > node.size()) {
      throw ConfigError(o.where, so_far + " has " + std::to_string(node.size()) +
                                     " items; an override can only add item " +
                                     std::to_string(node.size()));
    }
    if (index == node.size()) node.push_back(YAML::Node(YAML::NodeType::Null));
    if (last) {
      node[index] = value;
    } else {
      SetPath(node[index], segments, i + 1, value, o);
    }
    return;
  }
  if (IsEmpty(node)) node = YAML::Node(YAML::NodeType::Map);
  if (!node.IsMap()) {
    throw ConfigError(o.where, (so_far.empty() ? std::string("the config") : so_far) +
                                   " is not a mapping, so it has no key " + seg);
  }
  if (last) {
    node[seg] = value;
  } else {
    SetPath(node[seg], segments, i + 1, value, o);
  }
}

}  // namespace

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : path) {
    if (c == '.' || c == '[' || c == ']') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

ConfigOverride ParseOverride(const std::string& text) {
  const std::string where = "--set " + text;
  const size_t eq = text.find('=');
  if (eq == std::string::npos) {
    throw ConfigError(where, "an override must look like key.path=value");
  }
  const std::vector<std::string> segments = SplitPath(text.substr(0, eq));
  if (segments.empty()) throw ConfigError(where, "the override names no key");
  if (IsIndex(segments.front())) {
    throw ConfigError(where, "the override must start with a key, not a list index");
  }
  return ConfigOverride{Canonical(segments), text.substr(eq + 1), where};
}

void ApplyOverride(YAML::Node& root, const ConfigOverride& o) {
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    throw ConfigError(o.where, "the value is not valid YAML: " + e.msg);
  }
  SetPath(root, SplitPath(o.path), 0, value, o);
}

}  // namespace olsgd::cli
