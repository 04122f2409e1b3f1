#pragma once

#include <vector>

#include "trainer/layer.h"

namespace olsgd::train {

// What every 2-D convolution layer shares: stride 1, zero padding `pad`,
// W [out_c, in_c, k, k] (PyTorch layout) then b [out_c] in the parameter
// buffer, PyTorch-default init. Backends differ only in how they compute.
class Conv2dBase : public Layer {
 public:
  Conv2dBase(Shape in, int out_channels, int kernel, int pad);
  Shape output_shape() const override { return out_; }
  size_t num_params() const override { return size_t(out_.c) * patch_ + out_.c; }
  int64_t flops_per_sample() const override { return 2 * out_.c * patch_ * pixels_; }
  void Bind(float* params, float* grads) override;
  void Init(Rng* rng) override;

 protected:
  Shape in_, out_;
  int k_, pad_;
  int64_t patch_;   // in_c * k * k
  int64_t pixels_;  // oh * ow
  float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
};

// Convolution as im2col + OpenBLAS, one sample at a time. For one sample the
// patches form a [in_c*k*k, oh*ow] matrix and Y = W * patches is already that
// sample's NCHW output, so no layout copies are needed either way, and the
// patch matrix (313 KB for the CNN's second layer) stays in L2 between the
// im2col that writes it and the GEMM that reads it. Backward rebuilds each
// sample's patches rather than keeping the whole batch's from Forward: from
// cache that is cheaper than the 20 MB round trip to memory.
class Conv2d : public Conv2dBase {
 public:
  Conv2d(Shape in, int out_channels, int kernel, int pad);
  const char* name() const override { return "conv2d"; }
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  // Writes one sample's patches into col_, via the zero-padded copy padded_.
  void Im2Col(const float* img);
  // Adds the patch gradients in dcol_ back onto one image's gradient `dimg`
  // (overwritten), via dpadded_.
  void Col2Im(float* dimg);

  int ph_, pw_;  // padded input height and width
  // Scratch, sized once: one sample's patches and their gradient; a
  // zero-padded image whose border is zeroed only when it is allocated; and
  // a padded image gradient.
  std::vector<float> col_, dcol_, padded_, dpadded_;
};

}  // namespace olsgd::train
