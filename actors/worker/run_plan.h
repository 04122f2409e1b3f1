// The shape of a run derived from its spec and the data: how many local steps,
// how many rounds, when to evaluate, and which slice of the parameter vector
// each reducer shard owns.
#ifndef OLSGD_ACTORS_WORKER_RUN_PLAN_H_
#define OLSGD_ACTORS_WORKER_RUN_PLAN_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

// The rounds a checkpoint is taken at: every `every` rounds, never the last
// (the run is complete right after it).
struct CheckpointSchedule {
  int every = 0;  // 0 = none
  int64_t total_rounds = 0;
  bool At(int64_t round) const { return every > 0 && round % every == 0 && round < total_rounds; }
};

struct RunPlan {
  double steps_per_epoch = 0;  // local steps per worker per epoch
  int64_t total_steps = 0;     // per worker, a whole number of rounds
  int64_t total_rounds = 0;
  int64_t eval_every_rounds = 1;
  // [begin, end) of the parameter vector for each reducer shard.
  std::vector<std::pair<size_t, size_t>> shard_slices;

  CheckpointSchedule checkpoints;
  bool IsEvalRound(int64_t round) const {
    return round % eval_every_rounds == 0 || round == total_rounds;
  }
};

// Local steps per worker per epoch: each worker passes once over its own
// (average-sized) shard of `train_samples`.
double StepsPerEpoch(const ExperimentSpec& spec, int64_t train_samples);

// `train_samples` is the size of the whole training set (all shards);
// `num_params` the model's parameter count. A round is RoundSteps(spec) steps.
RunPlan MakeRunPlan(const ExperimentSpec& spec, int64_t train_samples, size_t num_params);

// Splits [0, n) into k contiguous slices whose sizes differ by at most one.
std::vector<std::pair<size_t, size_t>> SplitEvenly(size_t n, int k);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_RUN_PLAN_H_
