// Strictly typed reading of one YAML value: "4" is an int, "4.5" is not; "yes"
// is a bool, "1" is not. Each reader throws ConfigError(where, "<key> must be
// <type>, got <value>") on a mismatch.
#ifndef OLSGD_CLI_CONFIG_SCALAR_H_
#define OLSGD_CLI_CONFIG_SCALAR_H_

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace olsgd::cli {

// What went wrong is reported against `key` (its dotted path) at `where`.
struct ScalarContext {
  const std::string& key;
  const std::string& where;
};

// Readers for every field type of ExperimentSpec.
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, int& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, int64_t& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, uint64_t& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, double& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, bool& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::string& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::vector<int>& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::vector<double>& out);
void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::vector<std::string>& out);

// How a node reads in an error message: `"four"`, `a mapping`, `nothing`.
std::string DescribeNode(const YAML::Node& node);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_SCALAR_H_
