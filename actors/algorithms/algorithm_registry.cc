#include <algorithm>
#include <stdexcept>
#include <string>

#include "actors/algorithms/algorithm.h"
#include "actors/algorithms/half_state.h"

namespace olsgd::actors {

// The registry: one line per algorithm, defined in algorithms/<name>.cc.
#define OLSGD_ALGORITHM_LIST(X) \
  X(SyncSgd)                    \
  X(LocalSgd)                   \
  X(OverlapLocalSgd)            \
  X(Easgd)                      \
  X(CocodSgd)

#define OLSGD_DECLARE_ALGORITHM(Fn) const Algorithm& Fn();
OLSGD_ALGORITHM_LIST(OLSGD_DECLARE_ALGORITHM)

const std::vector<const Algorithm*>& Algorithms() {
#define OLSGD_LIST_ALGORITHM(Fn) &Fn(),
  static const std::vector<const Algorithm*> all = {OLSGD_ALGORITHM_LIST(OLSGD_LIST_ALGORITHM)};
  return all;
}

std::vector<std::string> AlgorithmNames() {
  std::vector<std::string> names;
  for (const Algorithm* a : Algorithms()) names.emplace_back(a->name);
  return names;
}

const Algorithm* FindAlgorithm(std::string_view name) {
  for (const Algorithm* a : Algorithms()) {
    if (a->name == name) return a;
  }
  return nullptr;
}

const Algorithm& AlgorithmOf(const ExperimentSpec& spec) {
  const Algorithm* a = FindAlgorithm(spec.algorithm.name);
  if (!a) throw std::invalid_argument("unknown algorithm '" + spec.algorithm.name + "'");
  return *a;
}

int RoundSteps(const ExperimentSpec& spec) {
  return AlgorithmOf(spec).traits.exchanges_gradients ? 1 : std::max(spec.algorithm.tau, 1);
}

void WorkerHalf::Restore(const HalfState& s) { CheckHalfState(s, {}, "worker"); }
void ReducerHalf::Restore(const HalfState& s) { CheckHalfState(s, {}, "reducer"); }

}  // namespace olsgd::actors
