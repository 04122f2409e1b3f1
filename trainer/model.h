#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "trainer/dataset.h"
#include "trainer/layer.h"

namespace olsgd::train {

// Which model to build, and its sizes.
struct ModelConfig {
  std::string name = "mlp";              // "mlp" or "cnn"
  std::vector<int> hidden = {256, 128};  // mlp: hidden layer widths (may be empty)
  int conv1_channels = 16;               // cnn: conv(5x5, pad 2)-relu-pool2, twice,
  int conv2_channels = 32;               //      then fc(fc_width)-relu-fc(classes)
  int fc_width = 128;
  int kernel = 5;
  // cnn: how convolutions are computed: "onednn" (oneDNN's kernels) or "gemm"
  // (im2col + OpenBLAS). Same model and math; the bits differ.
  std::string conv = "onednn";
};

// Test loss and accuracy over a whole dataset.
struct EvalResult {
  double loss = 0.0;
  double accuracy = 0.0;  // fraction in [0, 1]
  int64_t samples = 0;
};

// A sequential model whose parameters live in one contiguous float buffer and
// whose gradients live in another; layers are views into slices of them, in
// layer order (weights, then bias). One Model is used by one thread at a time;
// separate Models share nothing mutable.
class Model {
 public:
  // An empty model for inputs of shape `input` and `classes` outputs.
  Model(Shape input, int classes);
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // Appends a layer whose input shape is output_shape(). Only before Finalize.
  void Add(std::unique_ptr<Layer> layer);
  // Allocates the buffers, binds the layers and initialises them from `seed`.
  // REQUIRES: the last layer outputs `classes` features.
  void Finalize(uint64_t seed);

  // The shape the next Add()ed layer receives.
  Shape output_shape() const;
  size_t num_params() const { return params_.size(); }
  // All parameters, one flat vector.
  std::span<float> params() { return params_; }
  std::span<const float> params() const { return params_; }
  // The gradient of the last ForwardBackward, same layout as params().
  std::span<float> grads() { return grads_; }
  // Copies `p` into params(). REQUIRES: p.size() == num_params().
  void SetParams(std::span<const float> p);

  // Forward and backward pass on `batch`: returns the mean loss and overwrites
  // grads() with its gradient.
  float ForwardBackward(const Batch& batch);
  // Forward pass only over n samples: returns the mean loss; adds the number
  // of correct argmax predictions to *correct if non-null.
  double Forward(const float* images, const int32_t* labels, int n, int64_t* correct);
  // Loss and accuracy over all of `data`, in batches of batch_size.
  EvalResult Evaluate(const Dataset& data, int batch_size);
  // Evaluate() with the parameters `p` (e.g. an averaged model); params() is
  // left unchanged.
  EvalResult EvaluateParams(std::span<const float> p, const Dataset& data, int batch_size);

  // FLOPs per sample of one ForwardBackward's matrix products: every layer's
  // forward, its weight gradient, and its input gradient where the backward
  // pass computes one (not below the first layer with parameters).
  int64_t TrainingFlopsPerSample() const;

  int num_layers() const { return static_cast<int>(layers_.size()); }
  const Layer& layer(int i) const { return *layers_[i]; }
  // A one-line description, e.g. "mlp: flatten 784 > linear 256 > ... (203530 params)".
  std::string Describe() const;

 private:
  // Sizes the activation buffers (and, with_grads, their gradients) for
  // `batch` samples; allocates only on growth, so evaluating in big batches
  // costs no gradient buffers.
  void Reserve(int batch, bool with_grads);
  // Puts every layer in training mode (ForwardBackward) or not (Forward).
  void SetTraining(bool training);
  // Points outs_ at each layer's output for input `images`, and douts_ at
  // each output's gradient: a layer's own buffer, or for a reshape layer the
  // one it reshapes.
  void Wire(const float* images);

  Shape input_;
  int classes_;
  bool finalized_ = false;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<float> params_, grads_, scratch_;
  std::vector<std::vector<float>> acts_;   // acts_[i] = output of layer i
  std::vector<std::vector<float>> dacts_;  // dacts_[i] = dL/d(output of layer i)
  std::vector<const float*> outs_;         // see Wire()
  std::vector<float*> douts_;
  int reserved_batch_ = 0, reserved_grad_batch_ = 0;
  int first_trainable_ = 0;  // index of the first layer with parameters
  bool training_ = false;
  std::string label_ = "model";

  friend std::unique_ptr<Model> BuildModel(const ModelConfig&, const Dataset&, uint64_t);
};

// Builds model `config.name` for inputs shaped like `shape`'s samples and its
// number of classes, initialised from `seed` (PyTorch-default init).
// Throws std::invalid_argument for an unknown name or sizes that do not fit.
std::unique_ptr<Model> BuildModel(const ModelConfig& config, const Dataset& shape, uint64_t seed);

}  // namespace olsgd::train
