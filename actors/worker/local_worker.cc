#include "actors/worker/local_worker.h"

#include "actors/worker/dataset_cache.h"
#include "trainer/data_spec.h"

namespace olsgd::actors {

train::ModelConfig ToModelConfig(const ModelSpec& model) {
  train::ModelConfig c;
  c.name = NameOf(model.name);
  c.hidden = model.hidden;
  if (model.conv_channels.size() == 2) {
    c.conv1_channels = model.conv_channels[0];
    c.conv2_channels = model.conv_channels[1];
  }
  c.fc_width = model.fc_hidden;
  c.conv = NameOf(model.conv);
  return c;
}

train::LrScheduleOptions ToScheduleOptions(const ExperimentSpec& spec) {
  const TrainingSpec& t = spec.training;
  train::LrScheduleOptions o;
  o.base_lr = static_cast<float>(t.lr);
  o.reference_batch = t.lr_reference_batch;
  // Without linear scaling the total batch equals the reference: factor 1.
  o.total_batch = t.lr_linear_scaling ? t.batch_size * spec.cluster.workers : t.lr_reference_batch;
  o.warmup_epochs = t.warmup_epochs;
  o.milestones = t.milestones;
  o.gamma = static_cast<float>(t.lr_decay);
  return o;
}

std::vector<int64_t> ShardFor(const ExperimentSpec& spec, const train::Dataset& data, int worker) {
  return PartitionOf(spec, data)->at(static_cast<size_t>(worker));
}

LocalWorker::LocalWorker(const ExperimentSpec& spec, int worker,
                         std::shared_ptr<const train::Dataset> train_data, double steps_per_epoch)
    : data_(std::move(train_data)),
      steps_per_epoch_(steps_per_epoch),
      model_(train::BuildModel(ToModelConfig(spec.model), *data_, spec.seed)),
      sgd_(model_->num_params()),
      schedule_(ToScheduleOptions(spec)),
      // Each worker reshuffles its shard with its own seed.
      sampler_(ShardFor(spec, *data_, worker), spec.training.batch_size,
               spec.seed * 1000003ULL + static_cast<uint64_t>(worker) + 17) {
  sgd_options_.momentum = static_cast<float>(spec.training.momentum);
  sgd_options_.nesterov = spec.training.nesterov;
  sgd_options_.weight_decay = static_cast<float>(spec.training.weight_decay);
}

float LocalWorker::lr() const { return schedule_.At(epoch()); }

float LocalWorker::last_step_lr() const {
  if (step_ == 0) return lr();
  return schedule_.At(static_cast<double>(step_ - 1) / steps_per_epoch_);
}

double LocalWorker::StepFlops() const {
  return static_cast<double>(sampler_.batch_size()) *
             static_cast<double>(model_->TrainingFlopsPerSample()) +
         5.0 * static_cast<double>(model_->num_params());
}

float LocalWorker::ComputeGradient() {
  sampler_.Next(*data_, &batch_);
  return model_->ForwardBackward(batch_);
}

void LocalWorker::ApplyStep(std::span<const float> g) {
  sgd_options_.lr = lr();
  sgd_.Step(model_->params(), g, sgd_options_);
  ++step_;
}

float LocalWorker::LocalStep() {
  const float loss = ComputeGradient();
  ApplyStep(model_->grads());
  return loss;
}

}  // namespace olsgd::actors
