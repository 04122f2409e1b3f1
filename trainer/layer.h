#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "trainer/rng.h"

namespace olsgd::train {

// The shape of one sample's activation: channels x height x width (a flat
// feature vector is {features, 1, 1}).
struct Shape {
  int c = 0, h = 0, w = 0;
  int64_t size() const { return int64_t{c} * h * w; }
};

// One layer of a sequential model. Activations are batches packed NCHW.
// Parameters and gradients are views into the model's two flat buffers, bound
// with Bind(). A layer holds only scratch buffers of its own, so two models
// never share mutable state.
class Layer {
 public:
  virtual ~Layer() = default;

  // A short name for logs ("linear", "conv2d", ...).
  virtual const char* name() const = 0;
  // The per-sample output shape.
  virtual Shape output_shape() const = 0;
  // How many floats of the parameter buffer this layer owns.
  virtual size_t num_params() const { return 0; }
  // FLOPs (2 per multiply-add) of one sample's forward pass in the layer's
  // matrix products; 0 for layers without any. Its weight gradient costs the
  // same again, and so does its input gradient. The bench counts a model's
  // work per sample from these.
  virtual int64_t flops_per_sample() const { return 0; }
  // True for a layer whose output is its input's bytes unchanged (Flatten).
  // The model then hands the input buffer on instead of calling Forward and
  // Backward, which would only copy it.
  virtual bool is_reshape() const { return false; }
  // Points the layer at its slices of the parameter and gradient buffers
  // (num_params() floats each).
  virtual void Bind(float* /*params*/, float* /*grads*/) {}
  // PyTorch-default initialisation of the bound parameters.
  virtual void Init(Rng* /*rng*/) {}
  // In training mode Forward may keep what the Backward that follows it (same
  // `in`, same batch) needs, trading memory for not recomputing it.
  virtual void SetTraining(bool /*training*/) {}
  // out = f(in) for `batch` samples.
  virtual void Forward(const float* in, float* out, int batch) = 0;
  // Given the forward pass's `in`, `out` and the loss gradient `dout`, writes
  // the parameter gradients (overwriting) and, unless din is null, dL/din.
  virtual void Backward(const float* in, const float* out, const float* dout, float* din,
                        int batch) = 0;
};

// PyTorch's default init for Linear and Conv2d: Kaiming-uniform with a = sqrt(5)
// gives weights ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and biases use the same bound.
inline void InitUniformFanIn(Rng* rng, float* w, size_t n, int64_t fan_in) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  for (size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng->Uniform(-bound, bound));
}

}  // namespace olsgd::train
