#pragma once

#include <vector>

#include "trainer/layer.h"

namespace olsgd::train {

// 2-D convolution, stride 1, zero padding `pad`, W [out_c, in_c, k, k], b [out_c].
// Computed as im2col + one sgemm per chunk of samples: the chunk's patches are
// laid side by side in a [in_c*k*k, chunk*oh*ow] matrix, so each GEMM is large.
class Conv2d : public Layer {
 public:
  Conv2d(Shape in, int out_channels, int kernel, int pad);
  const char* name() const override { return "conv2d"; }
  Shape output_shape() const override { return out_; }
  size_t num_params() const override { return size_t(out_.c) * patch_ + out_.c; }
  void Bind(float* params, float* grads) override;
  void Init(Rng* rng) override;
  // Training mode keeps the whole batch's patches from Forward for Backward.
  void SetTraining(bool training) override { training_ = training; }
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  // Writes the patches of `count` samples starting at `in` into `col`.
  void Im2Col(const float* in, int count, float* col);
  // Adds the patch gradients in dcol_ back onto `count` input images at `din`.
  void Col2Im(float* din, int count);
  int ChunkSize(int batch) const;

  Shape in_, out_;
  int k_, pad_;
  int64_t patch_;   // in_c * k * k
  int64_t pixels_;  // oh * ow
  float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
  std::vector<float> col_, dcol_, tmp_;  // scratch, grown on demand
  bool training_ = false;
  const float* cols_of_ = nullptr;  // the input whose patches col_ holds (training)
  int cols_batch_ = -1;
};

// Max pooling with a k x k window and stride k (a trailing partial window is
// dropped, like PyTorch's default). Ties go to the first maximum.
class MaxPool2d : public Layer {
 public:
  MaxPool2d(Shape in, int kernel);
  const char* name() const override { return "maxpool2d"; }
  Shape output_shape() const override { return out_; }
  void Forward(const float* in, float* out, int batch) override;
  void Backward(const float* in, const float* out, const float* dout, float* din,
                int batch) override;

 private:
  Shape in_, out_;
  int k_;
};

}  // namespace olsgd::train
