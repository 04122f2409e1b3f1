// ReducerActor: anchor averaging for one contiguous slice of the parameter
// vector. With one shard it is the classic central averager; with k shards
// the traffic spreads over k actors that can live on different nodes. It runs
// on the shared pool, so a trainer's BLAS work never stalls it.
#ifndef OLSGD_ACTORS_ROLES_REDUCER_ACTOR_H_
#define OLSGD_ACTORS_ROLES_REDUCER_ACTOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/algorithms/algorithm.h"
#include "actors/algorithms/slice_reducer.h"
#include "actors/roles/messages.h"
#include "actors/spec/experiment_spec.h"
#include "actors/worker/run_plan.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

class TrainerActor;
class CoordinatorActor;

class ReducerActor : public rt::Actor {
 public:
  static constexpr const char* kTypeName = "olsgd.Reducer";
  static void DefineMethods(rt::MethodTable<ReducerActor>& t);

  // Shard `shard` of the experiment `spec_json` (SpecToJson(spec): the
  // actor may live on another node), combining with its algorithm's
  // reducer half.
  ReducerActor(std::string spec_json, int shard);

  // Wires the trainers (by worker index) and gives this shard's slice of x0.
  void Start(std::vector<rt::ActorHandle<TrainerActor>> trainers, rt::Tensor initial_slice);
  // Worker `worker`'s contribution to round `round`; `lr` is its rate then.
  // When the round is complete, the result goes to every trainer.
  void Contribute(int64_t round, int worker, rt::Tensor slice, float lr);
  // on_failure: continue. These workers are gone: rounds stop waiting for
  // them and results are no longer sent to them.
  void DropWorkers(std::vector<int> workers);
  // A restarted worker takes dropped worker `worker`'s place: rounds from
  // `from_round` on wait for `trainer`'s contribution, and results go to it
  // from now on, starting with the last one if it is round from_round - 1
  // (an overlapped trainer needs it at its first boundary). Returns true;
  // callers use Call so that it is in force before they go on.
  bool Readmit(int worker, rt::ActorHandle<TrainerActor> trainer, int64_t from_round);

  // Checkpoints: after completing a round that is a multiple of
  // `every_rounds` and before `last_round`, send the coordinator this
  // shard's state (ReducerState and its arrays).
  void EnableCheckpoints(rt::ActorHandle<CoordinatorActor> coordinator, int every_rounds,
                         int64_t last_round);
  // Start from a checkpoint instead: wires the trainers, takes the state
  // back and sends every trainer the checkpoint round's result again (they
  // are waiting for it). `arrays` are in ReducerArray order.
  void Restore(std::vector<rt::ActorHandle<TrainerActor>> trainers, ReducerState state,
               std::vector<rt::Tensor> arrays);

 private:
  // A SliceReducer with this algorithm's reducer half, started from `x0_slice`.
  std::optional<SliceReducer> MakeCore(std::span<const float> x0_slice) const;
  void ReduceAndSend(int64_t round);
  // Counts and logs a contribution that is not used.
  void Ignore(int64_t round, int worker, const std::string& why);

  ExperimentSpec spec_;
  const Algorithm& algorithm_;
  int shard_;
  std::optional<SliceReducer> core_;
  std::vector<rt::ActorHandle<TrainerActor>> trainers_;
  void SendResult(int64_t round, const rt::Tensor& result);
  void MaybeCheckpoint(int64_t round, const rt::Tensor& result);

  std::optional<rt::ActorHandle<CoordinatorActor>> coordinator_;
  CheckpointSchedule checkpoints_;
  // The latest round reduced and its result. Contributions to rounds up to
  // it are leftovers that trainers re-sent to a replacement reducer.
  int64_t last_reduced_ = 0;
  rt::Tensor last_result_;
  uint64_t ignored_ = 0;  // contributions not used (Ignore, and leftovers)
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ROLES_REDUCER_ACTOR_H_
