#include "actors/algorithms/worker_boundary.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <string>

#include "trainer/algorithms.h"

namespace olsgd::actors {

WorkerBoundary::WorkerBoundary(AlgorithmKind kind, const AlgorithmSpec& spec, int workers,
                               std::span<const float> x0)
    : kind_(kind),
      alpha_(static_cast<float>(spec.alpha)),
      beta_(static_cast<float>(spec.beta)),
      workers_(workers) {
  if (kind_ == AlgorithmKind::kOverlapLocalSgd && beta_ > 0) velocity_.assign(x0.size(), 0.0f);
  if (kind_ == AlgorithmKind::kCocodSgd) last_sent_.assign(x0.begin(), x0.end());
}

void WorkerBoundary::Apply(std::span<float> x, std::span<const float> received, float lr,
                           std::span<float> c) {
  assert(received.size() == x.size() && c.size() == x.size());
  switch (kind_) {
    case AlgorithmKind::kOverlapLocalSgd:
      train::PullBack(x, received, alpha_);
      if (beta_ > 0) {
        train::AnchorMomentumContribution(x, received, velocity_, beta_, lr, first_, c);
      } else {
        std::copy(x.begin(), x.end(), c.begin());
      }
      break;
    case AlgorithmKind::kEasgd:
      train::PullBack(x, received, alpha_);
      train::ElasticContribution(x, received, alpha_, workers_, c);
      break;
    case AlgorithmKind::kCocodSgd:
      train::CocodUpdate(x, last_sent_, received);
      std::copy(last_sent_.begin(), last_sent_.end(), c.begin());
      break;
    default:
      assert(false && "WorkerBoundary is only for overlapped algorithms");
  }
  first_ = false;
}

}  // namespace olsgd::actors

namespace olsgd::actors {

void WorkerBoundary::Restore(std::span<const float> velocity, std::span<const float> last_sent,
                             bool first) {
  if (velocity.size() != velocity_.size() || last_sent.size() != last_sent_.size()) {
    throw std::invalid_argument("WorkerBoundary: restored state has " +
                                std::to_string(velocity.size()) + " velocity and " +
                                std::to_string(last_sent.size()) + " s_i floats, expected " +
                                std::to_string(velocity_.size()) + " and " +
                                std::to_string(last_sent_.size()));
  }
  velocity_.assign(velocity.begin(), velocity.end());
  last_sent_.assign(last_sent.begin(), last_sent.end());
  first_ = first;
}

}  // namespace olsgd::actors
