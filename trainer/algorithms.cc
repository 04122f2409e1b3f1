#include "trainer/algorithms.h"

#include <stdexcept>
#include <string>

namespace olsgd::train {
namespace {

void CheckSame(size_t a, size_t b, const char* fn) {
  if (a != b) {
    throw std::invalid_argument(std::string(fn) + ": length mismatch " + std::to_string(a) +
                                " vs " + std::to_string(b));
  }
}

// out = sum_j xs[j], accumulated in xs order (deterministic).
void Accumulate(std::span<const std::span<const float>> xs, std::span<float> out, const char* fn) {
  if (xs.empty()) throw std::invalid_argument(std::string(fn) + ": no vectors");
  for (const auto& x : xs) CheckSame(x.size(), out.size(), fn);
  const size_t n = out.size();
  // Sum into out starting from xs[0]; if out aliases xs[0] the first copy is a no-op.
  if (out.data() != xs[0].data()) {
    for (size_t i = 0; i < n; ++i) out[i] = xs[0][i];
  }
  for (size_t j = 1; j < xs.size(); ++j) {
    const float* x = xs[j].data();
    for (size_t i = 0; i < n; ++i) out[i] += x[i];
  }
}

}  // namespace

void MeanOf(std::span<const std::span<const float>> xs, std::span<float> out) {
  Accumulate(xs, out, "MeanOf");
  const float inv = 1.0f / static_cast<float>(xs.size());
  for (float& v : out) v *= inv;
}

void SumOf(std::span<const std::span<const float>> xs, std::span<float> out) {
  Accumulate(xs, out, "SumOf");
}

void PullBack(std::span<float> x, std::span<const float> z, float alpha) {
  CheckSame(x.size(), z.size(), "PullBack");
  const float keep = 1.0f - alpha;
  for (size_t i = 0; i < x.size(); ++i) x[i] = keep * x[i] + alpha * z[i];
}

void AnchorMomentumContribution(std::span<const float> x, std::span<const float> z,
                                std::span<float> v, float beta, float lr, bool first,
                                std::span<float> c) {
  CheckSame(x.size(), z.size(), "AnchorMomentumContribution");
  CheckSame(x.size(), v.size(), "AnchorMomentumContribution");
  CheckSame(x.size(), c.size(), "AnchorMomentumContribution");
  for (size_t i = 0; i < x.size(); ++i) {
    const float step = (z[i] - x[i]) / lr;
    v[i] = first ? step : beta * v[i] + step;  // `first` ignores whatever v held
    c[i] = z[i] - lr * v[i];
  }
}

void SlowMoUpdate(std::span<float> z, std::span<const float> xbar, std::span<float> v, float beta,
                  float lr, bool first) {
  CheckSame(z.size(), xbar.size(), "SlowMoUpdate");
  CheckSame(z.size(), v.size(), "SlowMoUpdate");
  for (size_t i = 0; i < z.size(); ++i) {
    const float step = (z[i] - xbar[i]) / lr;
    v[i] = first ? step : beta * v[i] + step;
    z[i] = z[i] - lr * v[i];
  }
}

void ElasticContribution(std::span<const float> x_pulled, std::span<const float> z, float alpha,
                         int m, std::span<float> c) {
  CheckSame(x_pulled.size(), z.size(), "ElasticContribution");
  CheckSame(x_pulled.size(), c.size(), "ElasticContribution");
  if (m < 1 || !(alpha < 1.0f))
    throw std::invalid_argument("ElasticContribution: m >= 1, alpha < 1");
  const double a = alpha / (1.0 - alpha);
  const double b = 1.0 / m - alpha - static_cast<double>(alpha) * alpha / (1.0 - alpha);
  const auto af = static_cast<float>(a), bf = static_cast<float>(b);
  for (size_t i = 0; i < c.size(); ++i) c[i] = bf * z[i] + af * x_pulled[i];
}

void CocodUpdate(std::span<float> x, std::span<float> s, std::span<const float> a) {
  CheckSame(x.size(), s.size(), "CocodUpdate");
  CheckSame(x.size(), a.size(), "CocodUpdate");
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = a[i] + (x[i] - s[i]);
    s[i] = x[i];
  }
}

}  // namespace olsgd::train
