// Helpers the algorithm files share: checking a restored HalfState, and the
// plain mean that most reducer halves are.
#ifndef OLSGD_ACTORS_ALGORITHMS_HALF_STATE_H_
#define OLSGD_ACTORS_ALGORITHMS_HALF_STATE_H_

#include <memory>
#include <span>
#include <vector>

#include "actors/algorithms/algorithm.h"

namespace olsgd::actors {

// Throws std::invalid_argument, naming `who`, unless `s` holds exactly
// arrays of the sizes in `expected` (in order).
void CheckHalfState(const HalfState& s, const std::vector<size_t>& expected, const char* who);

// z = mean_i c_i over the contributions taken.
class MeanReducer : public ReducerHalf {
 public:
  void Combine(std::span<const std::span<const float>> taken, float lr,
               std::span<float> out) override;
};
std::unique_ptr<ReducerHalf> MakeMeanReducer(const ReducerSetup&);

// No checks beyond the spec's own bounds.
std::optional<AlgorithmConfigError> NoExtraChecks(const ExperimentSpec&);

// "algorithm.alpha must be in [0, 1), got 1.5", or nullopt.
std::optional<AlgorithmConfigError> CheckAlphaBelowOne(const ExperimentSpec& spec);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ALGORITHMS_HALF_STATE_H_
