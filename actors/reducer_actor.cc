#include "actors/reducer_actor.h"

#include <stdexcept>

#include "actors/algorithm_kind.h"
#include "actors/trainer_actor.h"

namespace olsgd::actors {

void ReducerActor::DefineMethods(rt::MethodTable<ReducerActor>& t) {
  t.Def("start", &ReducerActor::Start);
  t.Def("contribute", &ReducerActor::Contribute);
}

ReducerActor::ReducerActor(std::string algorithm, double beta, int workers, int shard)
    : algorithm_(std::move(algorithm)), beta_(beta), workers_(workers), shard_(shard) {
  if (!ParseAlgorithm(algorithm_)) {
    throw std::invalid_argument("ReducerActor: unknown algorithm '" + algorithm_ + "'");
  }
}

void ReducerActor::Start(std::vector<rt::ActorHandle<TrainerActor>> trainers,
                         rt::Tensor initial_slice) {
  trainers_ = std::move(trainers);
  const std::span<const float> x0 = std::as_const(initial_slice).floats();
  core_.emplace(ReduceOpFor(*ParseAlgorithm(algorithm_), beta_), workers_,
                std::vector<float>(x0.begin(), x0.end()), beta_);
}

void ReducerActor::Contribute(int64_t round, int worker, rt::Tensor slice, float lr) {
  if (!core_) throw std::logic_error("ReducerActor: contribution before Start");
  if (!core_->Add(round, worker, std::as_const(slice).floats(), lr)) return;
  const auto begin = context().Now();
  std::vector<float> combined = core_->Reduce(round);
  rt::Tensor result = rt::Tensor::CopyOf(combined);
  // One buffer, shared by every local trainer: no copy per receiver.
  for (const auto& trainer : trainers_) {
    const rt::Status st = trainer.Tell(&TrainerActor::Result, round, shard_, result);
    if (!st.ok()) {
      throw std::runtime_error("reducer " + std::to_string(shard_) + ": result of round " +
                               std::to_string(round) + " undeliverable: " + st.error().message);
    }
  }
  context().RecordSpan("averaging", "average round " + std::to_string(round), begin,
                       context().Now(), {{"round", round}});
}

}  // namespace olsgd::actors
