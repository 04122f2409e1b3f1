// The fully resolved spec (defaults included) back to YAML, in schema order:
// what `olsgd validate` prints and what each run folder keeps as config.yaml.
// Loading the dump gives the same spec back.
#ifndef OLSGD_CLI_CONFIG_DUMP_H_
#define OLSGD_CLI_CONFIG_DUMP_H_

#include <string>

#include "actors/spec/experiment_spec.h"

namespace olsgd::cli {

// YAML text of every key of `spec`.
std::string DumpSpecYaml(const actors::ExperimentSpec& spec);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_DUMP_H_
