// `--set key.path=value` overrides, applied to the YAML tree before it is
// converted, so they go through exactly the same type and range checks as the
// file. Paths are dotted keys with list indices either as `[0]` or `.0`:
// `algorithm.alpha=0.5`, `injection.stragglers[0].slowdown=3`,
// `model.hidden=[512,256]`.
#ifndef OLSGD_CLI_CONFIG_OVERRIDE_H_
#define OLSGD_CLI_CONFIG_OVERRIDE_H_

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace olsgd::cli {

// One parsed override.
struct ConfigOverride {
  std::string path;   // canonical: "injection.stragglers[0].slowdown"
  std::string value;  // YAML text of the value
  std::string where;  // "--set injection.stragglers.0.slowdown=3", for errors
};

// Parses "key.path=value"; throws ConfigError for a missing '=' or key.
ConfigOverride ParseOverride(const std::string& text);

// The path's segments: "a.b[2].c" -> {"a", "b", "2", "c"}.
std::vector<std::string> SplitPath(const std::string& path);

// Sets `o.path` in `root` (a mapping, created if null) to the YAML value,
// creating intermediate mappings, and list items at index == size. Throws
// ConfigError when the path runs through a scalar or skips list items.
void ApplyOverride(YAML::Node& root, const ConfigOverride& o);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_OVERRIDE_H_
