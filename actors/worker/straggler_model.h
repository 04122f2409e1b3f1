// Compute-straggler injection for one worker: how much extra time to spend on
// a local step, from the config's straggler rules, deterministic from a seed.
#ifndef OLSGD_ACTORS_WORKER_STRAGGLER_MODEL_H_
#define OLSGD_ACTORS_WORKER_STRAGGLER_MODEL_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

class StragglerModel {
 public:
  // Keeps the rules that apply to `worker` (worker == -1 in a rule means all).
  StragglerModel(const std::vector<StragglerSpec>& rules, int worker, uint64_t seed);

  // Extra seconds to add to a local step of round `round` whose real compute
  // took `compute_s`: (factor - 1) * compute_s for fixed and window slowdowns,
  // plus any random pause drawn for this step.
  double ExtraDelay(int64_t round, double compute_s);

  bool active() const { return !rules_.empty(); }

  // The generator's state as text, and back (for checkpoints). Restore
  // throws std::invalid_argument on text that is not such a state.
  std::string SaveState() const;
  void RestoreState(const std::string& state);

 private:
  double DrawPause(const StragglerSpec& rule);

  std::vector<StragglerSpec> rules_;
  std::mt19937_64 rng_;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_STRAGGLER_MODEL_H_
