// The numerical side of one worker: its model, optimiser, data shard, sampler
// and learning-rate schedule, built from the experiment spec. Knows nothing
// about messages; the trainer actor drives it one local step at a time.
#ifndef OLSGD_ACTORS_WORKER_LOCAL_WORKER_H_
#define OLSGD_ACTORS_WORKER_LOCAL_WORKER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "actors/algorithms/algorithm.h"
#include "actors/spec/experiment_spec.h"
#include "trainer/batch_sampler.h"
#include "trainer/dataset.h"
#include "trainer/lr_schedule.h"
#include "trainer/model.h"
#include "trainer/sgd.h"

namespace olsgd::actors {

// The trainer-library model configuration for a spec's `model` section.
train::ModelConfig ToModelConfig(const ModelSpec& model);
// The schedule for a spec's `training` section and cluster size.
train::LrScheduleOptions ToScheduleOptions(const ExperimentSpec& spec);
// Worker `worker`'s shard of `data` under the spec's partitioner.
std::vector<int64_t> ShardFor(const ExperimentSpec& spec, const train::Dataset& data, int worker);

class LocalWorker : public WorkerModel {
 public:
  // Every worker starts from the same x0 (the model seeded with spec.seed).
  // `steps_per_epoch` maps step counts to the (fractional) epochs of the
  // learning-rate schedule.
  LocalWorker(const ExperimentSpec& spec, int worker,
              std::shared_ptr<const train::Dataset> train_data, double steps_per_epoch);

  // Forward and backward on the next batch: returns its loss and leaves the
  // gradient in gradient(). Does not change the model.
  float ComputeGradient();
  // One optimiser step with gradient `g` at the current step's rate, then
  // advances the step counter.
  void ApplyStep(std::span<const float> g) override;
  // ComputeGradient() then ApplyStep() with the worker's own gradient.
  float LocalStep();

  std::span<float> params() override { return model_->params(); }
  std::span<const float> gradient() const override { return model_->grads(); }
  size_t num_params() const { return model_->num_params(); }
  int64_t step() const { return step_; }  // local steps applied so far
  float lr() const;                       // the rate in force at step()
  // The rate of the step just taken (step() - 1): what a boundary after it
  // uses (anchor momentum, SlowMo), as the spec and the authors' code do.
  // lr() before any step.
  float last_step_lr() const;
  double epoch() const { return static_cast<double>(step_) / steps_per_epoch_; }
  int64_t shard_size() const { return static_cast<int64_t>(sampler_.shard().size()); }
  // A local step's floating-point operations, counted from the model's
  // shapes: forward and backward over a batch, and the optimiser's update
  // (about 5 per parameter: weight decay, momentum, Nesterov, the step).
  double StepFlops() const;

  train::Sgd& optimizer() { return sgd_; }
  train::BatchSampler& sampler() { return sampler_; }
  void set_step(int64_t step) { step_ = step; }

 private:
  std::shared_ptr<const train::Dataset> data_;
  double steps_per_epoch_;
  std::unique_ptr<train::Model> model_;
  train::Sgd sgd_;
  train::SgdOptions sgd_options_;
  train::LrSchedule schedule_;
  train::BatchSampler sampler_;
  train::Batch batch_;
  int64_t step_ = 0;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_LOCAL_WORKER_H_
