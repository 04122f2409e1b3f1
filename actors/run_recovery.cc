#include "actors/run_recovery.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "actors/algorithm_kind.h"
#include "actors/link_setup.h"
#include "actors/millis.h"
#include "runtime/log.h"

namespace olsgd::actors {
namespace {

bool Contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The workers that are neither lost nor finished being replaced: every other.
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
  const auto kind = ParseAlgorithm(spec.algorithm.name);
  if (kind && ReduceOpFor(*kind, spec.algorithm.beta) == ReduceOp::kSlowMo) {
    return "local_sgd with anchor momentum (algorithm.beta > 0) keeps its momentum only in the "
           "reducer shards, so a lost shard cannot be re-created";
  }
  return "";
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
            ctx.spec.algorithm.name, ctx.spec.algorithm.beta, ctx.spec.cluster.workers, j),
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

std::string RejoinLostWorkers(RecoveryContext& ctx, const rt::NodeInfo& node) {
  std::vector<int> take = ctx.collector.lost_workers();
  if (take.empty()) return "";
  take.resize(std::min(take.size(), static_cast<size_t>(std::max(node.slots, 1))));
  const std::vector<int> live = LiveWorkers(ctx);
  if (live.empty()) return "";
  const auto limit = Millis(ctx.spec.cluster.stall_timeout_s);

  // 1. The new trainers, on the new node (they load their data now, while
  //    the others still train).
  //    Until the readmission, a failure leaves the run as it was: it is
  //    reported and the run goes on without the node.
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
    return "node '" + node.name + "' cannot take lost workers: " + e.what();
  }

  // 2. Every live trainer pauses at one round boundary R: first each at its
  //    next one, then the ones behind go on to the latest (at most one round
  //    apart: nobody can use round r's result before all have sent round r).
  const auto unpause = [&] {
    for (int w : live)
      (void)ctx.actors.trainers[static_cast<size_t>(w)].Tell(&TrainerActor::Unpause);
  };
  std::string refused;
  const auto pause_after = [&](int w, int64_t round) -> int64_t {
    auto r = ctx.actors.trainers[static_cast<size_t>(w)]
                 .Call(&TrainerActor::PauseAfter, round)
                 .Get(limit);
    if (!r.ok() && refused.empty()) {
      refused = TrainerName(w) + " did not pause at a round boundary: " + r.error().ToString();
    }
    return r.ok() ? *r : -1;
  };
  std::vector<int64_t> at(live.size());
  for (size_t i = 0; i < live.size() && refused.empty(); ++i) at[i] = pause_after(live[i], 1);
  const int64_t boundary = *std::max_element(at.begin(), at.end());
  for (size_t i = 0; i < live.size() && refused.empty(); ++i) {
    if (at[i] < boundary) at[i] = pause_after(live[i], boundary);
  }
  for (size_t i = 0; i < live.size() && refused.empty(); ++i) {
    if (at[i] != boundary) {
      refused = TrainerName(live[i]) + " paused after round " + std::to_string(at[i]) +
                ", the others after " + std::to_string(boundary);
    }
  }
  if (refused.empty() && boundary >= ctx.plan.total_rounds)
    refused = "the run is at its last round";
  if (!refused.empty()) {
    unpause();
    return "node '" + node.name + "' did not take lost workers: " + refused;
  }

  // 3. Readmit from round R + 1 (Call: in force before anyone goes on), then
  //    copy a paused trainer's state into each new one.
  const int64_t from = boundary + 1;
  const int donor = live.front();
  for (size_t n = 0; n < take.size(); ++n) {
    const int w = take[n];
    const auto must = [&](const rt::Result<bool>& r, const std::string& who) {
      if (!r.ok()) {
        throw std::runtime_error("rejoin of " + TrainerName(w) + " on node '" + node.name +
                                 "': " + who + " did not take it back: " + r.error().ToString());
      }
    };
    for (size_t j = 0; j < ctx.actors.reducers.size(); ++j) {
      must(ctx.actors.reducers[j].Call(&ReducerActor::Readmit, w, fresh[n], from).Get(limit),
           ReducerName(static_cast<int>(j)));
    }
    must(ctx.actors.coordinator.Call(&CoordinatorActor::Readmit, w, fresh[n], from).Get(limit),
         "the coordinator");
    must(ctx.actors.trainers[static_cast<size_t>(donor)]
             .Call(&TrainerActor::SendStateTo, fresh[n])
             .Get(limit),
         TrainerName(donor));
    ctx.actors.trainers[static_cast<size_t>(w)] = fresh[n];
    ctx.placement.trainer_nodes[static_cast<size_t>(w)] = node.name;
    ctx.collector.OnWorkerRejoined(w, TrainerName(w) + " rejoined on node '" + node.name +
                                          "' from round " + std::to_string(from) +
                                          " (state copied from " + TrainerName(donor) +
                                          " after round " + std::to_string(boundary) + ")");
  }
  unpause();
  std::string names;
  for (int w : take) names += (names.empty() ? "" : ", ") + TrainerName(w);
  return names + " rejoined on node '" + node.name + "' from round " + std::to_string(from);
}

}  // namespace olsgd::actors
