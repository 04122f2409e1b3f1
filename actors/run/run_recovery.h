// Recovery under cluster.on_failure: continue (docs/CLUSTER.md, "Failures"):
// re-creating the reducer shards of a lost node on this node, and giving the
// trainers of lost workers to a worker node that (re)joined, at a round
// boundary. Both run on the run loop's thread (run_on_runtime.cc).
#ifndef OLSGD_ACTORS_RUN_RUN_RECOVERY_H_
#define OLSGD_ACTORS_RUN_RUN_RECOVERY_H_

#include <string>
#include <vector>

#include "actors/checkpoint/checkpoint_store.h"
#include "actors/cluster/placement.h"
#include "actors/run/run_actors.h"
#include "actors/run/run_collector.h"
#include "actors/spec/experiment_spec.h"
#include "actors/worker/run_plan.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

struct RecoveryContext {
  rt::Runtime& runtime;
  const ExperimentSpec& spec;
  const std::string& spec_json;
  const RunPlan& plan;
  const std::vector<float>& x0;
  Placement& placement;  // kept up to date: a later loss is judged by it
  RunActors& actors;
  RunCollector& collector;
  CheckpointStore* checkpoints;  // null: the run takes no checkpoints
};

// Why reducer shards of this run cannot be re-created, or "" if they can.
// (local_sgd with anchor momentum keeps its momentum only in the reducer.)
std::string WhyReducersCannotBeRecreated(const ExperimentSpec& spec);

// Re-creates reducer shards `shards`, lost with node `lost_node`, on this
// node: each new shard starts from the run's anchor state (the reduction is
// stateless: the trainers hold the anchors) and every live trainer re-sends
// the contributions it kept. Throws std::runtime_error if a shard cannot be
// spawned.
void RecreateReducers(RecoveryContext& ctx, const std::vector<int>& shards,
                      const std::string& lost_node);

// Whether worker node `node` can take lost workers: it hosts no trainer and
// is not this node.
bool CanTakeLostWorkers(const RecoveryContext& ctx, const rt::NodeInfo& node);

// Gives up to max(node.slots, 1) lost workers to `node`: spawns their
// trainers there, pauses every live trainer at one round boundary R,
// readmits the new trainers to the reducers and the coordinator from round
// R + 1, copies a live trainer's state to each, and lets everyone go on.
// Returns what happened, for the user, also when the node could not take
// them (it cannot start trainers, a trainer did not pause within
// cluster.stall_timeout_s, the run is at its last round): the run then goes
// on as before. Throws std::runtime_error only if a step after the
// readmission fails, when the run cannot go on consistently.
std::string RejoinLostWorkers(RecoveryContext& ctx, const rt::NodeInfo& node);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_RUN_RECOVERY_H_
