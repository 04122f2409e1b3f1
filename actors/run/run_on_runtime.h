// Runs an experiment on a runtime someone else started: the embedded one of
// RunAndCollect, or a head node whose workers have joined (cluster_head.h).
// Trainers and reducers are spawned where `placement` says; lost nodes
// reported into `losses` are handled by the spec's cluster.on_failure policy.
#ifndef OLSGD_ACTORS_RUN_RUN_ON_RUNTIME_H_
#define OLSGD_ACTORS_RUN_RUN_ON_RUNTIME_H_

#include <functional>
#include <memory>

#include "actors/cluster/node_loss.h"
#include "actors/cluster/placement.h"
#include "actors/run/run_collector.h"
#include "actors/run/run_experiment.h"
#include "actors/spec/experiment_spec.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

struct RuntimeRun {
  std::unique_ptr<rt::Runtime> runtime;  // shut down by RunOnRuntime
  Placement placement;
  NodeLossQueue* losses = nullptr;  // null: no remote nodes to lose
  // The worker nodes ready to host actors now (on_failure: continue gives
  // lost workers to one that hosts no trainer); empty: none ever join.
  std::function<std::vector<rt::NodeInfo>()> ready_nodes;
  // Runs after the run has ended and before the runtime shuts down (the head
  // releases its workers here).
  std::function<void(rt::Runtime&, const RunSummary&)> before_shutdown;
};

// Throws std::runtime_error for set-up errors (data, spawning, placement).
RunOutcome RunOnRuntime(RuntimeRun run, const ExperimentSpec& spec, RunObserver& observer,
                        const RunOptions& options);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_RUN_ON_RUNTIME_H_
