// Semantic checks of a converted ExperimentSpec: ranges, allowed names and
// combinations that cannot work together (easgd with alpha >= 1/m, a worker
// index beyond the cluster, more reducer shards than workers, ...).
#ifndef OLSGD_CLI_CONFIG_VALIDATE_H_
#define OLSGD_CLI_CONFIG_VALIDATE_H_

#include <string>
#include <vector>

#include "actors/spec/experiment_spec.h"
#include "cli/config_load.h"

namespace olsgd::cli {

// Throws ConfigError at the first problem, located through `sources`.
void ValidateSpec(const actors::ExperimentSpec& spec, const SourceMap& sources);

// The algorithm names, in the order the docs list them.
const std::vector<std::string>& AlgorithmNames();

// A number as users wrote it: 1.5, 0.25, 1e-05 (shortest round-trip form).
std::string FormatNumber(double value);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_VALIDATE_H_
