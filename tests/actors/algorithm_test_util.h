// Building one algorithm's halves directly, for tests of the pure math.
#ifndef OLSGD_TESTS_ACTORS_ALGORITHM_TEST_UTIL_H_
#define OLSGD_TESTS_ACTORS_ALGORITHM_TEST_UTIL_H_

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "actors/algorithms/algorithm.h"

namespace olsgd::actors::test_util {

inline ExperimentSpec AlgorithmSpecFor(const std::string& algorithm, double alpha = 0.6,
                                       double beta = 0.0, int workers = 2) {
  ExperimentSpec s;
  s.algorithm.name = algorithm;
  s.algorithm.alpha = alpha;
  s.algorithm.beta = beta;
  s.cluster.workers = workers;
  return s;
}

inline std::unique_ptr<ReducerHalf> ReducerHalfFor(const std::string& algorithm, double beta,
                                                   std::span<const float> x0_slice) {
  const ExperimentSpec s = AlgorithmSpecFor(algorithm, 0.1, beta);
  return AlgorithmOf(s).make_reducer(ReducerSetup{s, 0, x0_slice});
}

// A worker model that is just a parameter vector and a gradient.
class VectorModel : public WorkerModel {
 public:
  explicit VectorModel(std::vector<float> x) : x_(std::move(x)), g_(x_.size(), 0.0f) {}
  std::span<float> params() override { return x_; }
  std::span<const float> gradient() const override { return g_; }
  void ApplyStep(std::span<const float> g) override {
    for (size_t i = 0; i < x_.size(); ++i) x_[i] -= g[i];  // plain SGD, lr 1
  }
  std::vector<float> x_, g_;
};

}  // namespace olsgd::actors::test_util

#endif  // OLSGD_TESTS_ACTORS_ALGORITHM_TEST_UTIL_H_
