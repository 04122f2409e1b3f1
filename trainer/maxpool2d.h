#pragma once

#include <cstdint>
#include <vector>

#include "trainer/layer.h"

namespace olsgd::train {

// Max pooling with a k x k window and stride k (a trailing partial window is
// dropped, like PyTorch's default). Ties go to the first maximum.
class MaxPool2d : public Layer {
 public:
  MaxPool2d(Shape in, int kernel);
  const char* name() const override { return "maxpool2d"; }
  Shape output_shape() const override { return out_; }
  // Training mode keeps each window's argmax from Forward for Backward.
  void SetTraining(bool training) override { training_ = training; }
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  // Forward's work, writing out unless it is null; also writes each window's
  // argmax (its offset within the input plane) to `argmax` unless it is null.
  void Pool(const float* in, float* out, int32_t* argmax, int batch) const;

  Shape in_, out_;
  int k_;
  bool training_ = false;
  std::vector<int32_t> argmax_;       // per output value, grown on demand
  const float* argmax_of_ = nullptr;  // the input argmax_ belongs to (training)
  int argmax_batch_ = -1;
};

}  // namespace olsgd::train
