#include "actors/roles/actor_types.h"

#include <mutex>
#include <string>

#include "actors/roles/reducer_actor.h"
#include "actors/roles/trainer_actor.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

void RegisterExperimentActorTypes() {
  static std::once_flag once;
  std::call_once(once, [] {
    // The constructor argument types, exactly as RunOnRuntime spawns them.
    rt::RegisterActorType<TrainerActor, std::string, int>();
    rt::RegisterActorType<ReducerActor, std::string, int>();
  });
}

}  // namespace olsgd::actors
