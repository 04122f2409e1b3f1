// Wiring checkpoints into a run: the store a run's options ask for, telling
// the reducers where parts go, and restoring every actor from a checkpoint.
// RunExperiment calls these; a networked head can call them the same way.
#ifndef OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_RESUME_H_
#define OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_RESUME_H_

#include <memory>
#include <vector>

#include "actors/checkpoint/checkpoint_store.h"
#include "actors/roles/coordinator_actor.h"
#include "actors/roles/reducer_actor.h"
#include "actors/roles/trainer_actor.h"
#include "actors/run/run_collector.h"

namespace olsgd::actors {

// A store when the spec takes checkpoints (cluster.checkpoint_every_rounds >
// 0), writing into `dir` ("" = memory only); else null.
std::unique_ptr<CheckpointStore> MakeCheckpointStore(const ExperimentSpec& spec,
                                                     const std::string& dir);

// Tells each reducer to send its part of every checkpoint round before
// `last_round` to `coordinator`.
void EnableReducerCheckpoints(const std::vector<rt::ActorHandle<ReducerActor>>& reducers,
                              const rt::ActorHandle<CoordinatorActor>& coordinator,
                              int every_rounds, int64_t last_round);

// Sends each trainer its state (Restore, before its Start), then each reducer
// its state (Restore instead of Start; it re-sends the round's result).
// Throws std::runtime_error when an actor cannot be reached.
void RestoreActors(const Checkpoint& ckpt,
                   const std::vector<rt::ActorHandle<TrainerActor>>& trainers,
                   const std::vector<rt::ActorHandle<ReducerActor>>& reducers);

// What a run's store did, for RunOutcome.
CheckpointReport ReportOf(const CheckpointStore* store);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_RESUME_H_
