#include "actors/checkpoint/checkpoint_resume.h"

#include <stdexcept>

#include "actors/roles/delivery_checks.h"
#include "actors/run/link_setup.h"

namespace olsgd::actors {
std::unique_ptr<CheckpointStore> MakeCheckpointStore(const ExperimentSpec& spec,
                                                     const std::string& dir) {
  if (spec.cluster.checkpoint_every_rounds <= 0) return nullptr;
  return std::make_unique<CheckpointStore>(spec, dir);
}

void EnableReducerCheckpoints(const std::vector<rt::ActorHandle<ReducerActor>>& reducers,
                              const rt::ActorHandle<CoordinatorActor>& coordinator,
                              int every_rounds, int64_t last_round) {
  for (size_t j = 0; j < reducers.size(); ++j) {
    CheckSent(
        reducers[j].Tell(&ReducerActor::EnableCheckpoints, coordinator, every_rounds, last_round),
        ReducerName(static_cast<int>(j)));
  }
}

void RestoreActors(const Checkpoint& ckpt,
                   const std::vector<rt::ActorHandle<TrainerActor>>& trainers,
                   const std::vector<rt::ActorHandle<ReducerActor>>& reducers) {
  if (ckpt.trainers.size() != trainers.size() || ckpt.reducers.size() != reducers.size()) {
    throw CheckpointError("checkpoint of round " + std::to_string(ckpt.round) + " has " +
                          std::to_string(ckpt.trainers.size()) + " trainers and " +
                          std::to_string(ckpt.reducers.size()) + " reducer shards, the run " +
                          std::to_string(trainers.size()) + " and " +
                          std::to_string(reducers.size()));
  }
  for (size_t i = 0; i < trainers.size(); ++i) {
    CheckSent(
        trainers[i].Tell(&TrainerActor::Restore, ckpt.trainers[i].state, ckpt.trainers[i].arrays),
        TrainerName(static_cast<int>(i)));
  }
  for (size_t j = 0; j < reducers.size(); ++j) {
    CheckSent(reducers[j].Tell(&ReducerActor::Restore, trainers, ckpt.reducers[j].state,
                               ckpt.reducers[j].arrays),
              ReducerName(static_cast<int>(j)));
  }
}

CheckpointReport ReportOf(const CheckpointStore* store) {
  CheckpointReport r;
  if (store == nullptr) return r;
  const CheckpointStore::Stats s = store->stats();
  r.latest_round = store->latest_round().value_or(0);
  r.written = s.written;
  r.last_bytes = s.last_bytes;
  r.last_write_s = s.last_write_s;
  r.last_folder = s.last_folder;
  r.error = s.last_error;
  return r;
}

}  // namespace olsgd::actors
