#include "actors/run/run_on_runtime.h"

#include <cblas.h>

#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

#include "actors/algorithms/algorithm.h"
#include "actors/checkpoint/checkpoint_resume.h"
#include "actors/roles/coordinator_actor.h"
#include "actors/roles/reducer_actor.h"
#include "actors/roles/trainer_actor.h"
#include "actors/run/link_setup.h"
#include "actors/run/run_actors.h"
#include "actors/run/run_recovery.h"
#include "actors/spec/spec_json.h"
#include "actors/worker/dataset_cache.h"
#include "actors/worker/local_worker.h"
#include "actors/worker/run_plan.h"
#include "runtime/log.h"

namespace olsgd::actors {
namespace {

// The first local actor that failed (its method threw and it was stopped), if any.
std::string FailedActor(const rt::Runtime& runtime, const std::vector<rt::ActorId>& ids) {
  for (const rt::ActorId& id : ids) {
    const rt::ActorStats s = runtime.Stats(id);
    if (s.failures > 0 || !s.alive) return s.name.empty() ? "an actor" : s.name;
  }
  return "";
}

// The first actor of the run on another, still connected node that has
// stopped (a method threw and the restart policy stopped it; its name left
// the head's directory), or "". Actors of a node that was lost are the loss
// handling's business, so a node that is gone is skipped.
template <class A>
std::string StoppedRemote(rt::Runtime& runtime, const std::vector<rt::ActorHandle<A>>& actors,
                          const std::map<rt::NodeId, std::string>& nodes,
                          const std::function<std::string(int)>& name) {
  for (size_t i = 0; i < actors.size(); ++i) {
    const rt::ActorId id = actors[i].id();
    const auto node = nodes.find(id.node());
    if (id.node() == runtime.node_id() || node == nodes.end()) continue;
    const auto found = runtime.Lookup<A>(name(static_cast<int>(i)), std::chrono::nanoseconds(0));
    if (!found.ok() || found->id() != id)
      return name(static_cast<int>(i)) + " on node '" + node->second + "'";
  }
  return "";
}

std::string StoppedRemoteActor(rt::Runtime& runtime, const RunActors& actors) {
  std::map<rt::NodeId, std::string> nodes;
  for (const rt::NodeInfo& n : runtime.Nodes()) nodes[n.id] = n.name;
  std::string s = StoppedRemote(runtime, actors.trainers, nodes, TrainerName);
  if (s.empty()) s = StoppedRemote(runtime, actors.reducers, nodes, ReducerName);
  return s;
}

// Where the run can be continued from after an abort.
std::string CheckpointNote(CheckpointStore* checkpoints) {
  if (checkpoints == nullptr) return "; no checkpoint (cluster.checkpoint_every_rounds is 0)";
  try {
    const std::string dir = checkpoints->WriteLatest();
    if (dir.empty()) return "; no checkpoint complete yet";
    return "; last checkpoint: " + dir + " (round " +
           std::to_string(checkpoints->latest_round().value_or(0)) + ")";
  } catch (const std::exception& e) {
    return std::string("; the checkpoint could not be written: ") + e.what();
  }
}

// Applies cluster.on_failure to a lost node.
void HandleLoss(const NodeLoss& loss, const train::Dataset& train_data, RecoveryContext& ctx) {
  const ExperimentSpec& spec = ctx.spec;
  RunCollector& collector = ctx.collector;
  const ActorsOnNode on = ActorsPlacedOn(ctx.placement, loss.name);
  const std::string what = DescribeLoss(loss, on);
  if (on.empty()) {
    rt::Log().warn("{}; no actor of this run was on it", what);
    return;
  }
  if (spec.cluster.on_failure != OnFailure::kContinue) {
    collector.OnFailure(what + " (cluster.on_failure: abort)" + CheckpointNote(ctx.checkpoints));
    return;
  }
  if (!on.shards.empty()) {
    const std::string why = WhyReducersCannotBeRecreated(spec);
    if (!why.empty()) {
      collector.OnFailure(what + "; on_failure: continue cannot go on: " + why +
                          CheckpointNote(ctx.checkpoints));
      return;
    }
  }
  if (static_cast<int>(on.trainers.size()) >= collector.live_workers()) {
    collector.OnFailure(what + "; no trainer is left to continue with");
    return;
  }
  rt::Log().warn("{}; continuing without it (cluster.on_failure: continue)", what);
  if (!on.trainers.empty()) {
    std::vector<std::string> shards;
    for (int w : on.trainers) {
      shards.push_back("worker " + std::to_string(w) + " (" +
                       std::to_string(ShardFor(spec, train_data, w).size()) +
                       " training samples) on node '" + loss.name + "': " + loss.reason);
    }
    for (const auto& r : ctx.actors.reducers) (void)r.Tell(&ReducerActor::DropWorkers, on.trainers);
    (void)ctx.actors.coordinator.Tell(&CoordinatorActor::DropWorkers, on.trainers);
    collector.OnWorkersLost(on.trainers, shards);
  }
  if (!on.shards.empty()) {
    try {
      RecreateReducers(ctx, on.shards, loss.name);
    } catch (const std::exception& e) {
      collector.OnFailure(what + "; " + e.what());
    }
  }
}

// on_failure: continue: gives lost workers to a worker node that hosts no
// trainer (a restarted worker process, or a spare one), at most one node per
// call. `tried` keeps nodes already used or refused.
void MaybeRejoin(const std::function<std::vector<rt::NodeInfo>()>& ready_nodes,
                 RecoveryContext& ctx, std::set<rt::NodeId>& tried) {
  if (ctx.collector.lost_workers().empty()) return;
  for (const rt::NodeInfo& node : ready_nodes()) {
    if (tried.count(node.id) > 0 || !CanTakeLostWorkers(ctx, node)) continue;
    tried.insert(node.id);
    try {
      const std::string what = RejoinLostWorkers(ctx, node);
      if (!what.empty()) rt::Log().warn("{}", what);
    } catch (const std::exception& e) {
      ctx.collector.OnFailure(e.what());
    }
    return;
  }
}

}  // namespace

RunOutcome RunOnRuntime(RuntimeRun run, const ExperimentSpec& spec, RunObserver& observer,
                        const RunOptions& options) {
  if (!FindAlgorithm(spec.algorithm.name)) {
    throw std::invalid_argument("algorithm.name: unknown algorithm '" + spec.algorithm.name + "'");
  }
  openblas_set_num_threads(std::max(spec.cluster.blas_threads, 1));
  const auto host_start = std::chrono::steady_clock::now();
  rt::Runtime& runtime = *run.runtime;
  Placement& placement = run.placement;
  const int m = spec.cluster.workers;
  const int k = spec.algorithm.reducer_shards;
  if (static_cast<int>(placement.trainer_nodes.size()) != m ||
      static_cast<int>(placement.reducer_nodes.size()) != k) {
    throw std::invalid_argument(
        "placement does not match cluster.workers / algorithm.reducer_shards");
  }

  // A checkpoint to continue from is checked in full before anything starts.
  std::optional<Checkpoint> resume;
  if (!options.resume_from.empty()) resume = LoadCheckpoint(options.resume_from, spec);
  // Load the data first: a missing or corrupt file fails before any actor starts.
  auto train_data = LoadSplit(spec.data, spec.seed, train::Split::kTrain);
  auto test_data = LoadSplit(spec.data, spec.seed, train::Split::kTest);
  const std::vector<float> x0 = [&] {
    auto model = train::BuildModel(ToModelConfig(spec.model), *train_data, spec.seed);
    return std::vector<float>(model->params().begin(), model->params().end());
  }();
  const RunPlan plan = MakeRunPlan(spec, train_data->n, x0.size());
  if (resume) CheckCheckpointShape(*resume, plan, x0.size());
  const std::unique_ptr<CheckpointStore> checkpoints =
      MakeCheckpointStore(spec, options.checkpoint_dir);

  RunCollector collector(spec, observer);
  if (resume) collector.Seed(resume->history);
  const rt::RestartPolicy stop_on_failure = rt::RestartPolicy::StopOnFailure();

  // Virtual time (docs/TIME.md): trainers drive their own clocks on the
  // shared pool, reducers handle contributions in virtual-arrival order,
  // evaluation costs no virtual time.
  const bool virtual_time = runtime.virtual_clock() != nullptr;
  RunActors actors;
  actors.coordinator = CheckSpawn(runtime.SpawnLocal<CoordinatorActor>(
                                      rt::SpawnOptions{.name = "coordinator",
                                                       .dedicated_thread = true,
                                                       .restart = stop_on_failure,
                                                       .virtual_role = rt::VirtualRole::kUntimed},
                                      spec, &collector, checkpoints.get()),
                                  "the coordinator");
  actors.watched = {actors.coordinator.id()};
  const std::string spec_json = SpecToJson(spec);
  for (int j = 0; j < k; ++j) {
    const std::string& node = placement.reducer_nodes[j];
    actors.reducers.push_back(
        CheckSpawn(runtime.Spawn<ReducerActor>(
                       rt::SpawnOptions{.name = ReducerName(j),
                                        .node = node,
                                        .restart = stop_on_failure,
                                        .virtual_role = rt::VirtualRole::kOrdered,
                                        .ingress_bytes_per_s = spec.time.ingress_mbps * 1e6 / 8},
                       spec_json, j),
                   ReducerName(j) + (node.empty() ? "" : " on node '" + node + "'")));
    if (node.empty()) actors.watched.push_back(actors.reducers.back().id());
  }
  for (int i = 0; i < m; ++i) {
    const std::string& node = placement.trainer_nodes[i];
    actors.trainers.push_back(CheckSpawn(
        runtime.Spawn<TrainerActor>(rt::SpawnOptions{.name = TrainerName(i),
                                                     .node = node,
                                                     .dedicated_thread = !virtual_time,
                                                     .restart = stop_on_failure,
                                                     .virtual_role = rt::VirtualRole::kSelfClocked},
                                    spec_json, i),
        TrainerName(i) + (node.empty() ? "" : " on node '" + node + "'")));
    if (node.empty()) actors.watched.push_back(actors.trainers.back().id());
  }
  ApplyLinks(runtime, spec);
  // The trace's time axis is the run's clock; its process name says which.
  if (virtual_time) {
    runtime.spans().SetProcess(static_cast<int>(runtime.node_id()),
                               runtime.node_name() + " (virtual time)");
  }
  // Spans cost memory per step: record them only when a trace is wanted.
  runtime.spans().set_enabled(!options.trace_path.empty());
  CheckSent(actors.coordinator.Tell(&CoordinatorActor::Wire, actors.trainers), "the coordinator");

  if (checkpoints) {
    EnableReducerCheckpoints(actors.reducers, actors.coordinator,
                             spec.cluster.checkpoint_every_rounds, plan.total_rounds);
  }
  if (resume)
    RestoreActors(*resume, actors.trainers,
                  actors.reducers);  // reducers re-send the round's result
  for (int j = 0; j < k && !resume; ++j) {
    const auto [lo, hi] = plan.shard_slices[j];
    CheckSent(actors.reducers[j].Tell(
                  &ReducerActor::Start, actors.trainers,
                  rt::Tensor::CopyOf(std::span<const float>(x0).subspan(lo, hi - lo))),
              ReducerName(j));
  }
  const int64_t origin = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  for (int i = 0; i < m; ++i) {
    CheckSent(actors.trainers[i].Tell(&TrainerActor::Start, actors.reducers, actors.coordinator,
                                      origin, options.record_vectors),
              TrainerName(i));
  }

  RecoveryContext recovery{runtime, spec,      spec_json,        plan, x0, placement,
                           actors,  collector, checkpoints.get()};
  std::set<rt::NodeId> rejoin_tried;
  auto next_rejoin_check = std::chrono::steady_clock::now();
  auto next_remote_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  bool stop_sent = false;
  while (!collector.WaitDone(std::chrono::milliseconds(50))) {
    if (options.stop != nullptr && options.stop->load() && !stop_sent) {
      for (const auto& t : actors.trainers) (void)t.Tell(&TrainerActor::Stop);
      stop_sent = true;
    }
    if (run.losses != nullptr) {
      for (const NodeLoss& loss : run.losses->Drain()) {
        HandleLoss(loss, *train_data, recovery);
      }
    }
    if (run.ready_nodes && spec.cluster.on_failure == OnFailure::kContinue && !stop_sent &&
        std::chrono::steady_clock::now() >= next_rejoin_check) {
      next_rejoin_check = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
      MaybeRejoin(run.ready_nodes, recovery, rejoin_tried);
    }
    const std::string failed = FailedActor(runtime, actors.watched);
    if (!failed.empty()) {
      collector.OnFailure(failed + " failed; see the log above for its error");
    }
    if (std::chrono::steady_clock::now() >= next_remote_check) {
      next_remote_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      const std::string stopped = StoppedRemoteActor(runtime, actors);
      if (!stopped.empty()) {
        collector.OnFailure(stopped +
                            " stopped while its node is still connected (a method threw; see "
                            "that node's log)");
      }
    }
    if (collector.idle_seconds() > spec.cluster.stall_timeout_s) {
      collector.OnFailure("stalled: no trainer finished a round for " +
                          std::to_string(static_cast<int64_t>(spec.cluster.stall_timeout_s)) +
                          " s (cluster.stall_timeout_s); " + collector.progress());
    }
  }
  if (checkpoints) checkpoints->Seal();
  RunOutcome outcome = collector.TakeOutcome();
  outcome.checkpoints = ReportOf(checkpoints.get());
  outcome.summary.time_mode = virtual_time ? "virtual" : "wall";
  outcome.summary.host_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  if (run.before_shutdown) run.before_shutdown(runtime, outcome.summary);
  runtime.Shutdown();
  if (!options.trace_path.empty()) {
    const rt::Status st = runtime.spans().WriteChromeTrace(options.trace_path);
    if (!st.ok()) throw std::runtime_error("cannot write trace: " + st.error().ToString());
  }
  return outcome;
}

}  // namespace olsgd::actors
