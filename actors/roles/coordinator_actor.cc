#include "actors/roles/coordinator_actor.h"

#include <algorithm>
#include <stdexcept>

#include "actors/checkpoint/checkpoint_store.h"
#include "actors/roles/trainer_actor.h"
#include "actors/worker/dataset_cache.h"
#include "actors/worker/local_worker.h"

namespace olsgd::actors {

void CoordinatorActor::DefineMethods(rt::MethodTable<CoordinatorActor>& t) {
  t.Def("wire", &CoordinatorActor::Wire);
  t.Def("round_done", &CoordinatorActor::RoundDone);
  t.Def("snapshot", &CoordinatorActor::Snapshot);
  t.Def("finished", &CoordinatorActor::Finished);
  t.Def("probe", &CoordinatorActor::Probe);
  t.Def("drop_workers", &CoordinatorActor::DropWorkers);
  t.Def("readmit", &CoordinatorActor::Readmit);
  t.Def("trainer_checkpoint", &CoordinatorActor::TrainerCheckpoint);
  t.Def("reducer_checkpoint", &CoordinatorActor::ReducerCheckpoint);
}

CoordinatorActor::CoordinatorActor(ExperimentSpec spec, RunCollector* collector,
                                   CheckpointStore* checkpoints)
    : spec_(std::move(spec)), collector_(collector), checkpoints_(checkpoints) {
  test_ = LoadSplit(spec_.data, spec_.seed, train::Split::kTest);
  model_ = train::BuildModel(ToModelConfig(spec_.model), *test_, spec_.seed);
  mean_.resize(model_->num_params());
  member_from_.assign(static_cast<size_t>(spec_.cluster.workers), 0);
}

bool CoordinatorActor::Counts(size_t worker, int64_t round) const {
  return worker < member_from_.size() && round >= member_from_[worker];
}

bool CoordinatorActor::Complete(int64_t round, const PendingEval& p) const {
  bool any = false;
  for (size_t w = 0; w < member_from_.size(); ++w) {
    if (!Counts(w, round)) continue;
    if (!p.info[w]) return false;
    any = true;
  }
  return any;
}

void CoordinatorActor::DropWorkers(std::vector<int> workers) {
  for (int w : workers) {
    if (w >= 0 && static_cast<size_t>(w) < member_from_.size()) member_from_[w] = kDropped;
  }
  // Evaluations that now have every live worker's snapshot.
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (Complete(it->first, it->second)) {
      Evaluate(it->first, it->second);
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
}

bool CoordinatorActor::Readmit(int worker, rt::ActorHandle<TrainerActor> trainer,
                               int64_t from_round) {
  if (worker < 0 || static_cast<size_t>(worker) >= member_from_.size()) {
    throw std::invalid_argument("coordinator: readmitted worker " + std::to_string(worker) +
                                " out of range");
  }
  member_from_[worker] = from_round;
  trainers_[worker] = std::move(trainer);
  return true;
}

void CoordinatorActor::Wire(std::vector<rt::ActorHandle<TrainerActor>> trainers) {
  trainers_ = std::move(trainers);
}

void CoordinatorActor::RoundDone(RoundRecord r) { collector_->OnRound(r); }

void CoordinatorActor::Snapshot(SnapshotInfo info, rt::Tensor model, rt::Tensor anchor) {
  const size_t m = static_cast<size_t>(spec_.cluster.workers);
  if (info.worker < 0 || static_cast<size_t>(info.worker) >= m) {
    throw std::invalid_argument("coordinator: snapshot from unknown worker " +
                                std::to_string(info.worker));
  }
  if (model.size() != mean_.size()) {
    throw std::invalid_argument("coordinator: snapshot of worker " + std::to_string(info.worker) +
                                " has " + std::to_string(model.size()) + " parameters, expected " +
                                std::to_string(mean_.size()));
  }
  PendingEval& p = pending_[info.round];
  if (p.info.empty()) {
    p.info.resize(m);
    p.models.resize(m);
  }
  // A duplicate, or a worker not in the group at that round (lost, or
  // rejoined later).
  if (p.info[info.worker] || !Counts(static_cast<size_t>(info.worker), info.round)) return;
  p.info[info.worker] = info;
  p.models[info.worker] = std::move(model);
  if (!anchor.empty()) p.anchor = std::move(anchor);
  ++p.arrived;
  if (Complete(info.round, p)) {
    Evaluate(info.round, p);
    pending_.erase(info.round);
  }
}

void CoordinatorActor::Evaluate(int64_t round, PendingEval& p) {
  const auto begin = context().Now();
  // Mean of the local models, summed in worker order.
  // Workers lost under on_failure: continue are left out.
  std::fill(mean_.begin(), mean_.end(), 0.0f);
  int n = 0;
  for (size_t w = 0; w < p.models.size(); ++w) {
    if (!p.info[w] || !Counts(w, round)) continue;
    const std::span<const float> v = std::as_const(p.models[w]).floats();
    for (size_t j = 0; j < mean_.size(); ++j) mean_[j] += v[j];
    ++n;
  }
  const float inv = 1.0f / static_cast<float>(n);
  for (float& v : mean_) v *= inv;

  EvalRecord rec;
  rec.round = round;
  double loss_sum = 0;
  for (size_t w = 0; w < p.info.size(); ++w) {
    if (!p.info[w] || !Counts(w, round)) continue;
    const auto& info = p.info[w];
    rec.wall_s = std::max(rec.wall_s, info->wall_s);
    rec.epoch = std::max(rec.epoch, info->epoch);
    rec.iteration = std::max(rec.iteration, info->iteration);
    loss_sum += info->train_loss;
    rec.workers.push_back({info->worker, info->train_loss, info->compute_s, info->blocked_s});
  }
  rec.train_loss = loss_sum / static_cast<double>(n);
  const train::EvalResult mean_eval =
      model_->EvaluateParams(mean_, *test_, spec_.evaluation.test_batch);
  rec.test_loss = mean_eval.loss;
  rec.test_accuracy = mean_eval.accuracy;
  if (!p.anchor.empty() && spec_.evaluation.evaluate_anchor) {
    const train::EvalResult a =
        model_->EvaluateParams(p.anchor.floats(), *test_, spec_.evaluation.test_batch);
    rec.anchor_test_loss = a.loss;
    rec.anchor_test_accuracy = a.accuracy;
  }
  if (context().virtual_time()) {
    // Evaluation costs no virtual time (TIME_MODEL.md): a mark at the
    // virtual time of the round it evaluates, with the host's cost beside.
    const auto at = context().spans().origin() + std::chrono::duration_cast<rt::Clock::duration>(
                                                     std::chrono::duration<double>(rec.wall_s));
    const double host_ms =
        std::chrono::duration<double, std::milli>(context().Now() - begin).count();
    context().RecordSpan("evaluate", "evaluate round " + std::to_string(round), at, at,
                         {{"accuracy", rec.test_accuracy}, {"host_ms", host_ms}});
  } else {
    context().RecordSpan("evaluate", "evaluate round " + std::to_string(round), begin,
                         context().Now(), {{"accuracy", rec.test_accuracy}});
  }
  collector_->OnEval(rec);
  for (size_t w = 0; w < trainers_.size(); ++w) {
    if (member_from_[w] != kDropped) (void)trainers_[w].Tell(&TrainerActor::EvalDone, round);
  }
}

void CoordinatorActor::Finished(FinishInfo info, rt::Tensor model) {
  const std::span<const float> v = std::as_const(model).floats();
  collector_->OnFinished(info, std::vector<float>(v.begin(), v.end()));
}

void CoordinatorActor::Probe(ProbeInfo info, rt::Tensor values) {
  const std::span<const float> v = std::as_const(values).floats();
  collector_->OnProbe({info.worker, info.round, info.what, std::vector<float>(v.begin(), v.end())});
}

void CoordinatorActor::TrainerCheckpoint(TrainerState state, std::vector<rt::Tensor> arrays) {
  if (checkpoints_ == nullptr) return;
  const auto done = checkpoints_->AddTrainerPart({std::move(state), std::move(arrays)});
  if (done) CommitCheckpoint(*done);
}

void CoordinatorActor::ReducerCheckpoint(ReducerState state, std::vector<rt::Tensor> arrays) {
  if (checkpoints_ == nullptr) return;
  const auto done = checkpoints_->AddReducerPart({std::move(state), std::move(arrays)});
  if (done) CommitCheckpoint(*done);
}

void CoordinatorActor::CommitCheckpoint(int64_t round) {
  // Each trainer reports its rounds and snapshots before its checkpoint part
  // (one sender, in order), so the history up to the cut is complete here.
  const auto begin = context().Now();
  const int64_t last = checkpoints_->LastRecordedRound(round);
  checkpoints_->Commit(round, collector_->History(last, last));
  // Host work with no place on a virtual time axis: traced on the wall clock only.
  if (!context().virtual_time()) {
    context().RecordSpan("checkpoint", "checkpoint round " + std::to_string(round), begin,
                         context().Now(), {{"round", round}});
  }
}

}  // namespace olsgd::actors
