// Spawns and messages a run cannot do without: a failure becomes an
// exception that names what could not be started or reached.
#ifndef OLSGD_ACTORS_ROLES_DELIVERY_CHECKS_H_
#define OLSGD_ACTORS_ROLES_DELIVERY_CHECKS_H_

#include <stdexcept>
#include <string>
#include <utility>

#include "runtime/runtime.h"

namespace olsgd::actors {

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

#endif  // OLSGD_ACTORS_ROLES_DELIVERY_CHECKS_H_
