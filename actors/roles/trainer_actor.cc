#include "actors/roles/trainer_actor.h"

#include <cblas.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "actors/roles/coordinator_actor.h"
#include "actors/roles/delivery_checks.h"
#include "actors/roles/reducer_actor.h"
#include "actors/spec/spec_json.h"
#include "actors/worker/dataset_cache.h"
#include "actors/worker/initial_model_cache.h"
#include "runtime/log.h"

namespace olsgd::actors {
namespace {

// Every process that runs trainers (an `olsgd worker` too, not only the
// head) runs OpenBLAS with the run's thread count, before any BLAS call.
ExperimentSpec AppliedBlasThreads(ExperimentSpec spec) {
  openblas_set_num_threads(std::max(spec.cluster.blas_threads, 1));
  return spec;
}

// "the coordinator (trainer 3's snapshot)": what a failed report names.
std::string CoordinatorWith(int worker, const char* what) {
  return "the coordinator (trainer " + std::to_string(worker) + "'s " + what + ")";
}

}  // namespace

void TrainerActor::DefineMethods(rt::MethodTable<TrainerActor>& t) {
  t.Def("start", &TrainerActor::Start);
  t.Def("step", &TrainerActor::Step);
  t.Def("result", &TrainerActor::Result);
  t.Def("stop", &TrainerActor::Stop);
  t.Def("eval_done", &TrainerActor::EvalDone);
  t.Def("restore", &TrainerActor::Restore);
  t.Def("replace_reducer", &TrainerActor::ReplaceReducer);
  t.Def("pause_at", &TrainerActor::PauseAt);
  t.Def("unpause", &TrainerActor::Unpause);
  t.Def("send_state_to", &TrainerActor::SendStateTo);
  t.Def("rejoin", &TrainerActor::Rejoin);
  t.Def("dismiss", &TrainerActor::Dismiss);
}

TrainerActor::TrainerActor(std::string spec_json, int worker)
    : spec_(AppliedBlasThreads(SpecFromJson(spec_json))),
      worker_(worker),
      algorithm_(AlgorithmOf(spec_)),
      tau_(RoundSteps(spec_)),
      stragglers_(spec_.injection.stragglers, worker, spec_.seed),
      virtual_(context().virtual_time()) {
  auto data = LoadSplit(spec_.data, spec_.seed, train::Split::kTrain);
  const int64_t train_samples = data->n;
  local_ = std::make_unique<LocalWorker>(spec_, worker, std::move(data),
                                         StepsPerEpoch(spec_, train_samples));
  plan_ = MakeRunPlan(spec_, train_samples, local_->num_params());
  n_ = local_->num_params();
  x0_ = SharedInitialModel(spec_.seed, local_->params());
  keep_sent_ = spec_.cluster.on_failure == OnFailure::kContinue;
  warned_unreachable_.assign(plan_.shard_slices.size(), false);
  half_ = algorithm_.make_worker(WorkerSetup{spec_, worker, *x0_});
  if (!algorithm_.overlapped()) x0_.reset();  // no first boundary needs it
  if (virtual_) {
    device_ = LoadDevices(spec_.time, spec_.cluster.workers).at(static_cast<size_t>(worker));
    step_flops_ = local_->StepFlops();
  }
}

void TrainerActor::Start(std::vector<rt::ActorHandle<ReducerActor>> reducers,
                         rt::ActorHandle<CoordinatorActor> coordinator, int64_t origin_unix_ns,
                         bool record_vectors) {
  Wire(std::move(reducers), std::move(coordinator), origin_unix_ns, record_vectors);
  if (restored_) {
    // Continue the checkpointed run's clocks: times go on from the checkpoint.
    ContinueClock(restored_->since_origin_s, restored_->elapsed_s);
    const int64_t round = restored_->round;
    restored_.reset();
    if (algorithm_.overlapped()) {
      ScheduleStep();  // result `round` is needed at the next boundary
    } else {
      AwaitResult(round);
    }
    return;
  }
  BeginRoundReport(1, start_s_);
  ScheduleStep();
}

void TrainerActor::Wire(std::vector<rt::ActorHandle<ReducerActor>> reducers,
                        rt::ActorHandle<CoordinatorActor> coordinator, int64_t origin_unix_ns,
                        bool record_vectors) {
  if (started_) throw std::logic_error("trainer " + std::to_string(worker_) + ": started twice");
  if (reducers.size() != plan_.shard_slices.size()) {
    throw std::invalid_argument("trainer " + std::to_string(worker_) + ": got " +
                                std::to_string(reducers.size()) + " reducers, expected " +
                                std::to_string(plan_.shard_slices.size()));
  }
  reducers_ = std::move(reducers);
  coordinator_ = std::move(coordinator);
  record_vectors_ = record_vectors;
  StartClock(origin_unix_ns);
  started_ = true;
}

void TrainerActor::BeginRoundReport(int64_t round, double start_s) {
  round_ = RoundRecord{};
  round_.worker = worker_;
  round_.round = round;
  round_.start_s = start_s;
}

int64_t TrainerActor::RoundOfNextStep() const { return local_->step() / tau_ + 1; }

void TrainerActor::ScheduleStep() {
  CheckSent(context().self<TrainerActor>().Tell(&TrainerActor::Step),
            "trainer " + std::to_string(worker_) + " itself (its next step)");
}

void TrainerActor::Step() {
  // Paused (PauseAt) at a boundary with this step already queued: Unpause
  // sends the next one.
  if (!started_ || finished_ || paused_at_) return;
  const int64_t round = RoundOfNextStep();
  const float loss = TimedStep(round);
  loss_sum_ += loss;
  ++loss_count_;

  if (algorithm_.traits.exchanges_gradients) {
    Boundary(round);
  } else if (local_->step() % tau_ == 0) {
    Boundary(local_->step() / tau_);
  } else {
    ScheduleStep();
  }
}

void TrainerActor::Boundary(int64_t round) {
  if (!algorithm_.overlapped()) {
    // Blocking: contribute, then wait for this round's result (Resume).
    const float lr = local_->last_step_lr();  // of the step just taken
    rt::Tensor c = rt::Tensor::Uninitialized(n_);
    half_->Boundary(*local_, {}, lr, c.floats());
    SendSlices(round, std::move(c), lr);
    MaybeCheckpoint(round);
    AwaitResult(round);
    return;
  }
  // Overlapped: the boundary of round r needs the average started at r - 1.
  if (round == 1) {
    const std::shared_ptr<const std::vector<float>> x0 = std::move(x0_);
    FinishOverlappedBoundary(1, *x0);
  } else {
    AwaitResult(round - 1);
  }
}

void TrainerActor::AwaitResult(int64_t round) {
  awaiting_ = round;
  block_start_s_ = Now();
  auto it = results_.find(round);
  if (it != results_.end() && it->second.arrived == static_cast<int>(plan_.shard_slices.size())) {
    Resume(round);
  } else if (virtual_) {
    context().SetWaiting(true);  // its clock moves to each slice's arrival
  }
}

void TrainerActor::Result(int64_t round, int shard, rt::Tensor slice) {
  round_.messages_in += 1;
  round_.bytes_in += slice.size_bytes();
  total_bytes_in_ += slice.size_bytes();
  if (finished_) return;
  if (shard < 0 || static_cast<size_t>(shard) >= plan_.shard_slices.size()) {
    throw std::invalid_argument("trainer " + std::to_string(worker_) + ": result from shard " +
                                std::to_string(shard) + " out of range");
  }
  const auto [begin, end] = plan_.shard_slices[shard];
  const std::span<const float> values = std::as_const(slice).floats();
  if (values.size() != end - begin) {
    throw std::invalid_argument("trainer " + std::to_string(worker_) + ": result slice of " +
                                std::to_string(values.size()) + " floats from shard " +
                                std::to_string(shard) + ", expected " +
                                std::to_string(end - begin));
  }
  // A result already used, or a second copy of one (a replaced reducer
  // completes again the rounds whose contributions were re-sent to it).
  if (round <= last_consumed_) return;
  Assembly& a = results_[round];
  if (a.from_shard.empty()) a.from_shard.assign(plan_.shard_slices.size(), false);
  if (a.from_shard[shard]) return;
  a.from_shard[shard] = true;
  a.ready = std::max(a.ready, context().MessageArrival());
  if (plan_.shard_slices.size() == 1) {
    a.whole = std::move(slice);  // read only from here on: never detached
  } else {
    if (a.values.empty()) a.values.resize(n_);
    std::copy(values.begin(), values.end(), a.values.begin() + static_cast<std::ptrdiff_t>(begin));
  }
  ++a.arrived;
  if (awaiting_ == round && a.arrived == static_cast<int>(plan_.shard_slices.size())) Resume(round);
}

void TrainerActor::Resume(int64_t round) {
  auto node = results_.extract(round);
  WaitUntilReady(node.mapped().ready);
  const double now = Now();
  round_.blocked_s += now - block_start_s_;
  if (now > block_start_s_) {
    Span("blocked", "wait round " + std::to_string(round), block_start_s_, now, {{"round", round}});
  }
  awaiting_.reset();
  last_consumed_ = round;
  kept_.erase(kept_.begin(), kept_.lower_bound(round));
  const Assembly& a = node.mapped();
  const std::span<const float> result = plan_.shard_slices.size() == 1
                                            ? std::as_const(a.whole).floats()
                                            : std::span<const float>(a.values);
  if (algorithm_.overlapped()) {
    FinishOverlappedBoundary(round + 1, result);
  } else {
    half_->Apply(*local_, result);
    EndRound(round, {});
  }
}

void TrainerActor::FinishOverlappedBoundary(int64_t round, std::span<const float> received) {
  const float lr = local_->last_step_lr();  // of the step just taken
  Probe(round, "x_before", local_->params());
  Probe(round, "received", received);
  rt::Tensor c = rt::Tensor::Uninitialized(n_);
  half_->Boundary(*local_, received, lr, c.floats());
  Probe(round, "x_after", local_->params());
  Probe(round, "contribution", std::as_const(c).floats());
  SendSlices(round, std::move(c), lr);
  EndRound(round, received);
}

void TrainerActor::SendSlices(int64_t round, rt::Tensor c, float lr) {
  const double begin = Now();
  for (size_t j = 0; j < reducers_.size(); ++j) SendSlice(j, round, c, lr);
  if (keep_sent_) kept_[round] = SentContribution{std::move(c), lr};
  Span("send", "send round " + std::to_string(round), begin, Now(), {{"round", round}});
}

void TrainerActor::SendSlice(size_t shard, int64_t round, const rt::Tensor& c, float lr) {
  const auto [lo, hi] = plan_.shard_slices[shard];
  // Nobody writes to a sent contribution, so one shard owning all of it gets
  // the buffer itself.
  rt::Tensor t = hi - lo == c.size() ? c : rt::Tensor::CopyOf(c.floats().subspan(lo, hi - lo));
  round_.messages_out += 1;
  round_.bytes_out += t.size_bytes();
  total_bytes_out_ += t.size_bytes();
  const rt::Status st =
      reducers_[shard].Tell(&ReducerActor::Contribute, round, worker_, std::move(t), lr);
  if (st.ok()) return;
  const std::string what = "reducer " + std::to_string(shard) + " (trainer " +
                           std::to_string(worker_) + "'s contribution)";
  if (!keep_sent_) return CheckSent(st, what);
  if (st.error().code == rt::ErrorCode::kShutdown) return;  // this node is going down
  // on_failure: continue: the reducer's node may be lost; the head re-creates
  // the shard and this contribution is sent again (ReplaceReducer).
  if (!warned_unreachable_[shard]) {
    warned_unreachable_[shard] = true;
    rt::Log().warn(
        "trainer {}: contribution to round {} not delivered to reducer {} ({}); kept until the "
        "shard is re-created",
        worker_, round, shard, st.error().ToString());
  }
}

void TrainerActor::ReplaceReducer(int shard, rt::ActorHandle<ReducerActor> reducer) {
  if (shard < 0 || static_cast<size_t>(shard) >= plan_.shard_slices.size()) {
    throw std::invalid_argument("trainer " + std::to_string(worker_) + ": replaced shard " +
                                std::to_string(shard) + " out of range");
  }
  // A finished trainer still re-sends: a slower one may need the results of
  // the rounds it contributed to last.
  if (!started_) return;
  reducers_[shard] = std::move(reducer);
  warned_unreachable_[shard] = false;
  for (const auto& [round, sent] : kept_) {
    SendSlice(static_cast<size_t>(shard), round, sent.values, sent.lr);
  }
  rt::Log().info("trainer {}: reducer {} replaced; {} kept contribution(s) sent again", worker_,
                 shard, kept_.size());
}

void TrainerActor::EndRound(int64_t round, std::span<const float> anchor) {
  const double now = Now();
  round_.round = round;
  round_.end_s = now;
  total_compute_s_ += round_.compute_s;
  total_blocked_s_ += round_.blocked_s;
  CheckSent(coordinator_.Tell(&CoordinatorActor::RoundDone, round_),
            CoordinatorWith(worker_, "round report"));

  if (plan_.IsEvalRound(round)) {
    SnapshotInfo info;
    info.worker = worker_;
    info.round = round;
    info.iteration = local_->step();
    info.epoch = local_->epoch();
    info.wall_s = now;
    info.train_loss = loss_count_ > 0 ? loss_sum_ / static_cast<double>(loss_count_) : 0.0;
    info.compute_s = total_compute_s_;
    info.blocked_s = total_blocked_s_;
    loss_sum_ = 0;
    loss_count_ = 0;
    // Worker 0 also sends the anchor it used, for anchor algorithms.
    rt::Tensor anchor_tensor;
    if (worker_ == 0 && !anchor.empty() && algorithm_.traits.has_anchor) {
      anchor_tensor = rt::Tensor::CopyOf(anchor);
    }
    CheckSent(coordinator_.Tell(&CoordinatorActor::Snapshot, info,
                                rt::Tensor::CopyOf(local_->params()), std::move(anchor_tensor)),
              CoordinatorWith(worker_, "snapshot"));
    const int64_t previous = last_eval_sent_;
    last_eval_sent_ = round;
    if (previous > last_eval_done_ && round < plan_.total_rounds) {
      // The previous evaluation is still running: wait for it (EvalDone).
      eval_gate_ = previous;
      eval_wait_start_s_ = Now();
      if (!warned_eval_wait_) {
        warned_eval_wait_ = true;
        rt::Log().warn(
            "trainer {}: evaluation cannot keep up with training; trainers wait for it "
            "(raise evaluation.every_rounds)",
            worker_);
      }
    }
  }

  BeginRoundReport(round + 1, now);
  if (algorithm_.overlapped()) MaybeCheckpoint(round);
  last_ended_ = round;
  if (MaybePause(round)) return;
  if (!eval_gate_) ContinueAfter(round);
}

void TrainerActor::ContinueAfter(int64_t round) {
  if (round >= plan_.total_rounds) {
    Finish(false);
  } else {
    ScheduleStep();
  }
}

void TrainerActor::EvalDone(int64_t round) {
  last_eval_done_ = std::max(last_eval_done_, round);
  if (!eval_gate_ || last_eval_done_ < *eval_gate_ || finished_) return;
  eval_gate_.reset();
  Span("eval_wait", "wait for evaluation", eval_wait_start_s_, Now());
  if (paused_at_) return;  // Unpause goes on
  ContinueAfter(last_eval_sent_);
}

void TrainerActor::Finish(bool interrupted) {
  if (finished_) return;
  finished_ = true;
  // Done: in virtual time it sends nothing more (but the final report, to
  // the untimed coordinator), so it holds nobody back.
  if (virtual_) context().SetWaiting(true);
  if (pause_) {  // a rejoin waits for this trainer: it is past the last round
    pause_->promise.Set(PauseReply{false, std::max(last_ended_, plan_.total_rounds)});
    pause_.reset();
  }
  FinishInfo info;
  info.worker = worker_;
  info.interrupted = interrupted;
  info.iterations = local_->step();
  info.rounds = local_->step() / tau_;
  info.wall_s = Now() - start_s_;
  info.compute_s = total_compute_s_ + round_.compute_s;
  info.blocked_s = total_blocked_s_ + round_.blocked_s;
  info.bytes_out = total_bytes_out_;
  info.bytes_in = total_bytes_in_;
  info.blas_threads = openblas_get_num_threads();
  CheckSent(
      coordinator_.Tell(&CoordinatorActor::Finished, info, rt::Tensor::CopyOf(local_->params())),
      CoordinatorWith(worker_, "final report"));
}

void TrainerActor::Stop() {
  if (started_) Finish(true);
}

void TrainerActor::Probe(int64_t round, const char* what, std::span<const float> v) {
  if (!record_vectors_) return;
  CheckSent(coordinator_.Tell(&CoordinatorActor::Probe, ProbeInfo{worker_, round, what},
                              rt::Tensor::CopyOf(v)),
            CoordinatorWith(worker_, "probe"));
}

}  // namespace olsgd::actors
