// ExperimentSpec <-> JSON, so a spec can travel to actors on other nodes as a
// constructor argument and be recorded with the results.
#ifndef OLSGD_ACTORS_SPEC_SPEC_JSON_H_
#define OLSGD_ACTORS_SPEC_SPEC_JSON_H_

#include <string>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

std::string SpecToJson(const ExperimentSpec& spec);
// Throws std::runtime_error if `json` is not a valid encoded spec.
ExperimentSpec SpecFromJson(const std::string& json);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_SPEC_JSON_H_
