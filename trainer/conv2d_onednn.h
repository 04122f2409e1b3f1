#pragma once

#include <memory>
#include <vector>

#include "trainer/conv2d.h"

namespace olsgd::train {

// The same convolution as Conv2d, computed by oneDNN's convolution kernels
// (JIT-generated direct convolutions for the CPU's vector ISA). Activations
// and parameters stay NCHW / OIHW for the rest of the model; oneDNN works in
// its own blocked layouts and the layer reorders at the boundary (about 0.1 ms
// a step for the CNN, against the several ms the kernels save; TRAINER.md).
//
// oneDNN runs on OpenMP; the layer runs it with as many threads as OpenBLAS
// has (openblas_get_num_threads), set for the calling thread only, so the one
// knob the trainer documents controls both. Results are deterministic for a
// given thread count and CPU ISA.
class OneDnnConv2d : public Conv2dBase {
 public:
  OneDnnConv2d(Shape in, int out_channels, int kernel, int pad);
  ~OneDnnConv2d() override;
  const char* name() const override { return "conv2d-onednn"; }
  // Training mode keeps Forward's reordered input for Backward.
  void SetTraining(bool training) override { training_ = training; }
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  struct Engine;  // engine and stream (keeps oneDNN's headers out of this one)
  struct Plan;    // primitives and buffers for one batch size and thread count
  Plan& PlanFor(int batch);

  std::unique_ptr<Engine> engine_;
  // Most recently used first; a handful, so that alternating training and
  // evaluation batch sizes does not regenerate kernels.
  std::vector<std::unique_ptr<Plan>> plans_;
  bool training_ = false;
  const float* src_of_ = nullptr;  // the input Forward reordered (training)
  const Plan* src_plan_ = nullptr;
};

}  // namespace olsgd::train
