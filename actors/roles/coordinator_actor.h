// CoordinatorActor: collects what the trainers report and evaluates the run.
// At each evaluation round it averages the workers' snapshots (in worker
// order) and measures the test loss and accuracy of that mean model, and of
// the anchor where the algorithm has one. It runs on a dedicated thread on
// the node that started the run, so evaluation never stalls a reducer or the
// trainers' own steps.
#ifndef OLSGD_ACTORS_ROLES_COORDINATOR_ACTOR_H_
#define OLSGD_ACTORS_ROLES_COORDINATOR_ACTOR_H_

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "actors/roles/messages.h"
#include "actors/run/run_collector.h"
#include "actors/spec/experiment_spec.h"
#include "runtime/runtime.h"
#include "trainer/dataset.h"
#include "trainer/model.h"

namespace olsgd::actors {

class TrainerActor;
class CheckpointStore;

class CoordinatorActor : public rt::Actor {
 public:
  static constexpr const char* kTypeName = "olsgd.Coordinator";
  static void DefineMethods(rt::MethodTable<CoordinatorActor>& t);

  // Spawned with SpawnLocal: `collector` (and `checkpoints`, null when the
  // run takes no checkpoints) live in this process.
  CoordinatorActor(ExperimentSpec spec, RunCollector* collector,
                   CheckpointStore* checkpoints = nullptr);

  // The trainers, by worker index, to acknowledge evaluations to. Sent before
  // the trainers start, so it is the first message the coordinator handles.
  void Wire(std::vector<rt::ActorHandle<TrainerActor>> trainers);
  void RoundDone(RoundRecord report);
  void Snapshot(SnapshotInfo info, rt::Tensor model, rt::Tensor anchor);
  void Finished(FinishInfo info, rt::Tensor model);
  void Probe(ProbeInfo info, rt::Tensor values);
  // on_failure: continue. These workers are gone: evaluations no longer
  // wait for their snapshots and average the others'.
  void DropWorkers(std::vector<int> workers);
  // A restarted worker takes dropped worker `worker`'s place: evaluations
  // from round `from_round` on wait for `trainer`'s snapshot. Returns true
  // (callers use Call so that it is in force before they go on).
  bool Readmit(int worker, rt::ActorHandle<TrainerActor> trainer, int64_t from_round);
  // Parts of a checkpoint (TrainerArray / ReducerArray order); a round with
  // all its parts goes to the store with the history so far.
  void TrainerCheckpoint(TrainerState state, std::vector<rt::Tensor> arrays);
  void ReducerCheckpoint(ReducerState state, std::vector<rt::Tensor> arrays);

 private:
  struct PendingEval {
    std::vector<std::optional<SnapshotInfo>> info;
    std::vector<rt::Tensor> models;
    rt::Tensor anchor;
    int arrived = 0;
  };
  void Evaluate(int64_t round, PendingEval& p);
  // Whether `worker` belongs to evaluation round `round`.
  bool Counts(size_t worker, int64_t round) const;
  // Every worker of round `round` has sent its snapshot.
  bool Complete(int64_t round, const PendingEval& p) const;
  void CommitCheckpoint(int64_t round);

  ExperimentSpec spec_;
  RunCollector* collector_;
  CheckpointStore* checkpoints_;
  std::shared_ptr<const train::Dataset> test_;
  std::unique_ptr<train::Model> model_;  // evaluation only
  std::vector<float> mean_;
  std::map<int64_t, PendingEval> pending_;
  std::vector<rt::ActorHandle<TrainerActor>> trainers_;
  static constexpr int64_t kDropped = std::numeric_limits<int64_t>::max();
  // By worker: the first evaluation round it belongs to; kDropped once lost.
  std::vector<int64_t> member_from_;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ROLES_COORDINATOR_ACTOR_H_
