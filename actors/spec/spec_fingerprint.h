// The config fields a checkpoint must be resumed with: those declared with
// .Fingerprint() in experiment_spec.h, i.e. everything that
// changes the numbers (algorithm and its parameters, workers, model, data
// and partition, seed, training). Paths, output, evaluation, injection and
// checkpoint settings may differ.
#ifndef OLSGD_ACTORS_SPEC_SPEC_FINGERPRINT_H_
#define OLSGD_ACTORS_SPEC_SPEC_FINGERPRINT_H_

#include <string>
#include <utility>
#include <vector>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

// (config key, value as text) in a fixed order, e.g. ("algorithm.tau", "2").
using Fingerprint = std::vector<std::pair<std::string, std::string>>;

Fingerprint ConfigFingerprint(const ExperimentSpec& spec);

// "" if `saved` (from a checkpoint) matches `spec`, else e.g. "checkpoint was
// made with algorithm.tau = 2, this config has 4" for the first difference.
std::string CompareFingerprint(const Fingerprint& saved, const ExperimentSpec& spec);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_SPEC_FINGERPRINT_H_
