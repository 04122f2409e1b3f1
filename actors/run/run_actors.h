// The actors of one run, as the run loop (run_on_runtime.cc) and the
// recovery steps (run_recovery.h) manage them.
#ifndef OLSGD_ACTORS_RUN_RUN_ACTORS_H_
#define OLSGD_ACTORS_RUN_RUN_ACTORS_H_

#include <stdexcept>
#include <string>
#include <vector>

#include "actors/roles/coordinator_actor.h"
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

// A spawn's handle; throws std::runtime_error naming `what` if it failed.
template <class A>
rt::ActorHandle<A> CheckSpawn(rt::Result<rt::ActorHandle<A>> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error("cannot start " + what + ": " + r.error().ToString());
  return std::move(r).value();
}

// Throws std::runtime_error naming `what` if a message could not be sent.
inline void CheckSent(const rt::Status& st, const std::string& what) {
  if (!st.ok()) throw std::runtime_error("cannot reach " + what + ": " + st.error().ToString());
}

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_RUN_ACTORS_H_
