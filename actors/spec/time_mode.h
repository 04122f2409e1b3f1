// Which clock a run uses (time.mode; docs/TIME.md): `auto` is virtual for an
// embedded run and wall for a multi-host one.
#ifndef OLSGD_ACTORS_SPEC_TIME_MODE_H_
#define OLSGD_ACTORS_SPEC_TIME_MODE_H_

#include <string>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

inline TimeMode ResolvedTimeMode(const ExperimentSpec& spec) {
  if (spec.time.mode != TimeMode::kAuto) return spec.time.mode;
  return spec.cluster.mode == ClusterMode::kEmbedded ? TimeMode::kVirtual : TimeMode::kWall;
}

inline bool UsesVirtualTime(const ExperimentSpec& spec) {
  return ResolvedTimeMode(spec) == TimeMode::kVirtual;
}

// "virtual" or "wall": how every output labels its times.
inline std::string ClockName(const ExperimentSpec& spec) {
  return std::string(NameOf(ResolvedTimeMode(spec)));
}

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_TIME_MODE_H_
