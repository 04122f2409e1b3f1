// `olsgd head`: the head of a multi-host run. It listens, waits for the
// configured number of worker processes (`olsgd worker`), places trainers and
// reducers across the nodes, runs the experiment with heartbeats and the
// config's failure policy, collects every output here, and finally tells each
// worker process to exit.
#ifndef OLSGD_ACTORS_CLUSTER_CLUSTER_HEAD_H_
#define OLSGD_ACTORS_CLUSTER_CLUSTER_HEAD_H_

#include <functional>
#include <string>

#include "actors/run/run_collector.h"
#include "actors/run/run_experiment.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

struct HeadOptions {
  std::string listen;     // tcp://HOST:PORT to bind
  std::string advertise;  // what workers dial, if not the bound address
  // Status lines for the user (waiting for workers, placement, losses).
  std::function<void(const std::string&)> say;
};

// Throws std::runtime_error for set-up errors: cannot bind, keys, too few
// workers within cluster.join_timeout_s, placement. A lost node during the
// run is handled by cluster.on_failure and reported in the summary.
RunOutcome RunOnCluster(const ExperimentSpec& spec, RunObserver& observer,
                        const RunOptions& options, const HeadOptions& head);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_CLUSTER_HEAD_H_
