#include "trainer/sgd.h"

#include <algorithm>
#include <stdexcept>

namespace olsgd::train {

Sgd::Sgd(size_t n) : v_(n, 0.0f) {}

void Sgd::Step(std::span<float> x, std::span<const float> g, const SgdOptions& o) {
  if (x.size() != v_.size() || g.size() != v_.size()) {
    throw std::invalid_argument("Sgd::Step: size mismatch");
  }
  const size_t n = x.size();
  const float lr = o.lr, wd = o.weight_decay, mu = o.momentum;
  float* __restrict xp = x.data();
  const float* __restrict gp = g.data();
  float* __restrict vp = v_.data();
  // One fused pass per case (the step is memory-bound).
  if (mu == 0.0f) {
    for (size_t i = 0; i < n; ++i) xp[i] -= lr * (gp[i] + wd * xp[i]);
    return;
  }
  const float keep = initialized_ ? mu : 0.0f;  // v = g' on the first step
  if (!initialized_) std::fill(v_.begin(), v_.end(), 0.0f);
  initialized_ = true;
  if (o.nesterov) {
    for (size_t i = 0; i < n; ++i) {
      const float gi = gp[i] + wd * xp[i];
      const float vi = keep * vp[i] + gi;
      vp[i] = vi;
      xp[i] -= lr * (gi + mu * vi);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      const float vi = keep * vp[i] + (gp[i] + wd * xp[i]);
      vp[i] = vi;
      xp[i] -= lr * vi;
    }
  }
}

void Sgd::RestoreState(std::span<const float> v, bool initialized) {
  if (v.size() != v_.size()) throw std::invalid_argument("Sgd::RestoreState: size mismatch");
  std::copy(v.begin(), v.end(), v_.begin());
  initialized_ = initialized;
}

}  // namespace olsgd::train
