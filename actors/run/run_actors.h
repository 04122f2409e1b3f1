// The actors of one run, as the run loop (run_on_runtime.cc) and the
// recovery steps (run_recovery.h) manage them.
#ifndef OLSGD_ACTORS_RUN_RUN_ACTORS_H_
#define OLSGD_ACTORS_RUN_RUN_ACTORS_H_

#include <string>
#include <vector>

#include "actors/roles/coordinator_actor.h"
#include "actors/roles/delivery_checks.h"
#include "actors/roles/reducer_actor.h"
#include "actors/roles/trainer_actor.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

struct RunActors {
  rt::ActorHandle<CoordinatorActor> coordinator;
  std::vector<rt::ActorHandle<ReducerActor>> reducers;  // by shard
  std::vector<rt::ActorHandle<TrainerActor>> trainers;  // by worker
  std::vector<rt::ActorId> watched;                     // local ones: a failure ends the run
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_RUN_ACTORS_H_
