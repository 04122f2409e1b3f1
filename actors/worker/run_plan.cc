#include "actors/worker/run_plan.h"

#include <algorithm>
#include <cmath>

#include "actors/algorithms/algorithm.h"

namespace olsgd::actors {

std::vector<std::pair<size_t, size_t>> SplitEvenly(size_t n, int k) {
  std::vector<std::pair<size_t, size_t>> out;
  const size_t kk = static_cast<size_t>(std::max(k, 1));
  size_t begin = 0;
  for (size_t i = 0; i < kk; ++i) {
    const size_t len = n / kk + (i < n % kk ? 1 : 0);
    out.emplace_back(begin, begin + len);
    begin += len;
  }
  return out;
}

double StepsPerEpoch(const ExperimentSpec& spec, int64_t train_samples) {
  const int workers = std::max(spec.cluster.workers, 1);
  return std::max(
      1.0, static_cast<double>(train_samples) / workers / std::max(spec.training.batch_size, 1));
}

RunPlan MakeRunPlan(const ExperimentSpec& spec, int64_t train_samples, size_t num_params) {
  RunPlan plan;
  const int tau = RoundSteps(spec);
  plan.steps_per_epoch = StepsPerEpoch(spec, train_samples);
  int64_t steps =
      spec.training.steps > 0
          ? spec.training.steps
          : static_cast<int64_t>(std::ceil(spec.training.epochs * plan.steps_per_epoch));
  steps = std::max<int64_t>(steps, 1);
  plan.total_rounds = (steps + tau - 1) / tau;  // round up to whole rounds
  plan.total_steps = plan.total_rounds * tau;
  if (spec.evaluation.every_rounds > 0) {
    plan.eval_every_rounds = spec.evaluation.every_rounds;
  } else {
    plan.eval_every_rounds =
        std::max<int64_t>(1, static_cast<int64_t>(std::llround(plan.steps_per_epoch / tau)));
  }
  plan.shard_slices = SplitEvenly(num_params, spec.algorithm.reducer_shards);
  plan.checkpoints = {spec.cluster.checkpoint_every_rounds, plan.total_rounds};
  return plan;
}

}  // namespace olsgd::actors
