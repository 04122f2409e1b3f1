#pragma once

#include "trainer/layer.h"

namespace olsgd::train {

// y = max(0, x), elementwise.
class Relu : public Layer {
 public:
  explicit Relu(Shape in) : shape_(in) {}
  const char* name() const override { return "relu"; }
  Shape output_shape() const override { return shape_; }
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  Shape shape_;
};

// Reshapes [N, C, H, W] to [N, C*H*W]. A Model passes the buffer through
// (is_reshape); Forward and Backward copy, for callers that use the layer alone.
class Flatten : public Layer {
 public:
  explicit Flatten(Shape in) : in_(in) {}
  const char* name() const override { return "flatten"; }
  Shape output_shape() const override { return {static_cast<int>(in_.size()), 1, 1}; }
  bool is_reshape() const override { return true; }
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  Shape in_;
};

}  // namespace olsgd::train
