#include "trainer/loss.h"

#include <cmath>

namespace olsgd::train {

// With p = softmax(z) per row (computed from z - max(z) for stability):
//   L_n = -log p[y_n] = logsumexp(z_n) - z_n[y_n],   L = (1/N) sum_n L_n
//   dL/dz[n, k] = (p[n, k] - [k == y_n]) / N
double SoftmaxCrossEntropy(const float* logits, const int32_t* labels, int batch, int classes,
                           float* dlogits, int64_t* correct) {
  double total = 0.0;
  int64_t hits = 0;
  const double inv_n = 1.0 / batch;
  for (int n = 0; n < batch; ++n) {
    const float* z = logits + int64_t{n} * classes;
    int argmax = 0;
    for (int k = 1; k < classes; ++k) {
      if (z[k] > z[argmax]) argmax = k;
    }
    const double zmax = z[argmax];
    double sum = 0.0;
    for (int k = 0; k < classes; ++k) sum += std::exp(static_cast<double>(z[k]) - zmax);
    const double log_sum = std::log(sum);
    total += log_sum + zmax - z[labels[n]];
    hits += argmax == labels[n];
    if (dlogits != nullptr) {
      float* dz = dlogits + int64_t{n} * classes;
      for (int k = 0; k < classes; ++k) {
        const double p = std::exp(static_cast<double>(z[k]) - zmax - log_sum);
        dz[k] = static_cast<float>((p - (k == labels[n] ? 1.0 : 0.0)) * inv_n);
      }
    }
  }
  if (correct != nullptr) *correct = hits;
  return total * inv_n;
}

}  // namespace olsgd::train
