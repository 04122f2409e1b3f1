// TrainerActor's side of checkpoints: what it sends at a checkpoint round and
// how it takes that state back on resume (docs/ACTORS.md, "Checkpoints").
// Kept apart from trainer_actor.cc, which is about training.
#include <stdexcept>

#include "actors/roles/coordinator_actor.h"
#include "actors/roles/half_arrays.h"
#include "actors/roles/trainer_actor.h"

namespace olsgd::actors {

void TrainerActor::MaybeCheckpoint(int64_t round) {
  if (!plan_.checkpoints.At(round)) return;
  auto [st, arrays] = CaptureState(round);
  const rt::Status sent =
      coordinator_.Tell(&CoordinatorActor::TrainerCheckpoint, st, std::move(arrays));
  if (!sent.ok()) {
    throw std::runtime_error("trainer " + std::to_string(worker_) + ": checkpoint of round " +
                             std::to_string(round) + " undeliverable: " + sent.error().ToString());
  }
}

std::pair<TrainerState, std::vector<rt::Tensor>> TrainerActor::CaptureState(int64_t round) {
  TrainerState st;
  st.worker = worker_;
  st.round = round;
  st.step = local_->step();
  st.samples_drawn = local_->sampler().samples_drawn();
  st.momentum_initialized = local_->optimizer().momentum_initialized();
  const HalfState half = half_->Save();
  st.half_first = half.first;
  st.straggler_rng = stragglers_.SaveState();
  st.since_origin_s = Now();
  st.elapsed_s = st.since_origin_s - start_s_;
  st.round_in_progress = round_;
  st.total_compute_s = total_compute_s_;
  st.total_blocked_s = total_blocked_s_;
  st.total_bytes_out = total_bytes_out_;
  st.total_bytes_in = total_bytes_in_;
  st.loss_sum = loss_sum_;
  st.loss_count = loss_count_;
  st.last_eval_sent = last_eval_sent_;

  std::vector<rt::Tensor> arrays(kTrainerArrays);
  arrays[kTrainerParams] = rt::Tensor::CopyOf(local_->params());
  arrays[kTrainerMomentum] = rt::Tensor::CopyOf(
      std::span<const float>(std::as_const(local_->optimizer()).momentum_buffer()));
  HalfToArrays(half, arrays, kTrainerHalf0);
  return {std::move(st), std::move(arrays)};
}

void TrainerActor::Restore(TrainerState st, std::vector<rt::Tensor> arrays) {
  const std::string who = "trainer " + std::to_string(worker_) + ": checkpoint of round " +
                          std::to_string(st.round) + ": ";
  if (started_) throw std::logic_error(who + "restore after start");
  if (st.worker != worker_) {
    throw std::invalid_argument(who + "holds the state of worker " + std::to_string(st.worker));
  }
  // A checkpoint is taken right after the contribution: sync_sgd has not
  // applied that round's step yet.
  const int64_t expected_step =
      algorithm_.traits.exchanges_gradients ? st.round - 1 : st.round * tau_;
  TakeModelState(st, arrays, expected_step, who);
  stragglers_.RestoreState(st.straggler_rng);
  round_ = st.round_in_progress;
  total_compute_s_ = st.total_compute_s;
  total_blocked_s_ = st.total_blocked_s;
  total_bytes_out_ = st.total_bytes_out;
  total_bytes_in_ = st.total_bytes_in;
  loss_sum_ = st.loss_sum;
  loss_count_ = st.loss_count;
  // Every evaluation up to the checkpoint was complete when it was taken.
  last_eval_sent_ = last_eval_done_ = st.last_eval_sent;
  last_consumed_ = st.round - 1;  // the reducers send result st.round again
  restored_ = std::move(st);
}

void TrainerActor::TakeModelState(const TrainerState& st, const std::vector<rt::Tensor>& arrays,
                                  int64_t expected_step, const std::string& who) {
  if (st.step != expected_step || st.round < 1 || st.round >= plan_.total_rounds) {
    throw std::invalid_argument(who + "step " + std::to_string(st.step) + ", expected " +
                                std::to_string(expected_step) + " of " +
                                std::to_string(plan_.total_rounds) + " rounds");
  }
  if (arrays.size() != kTrainerArrays) {
    throw std::invalid_argument(who + std::to_string(arrays.size()) + " arrays, expected " +
                                std::to_string(kTrainerArrays));
  }
  const auto floats = [&](int i) { return std::as_const(arrays[i]).floats(); };
  if (floats(kTrainerParams).size() != local_->num_params() ||
      floats(kTrainerMomentum).size() != local_->num_params()) {
    throw std::invalid_argument(who + "model or momentum of " +
                                std::to_string(floats(kTrainerParams).size()) + " / " +
                                std::to_string(floats(kTrainerMomentum).size()) +
                                " floats, expected " + std::to_string(local_->num_params()));
  }
  try {
    half_->Restore(HalfFromArrays(arrays, kTrainerHalf0, st.half_first));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(who + e.what());
  }
  std::copy(floats(kTrainerParams).begin(), floats(kTrainerParams).end(), local_->params().begin());
  local_->optimizer().RestoreState(floats(kTrainerMomentum), st.momentum_initialized);
  local_->sampler().Seek(st.samples_drawn);
  local_->set_step(st.step);
}

}  // namespace olsgd::actors
