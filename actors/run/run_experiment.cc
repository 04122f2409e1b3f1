#include "actors/run/run_experiment.h"

#include <malloc.h>

#include "actors/cluster/placement.h"
#include "actors/run/run_on_runtime.h"
#include "actors/spec/time_mode.h"
#include "runtime/runtime.h"

namespace olsgd::actors {
namespace {

// From this many simulated workers on, memory comes before speed.
constexpr int kManyWorkers = 512;

// Model-sized buffers (contributions, results, snapshots) come and go every
// round. glibc raises its mmap threshold after the first such free and then
// serves them from arenas that fragment and never shrink: 1,024 simulated
// workers of a 0.4 MB model peaked at 3.6 GB, against 2.7 GB with a fixed
// threshold that puts every buffer over 128 KiB in a mapping of its own. But
// mapping and unmapping each buffer costs page faults and TLB shootdowns:
// the quickstart took 5x the host time with it, and its reducer's measured
// combine cost 10x. So only runs of many workers get it (for the rest of the
// process: the setting cannot be undone).
void PreferMemoryForManyWorkers(const ExperimentSpec& spec) {
  if (!UsesVirtualTime(spec) || spec.cluster.workers < kManyWorkers) return;
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

}  // namespace

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
  PreferMemoryForManyWorkers(spec);
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
