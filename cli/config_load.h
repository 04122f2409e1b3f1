// Loading a YAML experiment: parse, apply --set overrides, convert to an
// actors::ExperimentSpec with strict types and no unknown keys, then validate.
// Every failure is a ConfigError naming the file and line (or the --set text).
#ifndef OLSGD_CLI_CONFIG_LOAD_H_
#define OLSGD_CLI_CONFIG_LOAD_H_

#include <map>
#include <string>
#include <vector>

#include "actors/spec/experiment_spec.h"

namespace olsgd::cli {

// Where each key of a loaded config came from, by canonical path
// ("algorithm.alpha", "injection.stragglers[0].worker").
class SourceMap {
 public:
  // `file` is the label used for keys the config does not set.
  explicit SourceMap(std::string file = "") : file_(std::move(file)) {}
  // Records that `path` was read at `where` ("config/x.yaml:14").
  void Set(const std::string& path, const std::string& where) { where_[path] = where; }
  // The location of `path`, else of its closest enclosing key, else the file.
  std::string Where(const std::string& path) const;
  // The file label.
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::map<std::string, std::string> where_;
};

// A converted config and where its keys came from.
struct LoadedConfig {
  actors::ExperimentSpec spec;
  SourceMap sources;
};

// Reads `path` and applies `overrides` ("key.path=value", in order), converts
// and validates. Throws ConfigError.
LoadedConfig LoadConfigFile(const std::string& path, const std::vector<std::string>& overrides);

// The same for YAML text; `label` names it in errors.
LoadedConfig LoadConfigText(const std::string& yaml, const std::string& label,
                            const std::vector<std::string>& overrides);
// Parses and converts YAML text with strict types and no unknown keys, but
// does not validate values (ranges, combinations). Throws ConfigError.
LoadedConfig ReadConfigText(const std::string& yaml, const std::string& label);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_LOAD_H_
