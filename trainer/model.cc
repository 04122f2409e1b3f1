#include "trainer/model.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "trainer/conv2d.h"
#include "trainer/conv2d_onednn.h"
#include "trainer/elementwise.h"
#include "trainer/linear.h"
#include "trainer/loss.h"
#include "trainer/maxpool2d.h"

namespace olsgd::train {

Model::Model(Shape input, int classes) : input_(input), classes_(classes) {}

Shape Model::output_shape() const {
  return layers_.empty() ? input_ : layers_.back()->output_shape();
}

void Model::Add(std::unique_ptr<Layer> layer) {
  if (finalized_) throw std::logic_error("Model::Add after Finalize");
  layers_.push_back(std::move(layer));
}

void Model::Finalize(uint64_t seed) {
  if (layers_.empty() || output_shape().size() != classes_) {
    throw std::invalid_argument("Model: the last layer must output one value per class");
  }
  size_t total = 0;
  for (const auto& l : layers_) total += l->num_params();
  params_.assign(total, 0.0f);
  grads_.assign(total, 0.0f);
  Rng rng(seed);
  size_t offset = 0;
  for (auto& l : layers_) {
    l->Bind(params_.data() + offset, grads_.data() + offset);
    l->Init(&rng);
    offset += l->num_params();
  }
  first_trainable_ = 0;
  while (layers_[first_trainable_]->num_params() == 0 &&
         first_trainable_ + 1 < static_cast<int>(layers_.size())) {
    ++first_trainable_;
  }
  acts_.resize(layers_.size());
  dacts_.resize(layers_.size());
  outs_.resize(layers_.size());
  douts_.resize(layers_.size());
  finalized_ = true;
}

void Model::SetParams(std::span<const float> p) {
  if (p.size() != params_.size()) throw std::invalid_argument("Model::SetParams: size mismatch");
  std::memcpy(params_.data(), p.data(), sizeof(float) * p.size());
}

// A reshape layer needs no buffers of its own (Wire), except the gradient of a
// model that is nothing but one: the loss writes there.
void Model::Reserve(int batch, bool with_grads) {
  const bool grow_acts = batch > reserved_batch_;
  const bool grow_grads = with_grads && batch > reserved_grad_batch_;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const size_t n = size_t(batch) * layers_[i]->output_shape().size();
    const bool reshape = layers_[i]->is_reshape();
    if (grow_acts && !reshape) acts_[i].resize(n);
    if (grow_grads && (!reshape || layers_.size() == 1)) dacts_[i].resize(n);
  }
  if (grow_acts) reserved_batch_ = batch;
  if (grow_grads) reserved_grad_batch_ = batch;
}

void Model::SetTraining(bool training) {
  if (training == training_) return;
  for (auto& l : layers_) l->SetTraining(training);
  training_ = training;
}

void Model::Wire(const float* images) {
  const float* in = images;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const bool reshape = layers_[i]->is_reshape();
    outs_[i] = reshape ? in : acts_[i].data();
    douts_[i] = reshape && i > 0 ? douts_[i - 1] : dacts_[i].data();
    in = outs_[i];
  }
}

double Model::Forward(const float* images, const int32_t* labels, int n, int64_t* correct) {
  SetTraining(false);
  Reserve(n, /*with_grads=*/false);
  Wire(images);
  const float* in = images;
  for (size_t i = 0; i < layers_.size(); ++i) {
    if (!layers_[i]->is_reshape()) layers_[i]->Forward(in, acts_[i].data(), n);
    in = outs_[i];
  }
  int64_t hits = 0;
  const double loss = SoftmaxCrossEntropy(in, labels, n, classes_, nullptr, &hits);
  if (correct != nullptr) *correct += hits;
  return loss;
}

// Backpropagation: the loss gives dL/dlogits into dacts_.back(); layer i then
// maps dacts_[i] to dacts_[i-1] (its input's gradient) and its own parameter
// gradients. Nothing before the first layer with parameters needs a gradient,
// so the backward pass stops there (for the MLP this saves the largest GEMM).
// Reshape layers are skipped both ways: their output and its gradient are the
// buffers of the layer before them (Wire).
float Model::ForwardBackward(const Batch& batch) {
  const int n = batch.size;
  SetTraining(true);
  Reserve(n, /*with_grads=*/true);
  Wire(batch.images.data());
  const float* in = batch.images.data();
  for (size_t i = 0; i < layers_.size(); ++i) {
    if (!layers_[i]->is_reshape()) layers_[i]->Forward(in, acts_[i].data(), n);
    in = outs_[i];
  }
  const double loss =
      SoftmaxCrossEntropy(in, batch.labels.data(), n, classes_, douts_.back(), nullptr);
  for (int i = static_cast<int>(layers_.size()) - 1; i >= first_trainable_; --i) {
    if (layers_[i]->is_reshape()) continue;
    const float* layer_in = i == 0 ? batch.images.data() : outs_[i - 1];
    float* din = i == first_trainable_ ? nullptr : douts_[i - 1];
    layers_[i]->Backward(layer_in, outs_[i], douts_[i], din, n);
  }
  return static_cast<float>(loss);
}

int64_t Model::TrainingFlopsPerSample() const {
  int64_t total = 0;
  for (int i = 0; i < num_layers(); ++i) {
    const int64_t f = layers_[i]->flops_per_sample();
    total += f;                                                             // forward
    if (i >= first_trainable_ && layers_[i]->num_params() > 0) total += f;  // dL/dW
    if (i > first_trainable_) total += f;                                   // dL/dX
  }
  return total;
}

EvalResult Model::Evaluate(const Dataset& data, int batch_size) {
  if (batch_size <= 0) throw std::invalid_argument("Model::Evaluate: batch_size must be > 0");
  EvalResult r;
  double loss_sum = 0.0;
  int64_t correct = 0;
  for (int64_t s = 0; s < data.n; s += batch_size) {
    const int n = static_cast<int>(std::min<int64_t>(batch_size, data.n - s));
    loss_sum += Forward(data.image(s), data.labels.data() + s, n, &correct) * n;
  }
  r.samples = data.n;
  if (data.n > 0) {
    r.loss = loss_sum / data.n;
    r.accuracy = static_cast<double>(correct) / data.n;
  }
  return r;
}

EvalResult Model::EvaluateParams(std::span<const float> p, const Dataset& data, int batch_size) {
  scratch_.assign(params_.begin(), params_.end());
  SetParams(p);
  EvalResult r;
  try {
    r = Evaluate(data, batch_size);
  } catch (...) {
    SetParams(scratch_);
    throw;
  }
  SetParams(scratch_);
  return r;
}

std::string Model::Describe() const {
  std::string s = label_ + ":";
  for (const auto& l : layers_) {
    s += std::string(" ") + l->name() + " " + std::to_string(l->output_shape().size()) + " >";
  }
  s.pop_back();
  return s + "(" + std::to_string(num_params()) + " params)";
}

std::unique_ptr<Model> BuildModel(const ModelConfig& config, const Dataset& shape, uint64_t seed) {
  const Shape input{shape.channels, shape.height, shape.width};
  if (input.size() <= 0 || shape.classes < 2) {
    throw std::invalid_argument("BuildModel: dataset shape is empty or has < 2 classes");
  }
  auto model = std::make_unique<Model>(input, shape.classes);
  model->label_ = config.name;
  auto add = [&](auto layer) { model->Add(std::move(layer)); };
  if (config.name == "mlp") {
    add(std::make_unique<Flatten>(input));
    for (int width : config.hidden) {
      if (width <= 0) throw std::invalid_argument("BuildModel: mlp hidden widths must be > 0");
      add(std::make_unique<Linear>(model->output_shape(), width));
      add(std::make_unique<Relu>(model->output_shape()));
    }
    add(std::make_unique<Linear>(model->output_shape(), shape.classes));
  } else if (config.name == "cnn") {
    if (config.conv1_channels <= 0 || config.conv2_channels <= 0 || config.fc_width <= 0 ||
        config.kernel <= 0 || config.kernel % 2 == 0) {
      throw std::invalid_argument("BuildModel: cnn channels/fc_width > 0 and an odd kernel needed");
    }
    if (config.conv != "onednn" && config.conv != "gemm") {
      throw std::invalid_argument("BuildModel: unknown conv '" + config.conv +
                                  "' (expected onednn or gemm)");
    }
    const int pad = config.kernel / 2;
    for (int channels : {config.conv1_channels, config.conv2_channels}) {
      if (config.conv == "onednn") {
        add(std::make_unique<OneDnnConv2d>(model->output_shape(), channels, config.kernel, pad));
      } else {
        add(std::make_unique<Conv2d>(model->output_shape(), channels, config.kernel, pad));
      }
      add(std::make_unique<Relu>(model->output_shape()));
      add(std::make_unique<MaxPool2d>(model->output_shape(), 2));
    }
    add(std::make_unique<Flatten>(model->output_shape()));
    add(std::make_unique<Linear>(model->output_shape(), config.fc_width));
    add(std::make_unique<Relu>(model->output_shape()));
    add(std::make_unique<Linear>(model->output_shape(), shape.classes));
  } else {
    throw std::invalid_argument("BuildModel: unknown model '" + config.name +
                                "' (expected mlp or cnn)");
  }
  model->Finalize(seed);
  return model;
}

}  // namespace olsgd::train
