#include "trainer/linear.h"

#include <cstring>

#include "trainer/gemm.h"

namespace olsgd::train {

Linear::Linear(Shape in, int out_features) : in_(static_cast<int>(in.size())), out_(out_features) {}

void Linear::Bind(float* params, float* grads) {
  w_ = params;
  b_ = params + size_t(out_) * in_;
  dw_ = grads;
  db_ = grads + size_t(out_) * in_;
}

void Linear::Init(Rng* rng) {
  InitUniformFanIn(rng, w_, size_t(out_) * in_, in_);
  InitUniformFanIn(rng, b_, size_t(out_), in_);
}

// y[n, o] = b[o] + sum_i x[n, i] W[o, i]: rows of y start as b, then one GEMM.
void Linear::Forward(const float* in, float* out, int batch) {
  for (int n = 0; n < batch; ++n) std::memcpy(out + size_t(n) * out_, b_, sizeof(float) * out_);
  Sgemm(CblasNoTrans, CblasTrans, batch, out_, in_, in, in_, w_, in_, 1.0f, out, out_);
}

// With dY = dL/dy [N, out]:
//   dL/dW = dY^T X        [out, in]
//   dL/db = sum_n dY[n, :]
//   dL/dX = dY W          [N, in]
void Linear::Backward(const float* in, const float* /*out*/, const float* dout, float* din,
                      int batch) {
  Sgemm(CblasTrans, CblasNoTrans, out_, in_, batch, dout, out_, in, in_, 0.0f, dw_, in_);
  std::memset(db_, 0, sizeof(float) * out_);
  for (int n = 0; n < batch; ++n) {
    const float* row = dout + size_t(n) * out_;
    for (int o = 0; o < out_; ++o) db_[o] += row[o];
  }
  if (din != nullptr) {
    Sgemm(CblasNoTrans, CblasNoTrans, batch, in_, out_, dout, out_, w_, in_, 0.0f, din, in_);
  }
}

}  // namespace olsgd::train
