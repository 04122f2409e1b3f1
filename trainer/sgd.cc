#include "trainer/sgd.h"

#include <algorithm>
#include <stdexcept>

#include "trainer/simd.h"

namespace olsgd::train {

Sgd::Sgd(size_t n) : v_(n, 0.0f) {}

namespace {

// The three fused update loops, one pass each over x, g (and v). Compiled for
// AVX2 too (simd.h): the same operations per element, so the same bits.
OLSGD_SIMD_CLONES void PlainStep(float* __restrict x, const float* __restrict g, size_t n, float lr,
                                 float wd) {
  for (size_t i = 0; i < n; ++i) x[i] -= lr * (g[i] + wd * x[i]);
}

OLSGD_SIMD_CLONES void NesterovStep(float* __restrict x, const float* __restrict g,
                                    float* __restrict v, size_t n, float lr, float wd, float mu,
                                    float keep) {
  for (size_t i = 0; i < n; ++i) {
    const float gi = g[i] + wd * x[i];
    const float vi = keep * v[i] + gi;
    v[i] = vi;
    x[i] -= lr * (gi + mu * vi);
  }
}

OLSGD_SIMD_CLONES void MomentumStep(float* __restrict x, const float* __restrict g,
                                    float* __restrict v, size_t n, float lr, float wd, float keep) {
  for (size_t i = 0; i < n; ++i) {
    const float vi = keep * v[i] + (g[i] + wd * x[i]);
    v[i] = vi;
    x[i] -= lr * vi;
  }
}

}  // namespace

void Sgd::Step(std::span<float> x, std::span<const float> g, const SgdOptions& o) {
  if (x.size() != v_.size() || g.size() != v_.size()) {
    throw std::invalid_argument("Sgd::Step: size mismatch");
  }
  const size_t n = x.size();
  const float lr = o.lr, wd = o.weight_decay, mu = o.momentum;
  // One fused pass per case.
  if (mu == 0.0f) {
    PlainStep(x.data(), g.data(), n, lr, wd);
    return;
  }
  const float keep = initialized_ ? mu : 0.0f;  // v = g' on the first step
  if (!initialized_) std::fill(v_.begin(), v_.end(), 0.0f);
  initialized_ = true;
  if (o.nesterov) {
    NesterovStep(x.data(), g.data(), v_.data(), n, lr, wd, mu, keep);
  } else {
    MomentumStep(x.data(), g.data(), v_.data(), n, lr, wd, keep);
  }
}

void Sgd::RestoreState(std::span<const float> v, bool initialized) {
  if (v.size() != v_.size()) throw std::invalid_argument("Sgd::RestoreState: size mismatch");
  std::copy(v.begin(), v.end(), v_.begin());
  initialized_ = initialized;
}

}  // namespace olsgd::train
