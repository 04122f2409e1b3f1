// Finite-difference gradient checks shared by the trainer's layer and model
// tests. Layers run in float32, so the checks use central differences with a
// step that is large against float rounding but keeps away from ReLU/max-pool
// kinks (inputs are built so that no kink lies within the step), accumulate
// the probe loss in double, and compare with a tolerance of
// 1e-3 + 1e-2 * |analytic|.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "trainer/dataset.h"
#include "trainer/layer.h"
#include "trainer/model.h"
#include "trainer/rng.h"

namespace olsgd::train::gradcheck {

inline constexpr float kEps = 1e-2f;

inline void ExpectClose(double analytic, double numeric, const std::string& what) {
  EXPECT_NEAR(analytic, numeric, 1e-3 + 1e-2 * std::fabs(analytic)) << what;
}

inline std::vector<float> RandomVector(size_t n, uint64_t seed, double lo = -1, double hi = 1) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(rng.Uniform(lo, hi));
  return v;
}

// Inputs whose values are distinct multiples of 0.05 shifted by 0.025, so no
// value is within kEps of zero or of another value (no ReLU or max-pool kink).
inline std::vector<float> KinkFreeInput(size_t n, uint64_t seed) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.0f);
  Rng rng(seed);
  for (size_t i = n; i > 1; --i) std::swap(v[i - 1], v[rng.Below(i)]);
  for (float& x : v) x = (x - n / 2.0f) * 0.05f + 0.025f;
  return v;
}

// Checks a layer's input and parameter gradients for the probe loss
// L = sum_k r_k * y_k with fixed random weights r.
inline void CheckLayer(Layer& layer, Shape in_shape, int batch, std::vector<float> x,
                       uint64_t seed) {
  const size_t in_n = size_t(batch) * in_shape.size();
  const size_t out_n = size_t(batch) * layer.output_shape().size();
  ASSERT_EQ(x.size(), in_n);
  std::vector<float> params(layer.num_params()), grads(layer.num_params());
  layer.Bind(params.data(), grads.data());
  Rng init(seed);
  layer.Init(&init);
  const std::vector<float> r = RandomVector(out_n, seed + 1);
  std::vector<float> y(out_n), dx(in_n);
  auto probe = [&]() {
    layer.Forward(x.data(), y.data(), batch);
    double l = 0;
    for (size_t k = 0; k < out_n; ++k) l += double(r[k]) * y[k];
    return l;
  };
  probe();
  layer.Backward(x.data(), y.data(), r.data(), dx.data(), batch);
  const std::vector<float> analytic_params = grads;
  auto numeric = [&](float* v) {
    const float saved = *v;
    *v = saved + kEps;
    const double up = probe();
    *v = saved - kEps;
    const double down = probe();
    *v = saved;
    return (up - down) / (2.0 * kEps);
  };
  for (size_t i = 0; i < in_n; ++i) {
    ExpectClose(dx[i], numeric(&x[i]),
                std::string(layer.name()) + " dx[" + std::to_string(i) + "]");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    ExpectClose(analytic_params[i], numeric(&params[i]),
                std::string(layer.name()) + " dparam[" + std::to_string(i) + "]");
  }
}

// A whole model: ForwardBackward's gradient against finite differences of the
// mean loss, for a sample of parameters in every layer. In a whole network a
// ReLU or max-pool kink can fall inside the step; there the left and right
// differences disagree and the analytic value must match one of them (the
// side the kink is not on). Such cases must stay a small minority.
inline void CheckModel(Model& model, const Batch& batch) {
  model.ForwardBackward(batch);
  const std::vector<float> analytic(model.grads().begin(), model.grads().end());
  auto loss = [&]() {
    return model.Forward(batch.images.data(), batch.labels.data(), batch.size, nullptr);
  };
  const float eps = 1e-3f;
  std::span<float> p = model.params();
  int checked = 0, kinks = 0;
  for (size_t i = 0; i < p.size(); i += std::max<size_t>(1, p.size() / 97)) {
    const float saved = p[i];
    const double mid = loss();
    p[i] = saved + eps;
    const double up = loss();
    p[i] = saved - eps;
    const double down = loss();
    p[i] = saved;
    const double a = analytic[i], tol = 2e-3 + 2e-2 * std::fabs(a);
    const double right = (up - mid) / eps, left = (mid - down) / eps;
    ++checked;
    if (std::fabs(right - left) > 2 * tol) {
      ++kinks;
      EXPECT_LE(std::min(std::fabs(a - right), std::fabs(a - left)), tol)
          << model.Describe() << " param " << i << " (kink): analytic " << a << " left " << left
          << " right " << right;
    } else {
      EXPECT_NEAR(a, (up - down) / (2 * eps), tol) << model.Describe() << " param " << i;
    }
  }
  EXPECT_LE(kinks * 5, checked) << kinks << " of " << checked << " checks straddled a kink";
}

inline Batch RandomBatch(const Dataset& shape, int n, uint64_t seed) {
  Batch b;
  b.size = n;
  b.images = RandomVector(size_t(n) * shape.sample_size(), seed, -2, 2);
  Rng rng(seed + 1);
  for (int i = 0; i < n; ++i) b.labels.push_back(static_cast<int32_t>(rng.Below(shape.classes)));
  return b;
}

}  // namespace olsgd::train::gradcheck
