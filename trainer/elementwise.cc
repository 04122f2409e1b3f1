#include "trainer/elementwise.h"

#include <cstring>

#include "trainer/simd.h"

namespace olsgd::train {

namespace {

OLSGD_SIMD_CLONES void ReluForward(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

// dy[i] is loaded whatever the sign of x, and the buffers are declared
// unaliased: only then does GCC turn the select into a vector blend instead of
// a branch that mispredicts on about half the elements.
OLSGD_SIMD_CLONES void ReluBackward(const float* __restrict x, const float* __restrict dy,
                                    float* __restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float g = dy[i];
    dx[i] = x[i] > 0.0f ? g : 0.0f;
  }
}

}  // namespace

void Relu::Forward(const float* in, float* out, int batch) {
  ReluForward(in, out, batch * shape_.size());
}

// dL/dx = dL/dy * [x > 0]  (the subgradient 0 is taken at x = 0).
void Relu::Backward(const float* in, const float* /*out*/, const float* dout, float* din,
                    int batch) {
  if (din != nullptr) ReluBackward(in, dout, din, batch * shape_.size());
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
