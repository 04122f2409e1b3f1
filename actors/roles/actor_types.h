// Registers the actor types a head may spawn on other nodes by type name
// (trainers and reducers). Every process of a multi-host run calls it before
// joining; calling it again is harmless.
#ifndef OLSGD_ACTORS_ROLES_ACTOR_TYPES_H_
#define OLSGD_ACTORS_ROLES_ACTOR_TYPES_H_

namespace olsgd::actors {

void RegisterExperimentActorTypes();

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ROLES_ACTOR_TYPES_H_
