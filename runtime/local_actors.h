// LocalActors: the actors that live on this node, by id, and the spawning
// of one: building its cell (and its own thread if it asks for one), running
// its constructor, making it findable and queueing OnStart. A constructor
// runs outside the lock, so a slow one holds up no lookup; lookups (every
// handle made from an id, every message from another node) take the lock
// shared.
#ifndef OLSGD_RUNTIME_LOCAL_ACTORS_H_
#define OLSGD_RUNTIME_LOCAL_ACTORS_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/actor.h"
#include "runtime/actor_cell.h"
#include "runtime/error.h"
#include "runtime/ids.h"
#include "runtime/mutex.h"
#include "runtime/worker_pool.h"

namespace olsgd::rt::detail {

class LocalActors {
 public:
  // `pool` runs the actors without a thread of their own; `spin_iterations`
  // goes to the threads of those with one.
  LocalActors(Runtime* rt, WorkerPool* pool, int spin_iterations)
      : rt_(rt), pool_(pool), spin_iterations_(spin_iterations) {}

  // The id the next actor on node `node` gets.
  ActorId NextId(NodeId node) {
    return ActorId(node, next_local_id_.fetch_add(1, std::memory_order_relaxed));
  }
  // Builds actor `id` and starts it (OnStart is its first message). Errors:
  // its constructor threw.
  Result<std::shared_ptr<ActorCell>> Spawn(ActorId id, const SpawnOptions& options,
                                           const std::string& type_name, ActorCell::Factory factory,
                                           RemoteFinder finder) EXCLUDES(mu_);
  // Undoes a Spawn whose name could not be registered: stops the actor (its
  // OnStop runs) and forgets it.
  void Abandon(const std::shared_ptr<ActorCell>& cell) EXCLUDES(mu_);

  std::shared_ptr<ActorCell> Find(ActorId id) const EXCLUDES(mu_);
  std::vector<std::shared_ptr<ActorCell>> All() const EXCLUDES(mu_);
  // Forgets every actor (at shutdown, once they are stopped).
  void Clear() EXCLUDES(mu_);

 private:
  Runtime* const rt_;
  WorkerPool* const pool_;
  const int spin_iterations_;
  std::atomic<uint32_t> next_local_id_{1};

  mutable SharedMutex mu_{LockRank::kLocalActors};
  std::unordered_map<ActorId, std::shared_ptr<ActorCell>> cells_ GUARDED_BY(mu_);  // by id
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_LOCAL_ACTORS_H_
