#include "trainer/elementwise.h"

#include <cstring>

namespace olsgd::train {

void Relu::Forward(const float* in, float* out, int batch) {
  const int64_t n = batch * shape_.size();
  for (int64_t i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

// dL/dx = dL/dy * [x > 0]  (the subgradient 0 is taken at x = 0).
void Relu::Backward(const float* in, const float* /*out*/, const float* dout, float* din,
                    int batch) {
  if (din == nullptr) return;
  const int64_t n = batch * shape_.size();
  for (int64_t i = 0; i < n; ++i) din[i] = in[i] > 0.0f ? dout[i] : 0.0f;
}

void Flatten::Forward(const float* in, float* out, int batch) {
  std::memcpy(out, in, sizeof(float) * batch * in_.size());
}

// A reshape: dL/dx is dL/dy with the input's shape.
void Flatten::Backward(const float* /*in*/, const float* /*out*/, const float* dout, float* din,
                       int batch) {
  if (din != nullptr) std::memcpy(din, dout, sizeof(float) * batch * in_.size());
}

}  // namespace olsgd::train
