#pragma once

// The update math of docs/ALGORITHMS.md as pure functions on flat vectors.
// All spans of one call have the same length (checked; std::invalid_argument
// otherwise). Output spans may alias inputs only where stated.

#include <span>

namespace olsgd::train {

// out = (1/k) sum_j xs[j]. REQUIRES: xs non-empty. `out` may alias xs[0].
void MeanOf(std::span<const std::span<const float>> xs, std::span<float> out);

// out = sum_j xs[j] (the EASGD anchor is a sum of contributions).
void SumOf(std::span<const std::span<const float>> xs, std::span<float> out);

// Pull-back towards the anchor: x <- (1 - alpha) * x + alpha * z.
void PullBack(std::span<float> x, std::span<const float> z, float alpha);

// Overlap-Local-SGD's momentum contribution, with x already pulled back:
//   v <- beta * v + (z - x) / lr    (first round: v = (z - x) / lr)
//   c  = z - lr * v
void AnchorMomentumContribution(std::span<const float> x, std::span<const float> z,
                                std::span<float> v, float beta, float lr, bool first,
                                std::span<float> c);

// Local SGD's BMUF/SlowMo anchor update, with xbar = mean of the local models:
//   v <- beta * v + (z - xbar) / lr  (first round: v = (z - xbar) / lr)
//   z <- z - lr * v
void SlowMoUpdate(std::span<float> z, std::span<const float> xbar, std::span<float> v, float beta,
                  float lr, bool first);

// EASGD's contribution of one of m workers, x_pulled already pulled back:
//   c = b * z + a * x_pulled,  a = alpha / (1 - alpha),
//   b = 1/m - alpha - alpha^2 / (1 - alpha)
// so that sum_i c_i = z + alpha * sum_i (x_i_before_pull - z).
void ElasticContribution(std::span<const float> x_pulled, std::span<const float> z, float alpha,
                         int m, std::span<float> c);

// CoCoD-SGD boundary, given a = mean of the last contributions:
//   x <- a + (x - s);  s <- x  (s is then this worker's next contribution).
void CocodUpdate(std::span<float> x, std::span<float> s, std::span<const float> a);

}  // namespace olsgd::train
