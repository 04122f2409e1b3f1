#include "cli/config_load.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "actors/spec/spec_visit.h"
#include "cli/config_error.h"
#include "cli/config_override.h"
#include "cli/config_scalar.h"
#include "cli/config_suggest.h"
#include "cli/config_validate.h"

namespace olsgd::cli {
namespace {

bool IsEmpty(const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); }

// Looks `key` up without inserting it (yaml-cpp's non-const [] inserts).
YAML::Node Get(const YAML::Node& map, const char* key) { return map[key]; }

// The node of the key itself, whose line is where users look for it (a
// block mapping's own mark is its first child's line).
YAML::Node KeyNode(const YAML::Node& map, const char* key) {
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.first;
  }
  return YAML::Node();
}

// Reads a YAML tree into an ExperimentSpec through WalkFields. At each mapping
// it records which keys the schema knows, and rejects the others.
class Loader {
 public:
  Loader(const std::string& file, const std::vector<ConfigOverride>& overrides, SourceMap& sources)
      : file_(file), overrides_(overrides), sources_(sources) {}

  // Reads `root` (a mapping, or empty) into `spec`.
  void Load(const YAML::Node& root, actors::ExperimentSpec& spec) {
    if (!IsEmpty(root) && !root.IsMap()) {
      throw ConfigError(WhereOf("", root), "the config must be a mapping of keys");
    }
    frames_.push_back(Frame{root, ""});
    actors::WalkFields(spec, *this);
    CheckUnknownKeys();
    frames_.pop_back();
  }

  // A key of the current mapping, with its dotted path and source location.
  struct Located {
    YAML::Node node;
    std::string path;
    std::string where;
  };

  // Marks `key` as known in the current mapping; if it is present, records
  // where it came from and returns it.
  std::optional<Located> Locate(const char* key) {
    Frame& f = frames_.back();
    f.known.push_back(key);
    if (IsEmpty(f.node) || !Get(f.node, key)) return std::nullopt;
    Located l{Get(f.node, key), Join(f.path, key), ""};
    l.where = WhereOf(l.path, KeyNode(f.node, key));
    sources_.Set(l.path, l.where);
    return l;
  }

  template <class T>
  void Field(const char* key, T& value, const actors::FieldInfo&) {
    const std::optional<Located> l = Locate(key);
    if (!l) return;
    const ScalarContext ctx{l->path, l->where};
    if constexpr (actors::SpecEnum<T>) {
      std::string name;
      ReadValue(l->node, ctx, name);
      if (const auto parsed = actors::ParseEnum<T>(name)) {
        value = *parsed;
        return;
      }
      const std::vector<std::string> names = actors::EnumNameList<T>();
      throw ConfigError(l->where, l->path + " must be one of " + JoinNames(names) + ", got '" +
                                      name + "'" + DidYouMean(name, names));
    } else {
      ReadValue(l->node, ctx, value);
    }
  }

  template <class S>
  void Section(const char* key, S& section, const actors::FieldInfo&) {
    const std::optional<Located> l = Locate(key);
    if (!l) return;
    const YAML::Node& node = l->node;
    const std::string& path = l->path;
    const std::string& where = l->where;
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      throw ConfigError(where, path + " must be a mapping of keys, got " + DescribeNode(node));
    }
    frames_.push_back(Frame{node, path});
    actors::WalkFields(section, *this);
    CheckUnknownKeys();
    frames_.pop_back();
  }

  template <class S>
  void List(const char* key, std::vector<S>& items, const actors::FieldInfo&) {
    Frame& f = frames_.back();
    f.known.push_back(key);
    if (IsEmpty(f.node) || !Get(f.node, key)) return;
    const YAML::Node node = Get(f.node, key);
    const std::string path = Join(f.path, key);
    const std::string where = WhereOf(path, KeyNode(f.node, key));
    sources_.Set(path, where);
    items.clear();
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
      throw ConfigError(where, path + " must be a list, got " + DescribeNode(node));
    }
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = static_cast<const YAML::Node&>(node)[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const std::string item_where = WhereOf(item_path, item);
      sources_.Set(item_path, item_where);
      if (!item.IsMap()) {
        throw ConfigError(item_where,
                          item_path + " must be a mapping of keys, got " + DescribeNode(item));
      }
      frames_.push_back(Frame{item, item_path});
      actors::WalkFields(items.emplace_back(), *this);
      CheckUnknownKeys();
      frames_.pop_back();
    }
  }

 private:
  struct Frame {
    YAML::Node node;
    std::string path;
    std::vector<std::string> known = {};
  };

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // "--set ..." for values an override wrote, else "file:line".
  std::string WhereOf(const std::string& path, const YAML::Node& node) const {
    for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
      const std::string& p = it->path;
      if (path == p || (path.size() > p.size() && path.compare(0, p.size(), p) == 0 &&
                        (path[p.size()] == '.' || path[p.size()] == '['))) {
        return it->where;
      }
    }
    if (!node.IsDefined() || node.Mark().is_null()) return file_;
    return file_ + ":" + std::to_string(node.Mark().line + 1);
  }

  void CheckUnknownKeys() const {
    const Frame& f = frames_.back();
    if (IsEmpty(f.node)) return;
    std::map<std::string, int> seen;  // key -> 1-based line
    for (const auto& kv : f.node) {
      const std::string key = kv.first.Scalar();
      const int line = kv.first.Mark().line + 1;
      if (auto [it, fresh] = seen.emplace(key, line); !fresh) {
        throw ConfigError(WhereOf(Join(f.path, key), kv.first),
                          "duplicate key '" + Join(f.path, key) + "' (first at line " +
                              std::to_string(it->second) + ")");
      }
      if (std::find(f.known.begin(), f.known.end(), key) != f.known.end()) continue;
      const std::string path = Join(f.path, key);
      const std::string where = WhereOf(path, kv.first);
      throw ConfigError(where, "unknown key '" + path + "'" + DidYouMean(key, f.known));
    }
  }

  std::string file_;
  const std::vector<ConfigOverride>& overrides_;
  SourceMap& sources_;
  std::vector<Frame> frames_;
};

YAML::Node ParseYaml(const std::string& yaml, const std::string& label) {
  try {
    return YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    const std::string where =
        e.mark.is_null() ? label : label + ":" + std::to_string(e.mark.line + 1);
    throw ConfigError(where, "invalid YAML: " + e.msg);
  }
}

}  // namespace

std::string SourceMap::Where(const std::string& path) const {
  std::string p = path;
  while (!p.empty()) {
    if (auto it = where_.find(p); it != where_.end()) return it->second;
    const size_t cut = p.find_last_of(".[");
    if (cut == std::string::npos) break;
    p.resize(cut);
  }
  return file_;
}

LoadedConfig LoadConfigText(const std::string& yaml, const std::string& label,
                            const std::vector<std::string>& overrides) {
  std::vector<ConfigOverride> parsed;
  for (const std::string& text : overrides) parsed.push_back(ParseOverride(text));
  YAML::Node root = ParseYaml(yaml, label);
  for (const ConfigOverride& o : parsed) ApplyOverride(root, o);
  LoadedConfig loaded{actors::ExperimentSpec{}, SourceMap(label)};
  Loader(label, parsed, loaded.sources).Load(root, loaded.spec);
  ValidateSpec(loaded.spec, loaded.sources);
  return loaded;
}

LoadedConfig ReadConfigText(const std::string& yaml, const std::string& label) {
  LoadedConfig loaded{actors::ExperimentSpec{}, SourceMap(label)};
  Loader(label, {}, loaded.sources).Load(ParseYaml(yaml, label), loaded.spec);
  return loaded;
}

LoadedConfig LoadConfigFile(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, "cannot read the config file");
  std::stringstream text;
  text << in.rdbuf();
  return LoadConfigText(text.str(), path, overrides);
}

}  // namespace olsgd::cli
