// Where a multi-host run puts its actors. Trainers go to worker nodes,
// spread round-robin and filling each node's slots before oversubscribing;
// reducer shards go to the head first, then round-robin over the workers.
// Explicit placement (cluster.trainer_nodes / reducer_nodes) names nodes.
#ifndef OLSGD_ACTORS_CLUSTER_PLACEMENT_H_
#define OLSGD_ACTORS_CLUSTER_PLACEMENT_H_

#include <string>
#include <vector>

#include "actors/spec/experiment_spec.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

struct Placement {
  std::vector<std::string> trainer_nodes;  // by worker index; "" = this node
  std::vector<std::string> reducer_nodes;  // by shard
  std::vector<std::string> warnings;       // e.g. more trainers than slots
};

// Everything on this node (embedded runs).
Placement LocalPlacement(int workers, int shards);

// `nodes` is the cluster's node table; `self` the name of the node placing
// (the head). Throws std::invalid_argument naming the config key for an
// explicit node that is not in the cluster.
Placement PlaceActors(const ClusterSpec& cluster, int shards,
                      const std::vector<rt::NodeInfo>& nodes, const std::string& self);

// "trainer:0 -> w1, trainer:1 -> w2, reducer:0 -> head".
std::string DescribePlacement(const Placement& p, const std::string& self);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_PLACEMENT_H_
