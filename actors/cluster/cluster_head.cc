#include "actors/cluster/cluster_head.h"

#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

#include "actors/cluster/cluster_security.h"
#include "actors/cluster/node_agent.h"
#include "actors/cluster/node_loss.h"
#include "actors/cluster/placement.h"
#include "actors/roles/actor_types.h"
#include "actors/run/millis.h"
#include "actors/run/run_on_runtime.h"
#include "runtime/log.h"

namespace olsgd::actors {
namespace {

// Worker nodes that have finished joining: the head registers a node when its
// join arrives, but the worker learns its node id only from the reply, and an
// actor spawned there before that would get an id without a node. A worker
// registers its agent after its join completes, so a node counts once its
// agent is in the directory.
// Returns the head and the ready worker nodes.
std::vector<rt::NodeInfo> ReadyNodes(rt::Runtime& runtime) {
  std::vector<rt::NodeInfo> ready;
  for (const auto& node : runtime.Nodes()) {
    if (node.id == runtime.node_id() || runtime.Lookup<NodeAgent>(NodeAgentName(node.name)).ok()) {
      ready.push_back(node);
    }
  }
  return ready;
}

// Waits until cluster.wait_for_workers worker processes have joined; returns
// the nodes to place actors on (the head and the ready workers).
std::vector<rt::NodeInfo> WaitForWorkers(rt::Runtime& runtime, const ExperimentSpec& spec,
                                         const RunOptions& options, const HeadOptions& head) {
  const int want = spec.cluster.wait_for_workers;
  const auto deadline = std::chrono::steady_clock::now() + Millis(spec.cluster.join_timeout_s);
  int seen = -1;
  while (true) {
    std::vector<rt::NodeInfo> ready = ReadyNodes(runtime);
    const int have = static_cast<int>(ready.size()) - 1;
    if (have != seen) {
      head.say("head: " + std::to_string(have) + " of " + std::to_string(want) +
               " worker nodes joined (start them with `olsgd worker --head " + runtime.address() +
               "`)");
      seen = have;
    }
    if (have >= want) return ready;
    if (options.stop != nullptr && options.stop->load()) {
      throw std::runtime_error("interrupted while waiting for worker nodes");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("only " + std::to_string(have) + " of " + std::to_string(want) +
                               " worker nodes joined within " +
                               std::to_string(spec.cluster.join_timeout_s) +
                               " s (cluster.wait_for_workers, cluster.join_timeout_s)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// The agent of every worker node (those that cannot be found are logged).
std::vector<std::pair<rt::NodeInfo, rt::ActorHandle<NodeAgent>>> Agents(rt::Runtime& runtime) {
  std::vector<std::pair<rt::NodeInfo, rt::ActorHandle<NodeAgent>>> out;
  for (const auto& node : runtime.Nodes()) {
    if (node.id == runtime.node_id()) continue;
    auto agent = runtime.Lookup<NodeAgent>(NodeAgentName(node.name), std::chrono::seconds(2));
    if (!agent.ok()) {
      rt::Log().warn("no agent on node '{}': {}", node.name, agent.error().ToString());
      continue;
    }
    out.emplace_back(node, *agent);
  }
  return out;
}

// Brings the worker nodes' trace spans into the head's recorder, then tells
// every worker process the run is over and how it should exit.
void CollectAndRelease(rt::Runtime& runtime, const RunSummary& summary, bool trace) {
  const int code = summary.status == "completed" ? 0 : summary.status == "interrupted" ? 130 : 1;
  const std::string message =
      "run " + summary.status + (summary.failure.empty() ? "" : ": " + summary.failure);
  for (auto& [node, agent] : Agents(runtime)) {
    if (trace) {
      auto spans = agent.Call(&NodeAgent::TakeSpans).Get(std::chrono::seconds(30));
      if (spans.ok()) {
        ImportSpans(runtime.spans(), *spans, static_cast<int>(node.id));
      } else {
        rt::Log().warn("trace spans of node '{}' not collected: {}", node.name,
                       spans.error().ToString());
      }
    }
    (void)agent.Tell(&NodeAgent::Release, code, message);
  }
}

}  // namespace

RunOutcome RunOnCluster(const ExperimentSpec& spec, RunObserver& observer,
                        const RunOptions& options, const HeadOptions& head) {
  RegisterExperimentActorTypes();
  NodeLossQueue losses;
  rt::RuntimeOptions ro;
  ro.listen = head.listen;
  ro.advertise = head.advertise;
  ro.node_name = "head";
  ro.spin_iterations = 0;
  ro.security = ClusterSecurity(spec.cluster.key_dir, spec.cluster.insecure);
  ro.heartbeat.interval = Millis(spec.cluster.heartbeat_s);
  ro.heartbeat.timeout = Millis(spec.cluster.failure_timeout_s);
  ro.on_node_lost = [&losses](rt::NodeId node, const std::string& reason) {
    losses.Push(node, reason);
  };
  RuntimeRun run;
  run.runtime = rt::Runtime::Start(ro);
  head.say("head: listening on " + run.runtime->address() +
           (spec.cluster.key_dir.empty() ? " (plaintext)" : " (CURVE)"));
  const std::vector<rt::NodeInfo> nodes = WaitForWorkers(*run.runtime, spec, options, head);
  losses.RememberNodes(nodes);
  run.placement =
      PlaceActors(spec.cluster, spec.algorithm.reducer_shards, nodes, run.runtime->node_name());
  for (const auto& w : run.placement.warnings) head.say("head: warning: " + w);
  head.say("head: placement: " + DescribePlacement(run.placement, run.runtime->node_name()));
  const bool trace = !options.trace_path.empty();
  for (auto& [node, agent] : Agents(*run.runtime)) (void)agent.Tell(&NodeAgent::RecordSpans, trace);
  run.losses = &losses;
  // Worker nodes that join later (a restarted worker): named for loss
  // reports, and recording spans like the others.
  std::set<rt::NodeId> placed;
  for (const auto& node : nodes) placed.insert(node.id);
  run.ready_nodes = [runtime = run.runtime.get(), &losses, trace,
                     known = std::move(placed)]() mutable {
    std::vector<rt::NodeInfo> ready = ReadyNodes(*runtime);
    losses.RememberNodes(ready);
    for (const auto& node : ready) {
      if (node.id == runtime->node_id() || !known.insert(node.id).second) continue;
      auto agent = runtime->Lookup<NodeAgent>(NodeAgentName(node.name));
      if (agent.ok()) (void)agent->Tell(&NodeAgent::RecordSpans, trace);
    }
    return ready;
  };
  run.before_shutdown = [trace](rt::Runtime& runtime, const RunSummary& summary) {
    CollectAndRelease(runtime, summary, trace);
  };
  return RunOnRuntime(std::move(run), spec, observer, options);
}

}  // namespace olsgd::actors
