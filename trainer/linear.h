#pragma once

#include "trainer/layer.h"

namespace olsgd::train {

// Fully connected layer y = x W^T + b, W [out, in] (PyTorch layout), b [out].
// The input may have any shape; it is read as in.size() features.
class Linear : public Layer {
 public:
  Linear(Shape in, int out_features);
  const char* name() const override { return "linear"; }
  Shape output_shape() const override { return {out_, 1, 1}; }
  size_t num_params() const override { return size_t(out_) * in_ + out_; }
  int64_t flops_per_sample() const override { return 2 * int64_t{in_} * out_; }
  void Bind(float* params, float* grads) override;
  void Init(Rng* rng) override;
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  int in_, out_;
  float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
};

}  // namespace olsgd::train
