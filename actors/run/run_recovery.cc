#include "actors/run/run_recovery.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "actors/algorithms/algorithm.h"
#include "actors/run/link_setup.h"
#include "actors/run/millis.h"
#include "actors/spec/spec_json.h"
#include "runtime/log.h"

namespace olsgd::actors {
namespace {

bool Contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The workers not lost (the collector's view; rejoined ones count again).
std::vector<int> LiveWorkers(const RecoveryContext& ctx) {
  const std::vector<int> lost = ctx.collector.lost_workers();
  std::vector<int> live;
  for (int w = 0; w < ctx.spec.cluster.workers; ++w) {
    if (!Contains(lost, w)) live.push_back(w);
  }
  return live;
}

}  // namespace

std::string WhyReducersCannotBeRecreated(const ExperimentSpec& spec) {
  // A reducer half that keeps arrays of its own (SlowMo's anchor and
  // momentum) holds state that exists nowhere else.
  const Algorithm& algorithm = AlgorithmOf(spec);
  const std::vector<float> probe(1, 0.0f);
  if (algorithm.make_reducer(ReducerSetup{spec, 0, probe})->Save().arrays.empty()) return "";
  return std::string(algorithm.name) +
         " with these parameters keeps state only in its reducer shards (local_sgd: the anchor "
         "momentum of algorithm.beta > 0), so a lost shard cannot be re-created";
}

void RecreateReducers(RecoveryContext& ctx, const std::vector<int>& shards,
                      const std::string& lost_node) {
  const std::vector<int> lost = ctx.collector.lost_workers();
  const std::vector<int> live = LiveWorkers(ctx);
  for (int j : shards) {
    // The lost node's names left the directory with it: the new shard takes
    // its usual name (link rules and logs use it).
    const std::string what = "the replacement " + ReducerName(j);
    auto reducer = CheckSpawn(
        ctx.runtime.Spawn<ReducerActor>(
            rt::SpawnOptions{.name = ReducerName(j), .restart = rt::RestartPolicy::StopOnFailure()},
            SpecToJson(ctx.spec), j),
        what);
    // Start, DropWorkers and EnableCheckpoints reach the new (local) reducer
    // before any trainer can know of it, so before any contribution.
    const auto [lo, hi] = ctx.plan.shard_slices[static_cast<size_t>(j)];
    CheckSent(reducer.Tell(&ReducerActor::Start, ctx.actors.trainers,
                           rt::Tensor::CopyOf(std::span<const float>(ctx.x0).subspan(lo, hi - lo))),
              what);
    if (!lost.empty()) CheckSent(reducer.Tell(&ReducerActor::DropWorkers, lost), what);
    if (ctx.checkpoints != nullptr) {
      CheckSent(reducer.Tell(&ReducerActor::EnableCheckpoints, ctx.actors.coordinator,
                             ctx.spec.cluster.checkpoint_every_rounds, ctx.plan.total_rounds),
                what);
    }
    ctx.actors.reducers[static_cast<size_t>(j)] = reducer;
    ctx.actors.watched.push_back(reducer.id());
    ctx.placement.reducer_nodes[static_cast<size_t>(j)] = ctx.runtime.node_name();
    for (int w : live) {
      (void)ctx.actors.trainers[static_cast<size_t>(w)].Tell(&TrainerActor::ReplaceReducer, j,
                                                             reducer);
    }
    const std::string done = ReducerName(j) + " of lost node '" + lost_node +
                             "' re-created on node '" + ctx.runtime.node_name() + "'; " +
                             std::to_string(live.size()) +
                             " trainer(s) sent their kept contributions again";
    rt::Log().warn("{}", done);
    ctx.collector.OnRecovery(done);
  }
}

bool CanTakeLostWorkers(const RecoveryContext& ctx, const rt::NodeInfo& node) {
  if (node.id == ctx.runtime.node_id()) return false;
  for (int w : LiveWorkers(ctx)) {
    if (ctx.placement.trainer_nodes[static_cast<size_t>(w)] == node.name) return false;
  }
  return true;
}

namespace {

void UnpauseAll(RecoveryContext& ctx, const std::vector<int>& workers) {
  for (int w : workers)
    (void)ctx.actors.trainers[static_cast<size_t>(w)].Tell(&TrainerActor::Unpause);
}

// Tells the trainers the run no longer needs to stop (they were spawned for
// a rejoin that did not happen), so their names are free for the next try.
void DismissAll(const std::vector<rt::ActorHandle<TrainerActor>>& trainers) {
  for (const auto& t : trainers) (void)t.Tell(&TrainerActor::Dismiss);
}

// Pauses every trainer of `live` at one round boundary and returns that
// round, or an error saying why not (the trainers then go on). All of them
// are asked at once to pause at the same round R, a little ahead of the
// latest round any of them has ended: each runs to R and pauses there, and
// since nobody stops before R every round up to R completes. A trainer that
// is already past R when the request arrives says so; then they all go on
// and the next attempt aims further ahead. The first attempt (R = 0) only
// learns where they are.
rt::Result<int64_t> PauseAllAtOneBoundary(RecoveryContext& ctx, const std::vector<int>& live,
                                          std::chrono::milliseconds limit) {
  constexpr int kAttempts = 6;
  int64_t target = 0;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::vector<rt::Future<PauseReply>> replies;
    replies.reserve(live.size());
    for (int w : live) {
      replies.push_back(
          ctx.actors.trainers[static_cast<size_t>(w)].Call(&TrainerActor::PauseAt, target));
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    bool all_paused = target > 0;
    int64_t latest = 0;
    for (size_t i = 0; i < live.size(); ++i) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      const rt::Result<PauseReply> r = replies[i].Get(std::max(left, std::chrono::milliseconds(1)));
      if (!r.ok()) {
        UnpauseAll(ctx, live);
        return rt::Error{r.error().code, TrainerName(live[i]) + " did not reach round " +
                                             std::to_string(target) + ": " + r.error().ToString()};
      }
      all_paused = all_paused && r->paused;
      latest = std::max(latest, r->round);
    }
    if (all_paused) return target;
    UnpauseAll(ctx, live);
    // Two rounds ahead: the request must reach every trainer before it ends
    // that round. Each retry aims one round further.
    target = latest + 2 + attempt;
    if (target >= ctx.plan.total_rounds) {
      return rt::Error{rt::ErrorCode::kInvalidArgument, "the run is at its last rounds"};
    }
  }
  return rt::Error{rt::ErrorCode::kTimeout, "the trainers did not meet at one round boundary in " +
                                                std::to_string(kAttempts) + " attempts"};
}

}  // namespace

std::string RejoinLostWorkers(RecoveryContext& ctx, const rt::NodeInfo& node) {
  std::vector<int> take = ctx.collector.lost_workers();
  if (take.empty()) return "";
  take.resize(std::min(take.size(), static_cast<size_t>(std::max(node.slots, 1))));
  const std::vector<int> live = LiveWorkers(ctx);
  if (live.empty()) return "";
  const auto limit = Millis(ctx.spec.cluster.stall_timeout_s);

  // 1. The new trainers, on the new node (they load their data now, while
  //    the others still train). Until the readmission, a failure leaves the
  //    run as it was: it is reported, the new trainers are dismissed and the
  //    run goes on without the node.
  std::vector<rt::ActorHandle<TrainerActor>> fresh;
  try {
    for (int w : take) {
      fresh.push_back(
          CheckSpawn(ctx.runtime.Spawn<TrainerActor>(
                         rt::SpawnOptions{.name = TrainerName(w),
                                          .node = node.name,
                                          .dedicated_thread = true,
                                          .restart = rt::RestartPolicy::StopOnFailure()},
                         ctx.spec_json, w),
                     TrainerName(w) + " on node '" + node.name + "'"));
    }
  } catch (const std::exception& e) {
    DismissAll(fresh);
    return "node '" + node.name + "' cannot take lost workers: " + e.what();
  }

  // 2. Every live trainer pauses at one round boundary R.
  const rt::Result<int64_t> paused = PauseAllAtOneBoundary(ctx, live, limit);
  if (!paused.ok()) {
    DismissAll(fresh);
    return "node '" + node.name + "' did not take lost workers: " + paused.error().message;
  }
  const int64_t boundary = *paused;

  // 3. Readmit each from round R + 1 (Calls: in force before anyone goes
  //    on), then copy a paused trainer's state into it. A worker whose step
  //    fails is dropped again everywhere (it stays lost) and the others go on.
  const int64_t from = boundary + 1;
  const int donor = live.front();
  std::vector<std::string> rejoined, failed;
  for (size_t n = 0; n < take.size(); ++n) {
    const int w = take[n];
    std::string error;
    const auto step = [&](const auto& r, const std::string& who) {
      if (!r.ok() && error.empty()) error = who + ": " + r.error().ToString();
    };
    for (size_t j = 0; j < ctx.actors.reducers.size() && error.empty(); ++j) {
      step(ctx.actors.reducers[j].Call(&ReducerActor::Readmit, w, fresh[n], from).Get(limit),
           ReducerName(static_cast<int>(j)));
    }
    if (error.empty()) {
      step(ctx.actors.coordinator.Call(&CoordinatorActor::Readmit, w, fresh[n], from).Get(limit),
           "the coordinator");
    }
    if (error.empty()) {
      step(ctx.actors.trainers[static_cast<size_t>(donor)]
               .Call(&TrainerActor::SendStateTo, fresh[n])
               .Get(limit),
           TrainerName(donor) + " -> " + TrainerName(w));
    }
    if (!error.empty()) {
      for (const auto& r : ctx.actors.reducers)
        (void)r.Tell(&ReducerActor::DropWorkers, std::vector<int>{w});
      (void)ctx.actors.coordinator.Tell(&CoordinatorActor::DropWorkers, std::vector<int>{w});
      (void)fresh[n].Tell(&TrainerActor::Dismiss);
      failed.push_back(TrainerName(w) + " (" + error + ")");
      continue;
    }
    ctx.actors.trainers[static_cast<size_t>(w)] = fresh[n];
    ctx.placement.trainer_nodes[static_cast<size_t>(w)] = node.name;
    ctx.collector.OnWorkerRejoined(w, TrainerName(w) + " rejoined on node '" + node.name +
                                          "' from round " + std::to_string(from) +
                                          " (state copied from " + TrainerName(donor) +
                                          " after round " + std::to_string(boundary) + ")");
    rejoined.push_back(TrainerName(w));
  }
  UnpauseAll(ctx, live);
  const auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  std::string what;
  if (!rejoined.empty())
    what =
        join(rejoined) + " rejoined on node '" + node.name + "' from round " + std::to_string(from);
  if (!failed.empty()) {
    what += (what.empty() ? "" : "; ") + std::string("node '") + node.name + "' did not take " +
            join(failed) + ": they stay lost";
  }
  return what;
}

}  // namespace olsgd::actors
