// Semantic checks of a converted ExperimentSpec: the bounds every field
// declares (experiment_spec.h), each algorithm's own checks, and
// combinations that cannot work together (a worker index beyond the
// cluster, more reducer shards than workers, ...).
#ifndef OLSGD_CLI_CONFIG_VALIDATE_H_
#define OLSGD_CLI_CONFIG_VALIDATE_H_

#include <string>
#include <vector>

#include "actors/spec/experiment_spec.h"
#include "actors/spec/format_number.h"
#include "cli/config_load.h"

namespace olsgd::cli {

// Throws ConfigError at the first problem, located through `sources`.
void ValidateSpec(const actors::ExperimentSpec& spec, const SourceMap& sources);

using actors::FormatNumber;

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_VALIDATE_H_
