#include "actors/run_experiment.h"

#include <cblas.h>

#include <stdexcept>
#include <thread>

#include "actors/algorithm_kind.h"
#include "actors/checkpoint_resume.h"
#include "actors/coordinator_actor.h"
#include "actors/dataset_cache.h"
#include "actors/link_setup.h"
#include "actors/local_worker.h"
#include "actors/reducer_actor.h"
#include "actors/run_plan.h"
#include "actors/spec_json.h"
#include "actors/trainer_actor.h"
#include "runtime/runtime.h"

namespace olsgd::actors {
namespace {

template <class A>
rt::ActorHandle<A> CheckSpawn(rt::Result<rt::ActorHandle<A>> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error("cannot start " + what + ": " + r.error().ToString());
  return std::move(r).value();
}

void CheckSent(const rt::Status& st, const std::string& what) {
  if (!st.ok()) throw std::runtime_error("cannot reach " + what + ": " + st.error().ToString());
}

// The first actor that failed (its method threw and it was stopped), if any.
std::string FailedActor(const rt::Runtime& runtime, const std::vector<rt::ActorId>& ids) {
  for (const rt::ActorId& id : ids) {
    const rt::ActorStats s = runtime.Stats(id);
    if (s.failures > 0 || !s.alive) return s.name.empty() ? "an actor" : s.name;
  }
  return "";
}

}  // namespace

RunOutcome RunAndCollect(const ExperimentSpec& spec, RunObserver& observer,
                         const RunOptions& options) {
  if (!ParseAlgorithm(spec.algorithm.name)) {
    throw std::invalid_argument("algorithm.name: unknown algorithm '" + spec.algorithm.name + "'");
  }
  openblas_set_num_threads(std::max(spec.cluster.blas_threads, 1));
  const int m = spec.cluster.workers;
  const int k = spec.algorithm.reducer_shards;

  // A checkpoint to continue from is checked in full before anything starts.
  std::optional<Checkpoint> resume;
  if (!options.resume_from.empty()) resume = LoadCheckpoint(options.resume_from, spec);
  // Load the data first: a missing or corrupt file fails before any actor starts.
  auto train_data = LoadSplit(spec.data, spec.seed, train::Split::kTrain);
  auto test_data = LoadSplit(spec.data, spec.seed, train::Split::kTest);
  const std::vector<float> x0 = [&] {
    auto model = train::BuildModel(ToModelConfig(spec.model), *train_data, spec.seed);
    return std::vector<float>(model->params().begin(), model->params().end());
  }();
  const RunPlan plan = MakeRunPlan(spec, train_data->n, x0.size());
  if (resume) CheckCheckpointShape(*resume, plan, x0.size());
  const std::unique_ptr<CheckpointStore> checkpoints =
      MakeCheckpointStore(spec, options.checkpoint_dir);

  rt::RuntimeOptions runtime_options;
  // Idle threads sleep at once instead of spinning: trainers are compute-bound
  // and a spinning idle thread (a waiting trainer, the pool) would take their
  // cores. A wake-up costs microseconds; a step costs milliseconds.
  runtime_options.spin_iterations = 0;
  std::unique_ptr<rt::Runtime> runtime = rt::Runtime::Start(runtime_options);
  RunCollector collector(spec, observer);
  if (resume) collector.Seed(resume->history);
  const rt::RestartPolicy stop_on_failure = rt::RestartPolicy::StopOnFailure();

  auto coordinator = CheckSpawn(
      runtime->SpawnLocal<CoordinatorActor>(
          rt::SpawnOptions{.name = "coordinator", .dedicated_thread = true,
                           .restart = stop_on_failure},
          spec, &collector, checkpoints.get()),
      "the coordinator");
  std::vector<rt::ActorId> watched = {coordinator.id()};
  std::vector<rt::ActorHandle<ReducerActor>> reducers;
  for (int j = 0; j < k; ++j) {
    reducers.push_back(CheckSpawn(
        runtime->Spawn<ReducerActor>(
            rt::SpawnOptions{.name = ReducerName(j), .restart = stop_on_failure},
            spec.algorithm.name, spec.algorithm.beta, m, j),
        ReducerName(j)));
    watched.push_back(reducers.back().id());
  }
  const std::string spec_json = SpecToJson(spec);
  std::vector<rt::ActorHandle<TrainerActor>> trainers;
  for (int i = 0; i < m; ++i) {
    trainers.push_back(CheckSpawn(
        runtime->Spawn<TrainerActor>(
            rt::SpawnOptions{.name = TrainerName(i), .dedicated_thread = true,
                             .restart = stop_on_failure},
            spec_json, i),
        TrainerName(i)));
    watched.push_back(trainers.back().id());
  }
  ApplyLinks(*runtime, spec);
  // Spans cost memory per step: record them only when a trace is wanted.
  runtime->spans().set_enabled(!options.trace_path.empty());
  CheckSent(coordinator.Tell(&CoordinatorActor::Wire, trainers), "the coordinator");

  if (checkpoints) {
    EnableReducerCheckpoints(reducers, coordinator, spec.cluster.checkpoint_every_rounds,
                             plan.total_rounds);
  }
  if (resume) RestoreActors(*resume, trainers, reducers);  // reducers re-send the round's result
  for (int j = 0; j < k && !resume; ++j) {
    const auto [lo, hi] = plan.shard_slices[j];
    CheckSent(reducers[j].Tell(&ReducerActor::Start, trainers,
                               rt::Tensor::CopyOf(std::span<const float>(x0).subspan(lo, hi - lo))),
              ReducerName(j));
  }
  const int64_t origin = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  for (int i = 0; i < m; ++i) {
    CheckSent(trainers[i].Tell(&TrainerActor::Start, reducers, coordinator, origin,
                               options.record_vectors),
              TrainerName(i));
  }

  bool stop_sent = false;
  while (!collector.WaitDone(std::chrono::milliseconds(50))) {
    if (options.stop != nullptr && options.stop->load() && !stop_sent) {
      for (const auto& t : trainers) (void)t.Tell(&TrainerActor::Stop);
      stop_sent = true;
    }
    const std::string failed = FailedActor(*runtime, watched);
    if (!failed.empty()) {
      collector.OnFailure(failed + " failed; see the log above for its error");
    }
  }
  runtime->Shutdown();
  if (!options.trace_path.empty()) {
    const rt::Status st = runtime->spans().WriteChromeTrace(options.trace_path);
    if (!st.ok()) throw std::runtime_error("cannot write trace: " + st.error().ToString());
  }
  RunOutcome outcome = collector.TakeOutcome();
  outcome.checkpoints = ReportOf(checkpoints.get());
  return outcome;
}

RunSummary RunExperiment(const ExperimentSpec& spec, RunObserver& observer,
                         const RunOptions& options) {
  return RunAndCollect(spec, observer, options).summary;
}

}  // namespace olsgd::actors
