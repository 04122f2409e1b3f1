#include "actors/roles/reducer_actor.h"

#include <stdexcept>

#include "actors/algorithms/algorithm.h"
#include "actors/roles/coordinator_actor.h"
#include "actors/roles/half_arrays.h"
#include "actors/roles/trainer_actor.h"
#include "actors/run/link_setup.h"
#include "actors/spec/spec_json.h"
#include "actors/worker/cpu_time.h"
#include "runtime/log.h"

namespace olsgd::actors {

void ReducerActor::DefineMethods(rt::MethodTable<ReducerActor>& t) {
  t.Def("start", &ReducerActor::Start);
  t.Def("contribute", &ReducerActor::Contribute);
  t.Def("drop_workers", &ReducerActor::DropWorkers);
  t.Def("readmit", &ReducerActor::Readmit);
  t.Def("enable_checkpoints", &ReducerActor::EnableCheckpoints);
  t.Def("restore", &ReducerActor::Restore);
}

ReducerActor::ReducerActor(std::string spec_json, int shard)
    : spec_(SpecFromJson(spec_json)), algorithm_(AlgorithmOf(spec_)), shard_(shard) {}

std::optional<SliceReducer> ReducerActor::MakeCore(std::span<const float> x0_slice) const {
  std::optional<SliceReducer> core;
  core.emplace(algorithm_.make_reducer(ReducerSetup{spec_, shard_, x0_slice}),
               spec_.cluster.workers, x0_slice.size());
  return core;
}

void ReducerActor::Start(std::vector<rt::ActorHandle<TrainerActor>> trainers,
                         rt::Tensor initial_slice) {
  trainers_ = std::move(trainers);
  core_ = MakeCore(std::as_const(initial_slice).floats());
}

void ReducerActor::Contribute(int64_t round, int worker, rt::Tensor slice, float lr) {
  if (!core_) throw std::logic_error("ReducerActor: contribution before Start");
  if (worker < 0 || static_cast<size_t>(worker) >= trainers_.size()) {
    throw std::invalid_argument("reducer " + std::to_string(shard_) +
                                ": contribution from worker " + std::to_string(worker) +
                                ", out of range [0, " + std::to_string(trainers_.size()) + ")");
  }
  // Only the worker's current trainer speaks for it: after a rejoin, a
  // trainer the head had given up for lost (a partition, not a crash) must
  // not add its late rounds under the same index.
  if (context().sender() != trainers_[static_cast<size_t>(worker)].id()) {
    return Ignore(round, worker,
                  "from " + context().sender().ToString() + ", not the worker's trainer " +
                      trainers_[static_cast<size_t>(worker)].id().ToString());
  }
  if (!core_->Counts(worker, round))
    return Ignore(round, worker, "the worker is not in the group for it");
  // A trainer re-sends its kept contributions to a re-created reducer; the
  // rounds already complete here are expected leftovers.
  if (round <= last_reduced_) {
    ++ignored_;
    rt::Log().debug(
        "reducer {}: contribution of worker {} to round {} ignored: round {} is reduced already",
        shard_, worker, round, last_reduced_);
    return;
  }
  if (!core_->Add(round, worker, std::as_const(slice).floats(), lr)) return;
  ReduceAndSend(round);
}

void ReducerActor::Ignore(int64_t round, int worker, const std::string& why) {
  ++ignored_;
  rt::Log().warn("reducer {}: contribution of worker {} to round {} ignored ({} so far): {}",
                 shard_, worker, round, ignored_, why);
}

bool ReducerActor::Readmit(int worker, rt::ActorHandle<TrainerActor> trainer, int64_t from_round) {
  if (!core_) throw std::logic_error("ReducerActor: Readmit before Start");
  core_->Readmit(worker, from_round);  // throws for a worker out of range
  trainers_[worker] = std::move(trainer);
  if (last_reduced_ == from_round - 1 && last_reduced_ > 0) {
    (void)trainers_[worker].Tell(&TrainerActor::Result, last_reduced_, shard_, last_result_);
  }
  return true;
}

void ReducerActor::DropWorkers(std::vector<int> workers) {
  if (!core_) throw std::logic_error("ReducerActor: DropWorkers before Start");
  for (int w : workers) core_->DropWorker(w);
  for (int64_t round : core_->CompleteRounds()) ReduceAndSend(round);
}

void ReducerActor::ReduceAndSend(int64_t round) {
  const auto begin = context().Now();
  const rt::VirtualTime virtual_begin = context().VirtualNow();
  const double cpu0 = ThreadCpuSeconds();
  const int taken = core_->live_workers();
  std::vector<float> combined = core_->Reduce(round);
  if (context().virtual_time()) {
    // Combining costs virtual time too (docs/TIME.md): its CPU time, or k*n
    // floating-point operations at the device speed.
    const double cost = spec_.time.compute == ComputeCost::kModel
                            ? static_cast<double>(taken) * static_cast<double>(combined.size()) /
                                  (spec_.time.device_gflops * 1e9)
                            : ThreadCpuSeconds() - cpu0;
    context().Advance(rt::VirtualTime(static_cast<int64_t>(cost * 1e9)));
  }
  rt::Tensor result = rt::Tensor::CopyOf(combined);
  core_->DiscardBefore(round);
  last_reduced_ = round;
  last_result_ = result;
  // The part first: on resume the trainers wait for exactly this result.
  MaybeCheckpoint(round, result);
  SendResult(round, result);
  if (context().virtual_time()) {
    // The trace's axis is virtual seconds, from the spans' origin.
    const auto at = [&](rt::VirtualTime t) {
      return context().spans().origin() + std::chrono::duration_cast<rt::Clock::duration>(t);
    };
    context().RecordSpan("averaging", "average round " + std::to_string(round), at(virtual_begin),
                         at(context().VirtualNow()), {{"round", round}});
  } else {
    context().RecordSpan("averaging", "average round " + std::to_string(round), begin,
                         context().Now(), {{"round", round}});
  }
}

void ReducerActor::SendResult(int64_t round, const rt::Tensor& result) {
  // One buffer, shared by every local trainer: no copy per receiver.
  for (size_t w = 0; w < trainers_.size(); ++w) {
    if (!core_->Member(static_cast<int>(w))) continue;
    const rt::Status st = trainers_[w].Tell(&TrainerActor::Result, round, shard_, result);
    if (!st.ok()) {
      // A trainer that has finished (the last round's result), a run that is
      // shutting down, or a trainer on a node that was just lost: the run's
      // failure policy decides what happens to a lost one, and a local
      // trainer that failed ends the run.
      const bool finished = st.error().code == rt::ErrorCode::kActorStopped ||
                            st.error().code == rt::ErrorCode::kShutdown;
      rt::Log().log(finished ? spdlog::level::debug : spdlog::level::warn,
                    "reducer {}: result of round {} not delivered to {}: {}", shard_, round,
                    TrainerName(static_cast<int>(w)), st.error().message);
    }
  }
}

void ReducerActor::EnableCheckpoints(rt::ActorHandle<CoordinatorActor> coordinator,
                                     int every_rounds, int64_t last_round) {
  coordinator_ = std::move(coordinator);
  checkpoints_ = CheckpointSchedule{every_rounds, last_round};
}

void ReducerActor::MaybeCheckpoint(int64_t round, const rt::Tensor& result) {
  if (!coordinator_ || !checkpoints_.At(round)) return;
  const HalfState half = core_->Save();
  ReducerState st{shard_, round, half.first};
  std::vector<rt::Tensor> arrays(kReducerArrays);
  arrays[kReducerResult] = result;
  HalfToArrays(half, arrays, kReducerHalf0);
  const rt::Status sent =
      coordinator_->Tell(&CoordinatorActor::ReducerCheckpoint, st, std::move(arrays));
  if (!sent.ok()) {
    throw std::runtime_error("reducer " + std::to_string(shard_) + ": checkpoint of round " +
                             std::to_string(round) + " undeliverable: " + sent.error().message);
  }
}

void ReducerActor::Restore(std::vector<rt::ActorHandle<TrainerActor>> trainers, ReducerState state,
                           std::vector<rt::Tensor> arrays) {
  const std::string who = "reducer " + std::to_string(shard_) + ": checkpoint of round " +
                          std::to_string(state.round) + ": ";
  if (state.shard != shard_) {
    throw std::invalid_argument(who + "holds the state of shard " + std::to_string(state.shard));
  }
  if (arrays.size() != kReducerArrays) {
    throw std::invalid_argument(who + std::to_string(arrays.size()) + " arrays, expected " +
                                std::to_string(kReducerArrays));
  }
  trainers_ = std::move(trainers);
  // The half starts from the result's slice; the checkpoint's state follows.
  core_ = MakeCore(std::as_const(arrays[kReducerResult]).floats());
  try {
    core_->Restore(HalfFromArrays(arrays, kReducerHalf0, state.half_first));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(who + e.what());
  }
  last_reduced_ = state.round;
  last_result_ = arrays[kReducerResult];
  SendResult(state.round, arrays[kReducerResult]);
}

}  // namespace olsgd::actors
