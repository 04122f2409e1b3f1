// Turns the config's slow links (injection.links) into runtime link models
// between trainer and reducer actors.
#ifndef OLSGD_ACTORS_RUN_LINK_SETUP_H_
#define OLSGD_ACTORS_RUN_LINK_SETUP_H_

#include <string>
#include <vector>

#include "actors/spec/experiment_spec.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

// Actor names used for placement, lookup and link selection.
std::string TrainerName(int worker);
std::string ReducerName(int shard);

// One directed trainer<->reducer link and the model it gets.
struct ResolvedLink {
  std::string from, to;
  rt::LinkModel model;
};

// Expands each LinkSpec ("trainer:N", "reducer:N", "trainer:*", "reducer:*",
// "*") into directed trainer->reducer and reducer->trainer pairs; links
// between two trainers or two reducers do not exist and are skipped. Later
// specs override earlier ones for the same pair. Each pair's jitter is
// seeded from `seed` and the pair. Throws std::invalid_argument for an
// endpoint that names no actor.
std::vector<ResolvedLink> ResolveLinks(const ExperimentSpec& spec);

// ResolveLinks, then installs every link model in `runtime`.
void ApplyLinks(rt::Runtime& runtime, const ExperimentSpec& spec);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_LINK_SETUP_H_
