// What one worker computes at a round boundary of an overlapped algorithm
// (overlap_local_sgd, easgd, cocod_sgd), once the previous round's average
// has arrived. Pure math on flat vectors, calling trainer/algorithms.h; the
// trainer actor decides when to call it and sends the contribution.
#ifndef OLSGD_ACTORS_ALGORITHMS_WORKER_BOUNDARY_H_
#define OLSGD_ACTORS_ALGORITHMS_WORKER_BOUNDARY_H_

#include <span>
#include <vector>

#include "actors/algorithms/algorithm.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

class WorkerBoundary {
 public:
  // `x0` is the common initial model (CoCoD's s_i starts there).
  WorkerBoundary(AlgorithmKind kind, const AlgorithmSpec& spec, int workers,
                 std::span<const float> x0);

  // `received` is z_r (overlap, easgd) or a_r (cocod). Updates the local model
  // `x` in place and writes this worker's contribution `c` (same size as x):
  //   overlap:  x <- (1-alpha) x + alpha z;  c = x, or with beta > 0:
  //             v <- beta v + (z - x)/lr (first: v = (z - x)/lr);  c = z - lr v
  //   easgd:    x <- (1-alpha) x + alpha z;  c = b z + a x
  //   cocod:    x <- a + (x - s);  s <- x;  c = s
  void Apply(std::span<float> x, std::span<const float> received, float lr, std::span<float> c);

  // State for checkpoints.
  const std::vector<float>& anchor_velocity() const { return velocity_; }
  const std::vector<float>& last_contribution() const { return last_sent_; }
  bool first() const { return first_; }
  // Restores checkpointed state. Throws std::invalid_argument when a vector
  // this algorithm keeps has the wrong size.
  void Restore(std::span<const float> velocity, std::span<const float> last_sent, bool first);

 private:
  AlgorithmKind kind_;
  float alpha_;
  float beta_;
  int workers_;
  bool first_ = true;
  std::vector<float> velocity_;   // overlap momentum variant: v_i
  std::vector<float> last_sent_;  // cocod: s_i
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ALGORITHMS_WORKER_BOUNDARY_H_
