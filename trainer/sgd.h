#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace olsgd::train {

// Hyper-parameters of one SGD step.
struct SgdOptions {
  float lr = 0.1f;
  float momentum = 0.0f;
  bool nesterov = false;
  float weight_decay = 0.0f;
};

// SGD with momentum, Nesterov and weight decay, PyTorch's semantics exactly
// (ALGORITHMS.md), per element:
//   g' = g + wd * x
//   v  = mu * v + g'          (v = g' on the first step with momentum)
//   d  = g' + mu * v if Nesterov, else v   (d = g' when mu = 0)
//   x -= lr * d
// g itself is left unchanged. The momentum buffer and the "first step" flag
// are exposed for checkpoints.
class Sgd {
 public:
  // Optimiser state for `n` parameters.
  explicit Sgd(size_t n);

  // One step on x with gradient g. REQUIRES: x.size() == g.size() == n.
  void Step(std::span<float> x, std::span<const float> g, const SgdOptions& options);

  // The momentum buffer v (meaningful once momentum_initialized()).
  std::span<float> momentum_buffer() { return v_; }
  std::span<const float> momentum_buffer() const { return v_; }
  // False until the first step with momentum > 0 has set v = g'.
  bool momentum_initialized() const { return initialized_; }
  // Restores a checkpointed state. REQUIRES: v.size() == n.
  void RestoreState(std::span<const float> v, bool initialized);
  size_t size() const { return v_.size(); }

 private:
  std::vector<float> v_;
  bool initialized_ = false;
};

}  // namespace olsgd::train
