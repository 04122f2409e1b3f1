// TrainerActor's side of a restarted worker rejoining the run (on_failure:
// continue; docs/CLUSTER.md, "A worker rejoins"). The head pauses every live
// trainer at one round boundary R (PauseAt), readmits the new trainer to the reducers
// and the coordinator from round R + 1, has one paused trainer copy its state
// to the new one, and lets everyone go on. Kept apart from trainer_actor.cc,
// which is about training.
#include <algorithm>
#include <stdexcept>

#include "actors/roles/coordinator_actor.h"
#include "actors/roles/reducer_actor.h"
#include "actors/roles/trainer_actor.h"
#include "runtime/log.h"

namespace olsgd::actors {

rt::Future<PauseReply> TrainerActor::PauseAt(int64_t round) {
  using Reply = rt::Future<PauseReply>;
  if (finished_) return Reply::Ready(PauseReply{false, std::max(last_ended_, plan_.total_rounds)});
  if (round >= plan_.total_rounds) return Reply::Ready(PauseReply{false, last_ended_});
  if (paused_at_) {
    if (*paused_at_ == round) return Reply::Ready(PauseReply{true, round});
    if (*paused_at_ > round) return Reply::Ready(PauseReply{false, *paused_at_});
    // Paused at an earlier boundary (an earlier attempt): go on to `round`.
    paused_at_.reset();
    if (!eval_gate_) ContinueAfter(last_ended_);
  }
  if (last_ended_ > round) return Reply::Ready(PauseReply{false, last_ended_});
  if (last_ended_ == round) {
    // Still at that boundary if no step of the next round has run (the step
    // this trainer sent itself is still queued, or it waits for an
    // evaluation): pause here, and Step does nothing while paused. A
    // sync_sgd trainer waiting for the next average has computed (and sent)
    // that step's gradient already: awaiting_ is set, and it is past.
    if (local_->step() == round * tau_ && !awaiting_) {
      paused_at_ = round;
      return Reply::Ready(PauseReply{true, round});
    }
    return Reply::Ready(PauseReply{false, last_ended_});
  }
  pause_.emplace();
  pause_->at = round;
  return pause_->promise.future();
}

bool TrainerActor::MaybePause(int64_t round) {
  if (!pause_ || round != pause_->at) return false;
  pause_->promise.Set(PauseReply{true, round});
  pause_.reset();
  paused_at_ = round;
  return true;
}

void TrainerActor::Unpause() {
  pause_.reset();
  if (!paused_at_ || finished_) return;
  paused_at_.reset();
  if (!eval_gate_) ContinueAfter(last_ended_);
}

rt::Future<void> TrainerActor::SendStateTo(rt::ActorHandle<TrainerActor> target) {
  if (!paused_at_) {
    throw std::logic_error("trainer " + std::to_string(worker_) + ": SendStateTo while not paused");
  }
  auto [state, arrays] = CaptureState(*paused_at_);
  // The run's origin on the system clock, for the target's own clocks.
  const auto since_origin =
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin_);
  const int64_t origin_unix_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch() - since_origin)
          .count();
  // A Call, so that a target that cannot take the state (it threw, or its
  // node is gone) reaches the head as an error rather than as a stall.
  return target.Call(&TrainerActor::Rejoin, state, std::move(arrays), reducers_, coordinator_,
                     origin_unix_ns, record_vectors_);
}

void TrainerActor::Dismiss() { context().Stop(); }

void TrainerActor::Rejoin(TrainerState st, std::vector<rt::Tensor> arrays,
                          std::vector<rt::ActorHandle<ReducerActor>> reducers,
                          rt::ActorHandle<CoordinatorActor> coordinator, int64_t origin_unix_ns,
                          bool record_vectors) {
  const std::string who = "trainer " + std::to_string(worker_) + ": rejoining after round " +
                          std::to_string(st.round) + ": ";
  // The donor's model, optimiser and boundary state; this worker's own data
  // shard (at the same position: every worker draws the same number of
  // samples per step) and its own straggler settings, from their start.
  // Paused at the end of a round, every algorithm has applied its steps.
  TakeModelState(st, arrays, st.round * tau_, who);
  Wire(std::move(reducers), std::move(coordinator), origin_unix_ns, record_vectors);
  // An overlapped trainer still needs result st.round (its next anchor);
  // the others have used it already.
  last_consumed_ = algorithm_.overlapped() ? st.round - 1 : st.round;
  results_.erase(results_.begin(), results_.upper_bound(last_consumed_));
  last_ended_ = st.round;
  BeginRoundReport(st.round + 1, start_s_);
  rt::Log().info("trainer {}: rejoined after round {}", worker_, st.round);
  ScheduleStep();
}

}  // namespace olsgd::actors
