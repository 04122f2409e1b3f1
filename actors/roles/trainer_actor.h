// TrainerActor: one worker. It runs on a dedicated thread and drives each
// local step as a message to itself, so the reducers' results interleave with
// computation in its mailbox: at an overlapped algorithm's boundary the anchor
// has usually arrived already and the worker goes straight on; otherwise it
// stops scheduling steps until the result arrives, and that wait is measured
// as blocked time.
#ifndef OLSGD_ACTORS_ROLES_TRAINER_ACTOR_H_
#define OLSGD_ACTORS_ROLES_TRAINER_ACTOR_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/algorithms/algorithm.h"
#include "actors/roles/messages.h"
#include "actors/spec/experiment_spec.h"
#include "actors/worker/device_model.h"
#include "actors/worker/local_worker.h"
#include "actors/worker/run_plan.h"
#include "actors/worker/straggler_model.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

class ReducerActor;
class CoordinatorActor;

class TrainerActor : public rt::Actor {
 public:
  static constexpr const char* kTypeName = "olsgd.Trainer";
  static void DefineMethods(rt::MethodTable<TrainerActor>& t);

  // `spec_json` is SpecToJson(spec): the actor may live on another node.
  TrainerActor(std::string spec_json, int worker);

  // Wires the actor to its reducers (one per shard, in shard order) and the
  // coordinator, then starts training. `origin_unix_ns` is the run's start
  // (system clock) that reported times are relative to.
  void Start(std::vector<rt::ActorHandle<ReducerActor>> reducers,
             rt::ActorHandle<CoordinatorActor> coordinator, int64_t origin_unix_ns,
             bool record_vectors);
  // One local step (sent by the actor to itself).
  void Step();
  // Reducer shard `shard`'s result of round `round`: the anchor z_{round+1}
  // (overlapped), the new average (local_sgd) or the averaged gradient (sync_sgd).
  void Result(int64_t round, int shard, rt::Tensor slice);
  // Ends training early (the run was interrupted).
  void Stop();
  // Puts the trainer in the state of a checkpoint (sent before Start, which
  // then continues from it): for sync_sgd and local_sgd it waits for the
  // result of the checkpoint's round, overlapped algorithms go on with the
  // next round's steps. `arrays` are in TrainerArray order.
  void Restore(TrainerState state, std::vector<rt::Tensor> arrays);
  // The coordinator has evaluated round `round`. A trainer keeps at most one
  // evaluation outstanding: at an evaluation round it waits until the
  // previous one is done, so evaluation can never fall unboundedly behind.
  void EvalDone(int64_t round);

  // Recovery under cluster.on_failure: continue (docs/CLUSTER.md).
  // Reducer shard `shard` was re-created as `reducer`: contributions go there
  // from now on, and the ones it may have lost are sent again. A trainer
  // keeps the contributions of rounds whose results it has not yet used,
  // and of the last one it used (another trainer may still need it).
  void ReplaceReducer(int shard, rt::ActorHandle<ReducerActor> reducer);
  // Pauses at the end of round `round` exactly (right after its
  // contribution is sent; for sync_sgd and local_sgd after its result is
  // applied) and resolves with {paused, round}. A trainer that is past that
  // boundary already (it has taken a step of a later round), has finished,
  // or would pause at its last round resolves at once, not paused, with the
  // latest round it ended: the caller then aims at a later round.
  rt::Future<PauseReply> PauseAt(int64_t round);
  // Goes on after PauseAt (and drops a pause not yet reached).
  void Unpause();
  // REQUIRES: paused. Starts `target` (a new trainer for a worker that was
  // lost) from a copy of this trainer's state at the paused round: model,
  // optimiser and boundary state; the data shard stays the target's own.
  // Resolves once the target has taken the state (its Rejoin's outcome).
  rt::Future<void> SendStateTo(rt::ActorHandle<TrainerActor> target);
  // A trainer the run no longer wants (a rejoin that did not happen) stops
  // and frees its name.
  void Dismiss();
  // The other end of SendStateTo: takes the state, wires the actor and
  // starts training with round state.round + 1.
  void Rejoin(TrainerState state, std::vector<rt::Tensor> arrays,
              std::vector<rt::ActorHandle<ReducerActor>> reducers,
              rt::ActorHandle<CoordinatorActor> coordinator, int64_t origin_unix_ns,
              bool record_vectors);

 private:
  using Clock = std::chrono::steady_clock;
  struct Assembly {
    // One shard: the reducer's buffer itself, shared by every trainer of
    // this process (no copy). Several shards: the slices copied into one.
    rt::Tensor whole;
    std::vector<float> values;
    std::vector<bool> from_shard;
    int arrived = 0;
    rt::VirtualTime ready = rt::kNoVirtualTime;  // virtual time: the last slice's arrival
  };
  struct SentContribution {
    rt::Tensor values;  // shares the sent buffer
    float lr = 0;
  };

  int64_t RoundOfNextStep() const;
  void ScheduleStep();
  void Boundary(int64_t round);
  void AwaitResult(int64_t round);
  void Resume(int64_t round);
  void FinishOverlappedBoundary(int64_t round, std::span<const float> received);
  // Sends contribution `c` to round `round`: each reducer shard gets its
  // slice (the buffer itself when one shard owns all of it).
  void SendSlices(int64_t round, rt::Tensor c, float lr);
  void SendSlice(size_t shard, int64_t round, const rt::Tensor& c, float lr);
  // `anchor`: the anchor the boundary used (overlapped algorithms), or empty.
  void EndRound(int64_t round, std::span<const float> anchor);
  void ContinueAfter(int64_t round);
  void Finish(bool interrupted);
  void Wire(std::vector<rt::ActorHandle<ReducerActor>> reducers,
            rt::ActorHandle<CoordinatorActor> coordinator, int64_t origin_unix_ns,
            bool record_vectors);
  // At a checkpoint round, sends the coordinator this trainer's state.
  void MaybeCheckpoint(int64_t round);
  // This trainer's state (TrainerState and TrainerArray arrays) for round `round`.
  std::pair<TrainerState, std::vector<rt::Tensor>> CaptureState(int64_t round);
  // Model, optimiser, boundary state, sampler position and step of `st`.
  // Checks that st.step is `expected_step`, that st.round is a round before
  // the last, and the arrays; `who` starts its error messages.
  void TakeModelState(const TrainerState& st, const std::vector<rt::Tensor>& arrays,
                      int64_t expected_step, const std::string& who);
  // At the end of round `round`: true if the trainer pauses there (PauseAt).
  bool MaybePause(int64_t round);
  void Probe(int64_t round, const char* what, std::span<const float> v);
  // round_ becomes the report of round `round`, starting at `start_s`.
  void BeginRoundReport(int64_t round, double start_s);

  // trainer_time.cc: the clock (docs/TIME.md).
  // Seconds since the run's start, on the run's clock (wall or virtual).
  double Now() const;
  // Starts the clock: on the wall clock, maps the run's origin (system
  // clock) onto this node's steady clock.
  void StartClock(int64_t origin_unix_ns);
  // A restored or rejoining trainer's clock goes on from a checkpoint's times.
  void ContinueClock(double since_origin_s, double elapsed_s);
  // One local step of round `round`, timed: compute and injected time go
  // into round_, the span into the trace. Returns its loss.
  float TimedStep(int64_t round);
  // The result this trainer waited for is complete; in virtual time its
  // clock moves to `ready`, the arrival of its last slice.
  void WaitUntilReady(rt::VirtualTime ready);
  void Span(const char* category, std::string name, double begin_s, double end_s,
            std::vector<rt::SpanArg> args = {}) const;

  ExperimentSpec spec_;
  int worker_;
  const Algorithm& algorithm_;
  int tau_;  // local steps per round (RoundSteps)
  std::unique_ptr<LocalWorker> local_;
  RunPlan plan_;
  std::unique_ptr<WorkerHalf> half_;  // the algorithm's boundary math
  StragglerModel stragglers_;
  size_t n_ = 0;  // the model's parameters
  // What an overlapped algorithm's first boundary receives: one copy shared
  // by the process's trainers (initial_model_cache.h), let go once used.
  std::shared_ptr<const std::vector<float>> x0_;

  std::vector<rt::ActorHandle<ReducerActor>> reducers_;
  rt::ActorHandle<CoordinatorActor> coordinator_;
  bool record_vectors_ = false;
  bool started_ = false;
  bool finished_ = false;

  int64_t last_eval_sent_ = 0;
  int64_t last_eval_done_ = 0;
  std::optional<int64_t> eval_gate_;  // paused after this round for an evaluation
  double eval_wait_start_s_ = 0;
  bool warned_eval_wait_ = false;

  std::optional<TrainerState> restored_;  // set by Restore until Start

  std::map<int64_t, Assembly> results_;
  int64_t last_consumed_ = 0;  // the latest round whose result was used
  // on_failure: continue only: contributions a replaced reducer may need.
  bool keep_sent_ = false;
  std::map<int64_t, SentContribution> kept_;
  std::vector<bool> warned_unreachable_;
  // PauseAt: the round to pause at and the caller's promise, and where the
  // trainer is paused now.
  struct PauseRequest {
    int64_t at;  // no initializer: clang rejects optional::emplace() on a nested struct with one
    rt::Promise<PauseReply> promise;
  };
  std::optional<PauseRequest> pause_;
  std::optional<int64_t> paused_at_;
  int64_t last_ended_ = 0;  // the latest round EndRound completed
  std::optional<int64_t> awaiting_;
  double block_start_s_ = 0;

  // The clock: virtual time, or the run's start on this node's steady clock.
  bool virtual_;
  Device device_;          // virtual time: its speed and availability
  double step_flops_ = 0;  // virtual time, compute: model: a step's FLOPs
  Clock::time_point origin_;
  double start_s_ = 0;  // when this trainer started, since the origin
  RoundRecord round_;   // the round in progress
  double total_compute_s_ = 0, total_blocked_s_ = 0;
  uint64_t total_bytes_out_ = 0, total_bytes_in_ = 0;
  double loss_sum_ = 0;
  int64_t loss_count_ = 0;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ROLES_TRAINER_ACTOR_H_
