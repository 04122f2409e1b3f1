#include "actors/run/run_experiment.h"

#include "actors/cluster/placement.h"
#include "actors/run/run_on_runtime.h"
#include "actors/spec/time_mode.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

RunOutcome RunAndCollect(const ExperimentSpec& spec, RunObserver& observer,
                         const RunOptions& options) {
  rt::RuntimeOptions runtime_options;
  // Idle threads sleep at once instead of spinning: trainers are compute-bound
  // and a spinning idle thread (a waiting trainer, the pool) would take their
  // cores. A wake-up costs microseconds; a step costs milliseconds.
  runtime_options.spin_iterations = 0;
  // Virtual time: trainers are light actors on the pool, every core of the
  // host steps whichever trainers the simulated schedule lets go on.
  runtime_options.virtual_time = UsesVirtualTime(spec);
  RuntimeRun run;
  run.runtime = rt::Runtime::Start(runtime_options);
  run.placement = LocalPlacement(spec.cluster.workers, spec.algorithm.reducer_shards);
  return RunOnRuntime(std::move(run), spec, observer, options);
}

RunSummary RunExperiment(const ExperimentSpec& spec, RunObserver& observer,
                         const RunOptions& options) {
  return RunAndCollect(spec, observer, options).summary;
}

}  // namespace olsgd::actors
