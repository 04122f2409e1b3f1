// Actor: the base class of every actor, and ActorContext, what an actor sees
// of the runtime (its id, a self handle, timers, spans).
//
// An actor's methods run one message at a time, on the shared pool or on the
// actor's dedicated thread, so actor state needs no locks.
#ifndef OLSGD_RUNTIME_ACTOR_H_
#define OLSGD_RUNTIME_ACTOR_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/ids.h"
#include "runtime/spans.h"
#include "runtime/timer_queue.h"
#include "runtime/unique_function.h"
#include "runtime/virtual_time.h"

namespace olsgd::rt {

class Runtime;
template <class A>
class ActorHandle;
namespace detail {
class ActorCell;
}

// What happens when an actor method (or OnStart) throws. In every case the
// caller's future gets Error{kActorFailed, what()}.
struct RestartPolicy {
  enum class Kind {
    kNever,    // keep the actor and its state; it goes on with the next message
    kStop,     // stop the actor; later messages fail with kActorStopped
    kRestart,  // re-create it from its constructor arguments (fresh state),
               // at most max_restarts times, then stop it
  };
  Kind kind = Kind::kNever;
  int max_restarts = 0;

  static RestartPolicy Never() { return {}; }
  static RestartPolicy StopOnFailure() { return {Kind::kStop, 0}; }
  static RestartPolicy OnFailure(int max_restarts) { return {Kind::kRestart, max_restarts}; }
};

struct SpawnOptions {
  std::string name;               // registered in the cluster directory if non-empty
  std::string node;               // node name; empty = this node
  bool dedicated_thread = false;  // compute-heavy actors (trainers) get their own thread
  RestartPolicy restart;
  std::chrono::milliseconds timeout{30000};  // remote spawn / name registration
  // Virtual time only (RuntimeOptions::virtual_time; virtual_time.h): how the
  // actor's clock works, and the bandwidth of its ingress (the links into it
  // share it; 0 = unlimited; ordered actors only).
  VirtualRole virtual_role = VirtualRole::kOrdered;
  double ingress_bytes_per_s = 0;
};

// An actor's view of the runtime. Valid from the actor's constructor on.
class ActorContext {
 public:
  explicit ActorContext(detail::ActorCell* cell) : cell_(cell) {}

  Runtime& runtime() const;
  ActorId id() const;
  // The registered name, or "<kTypeName>#<local id>" for unnamed actors.
  const std::string& name() const;
  NodeId node() const { return id().node(); }
  // A handle to this actor (A must be the actor's own type).
  template <class A>
  ActorHandle<A> self() const;
  // Who sent the message being processed (local() == 0: not an actor).
  ActorId sender() const;
  // How many times this actor was re-created after failures.
  uint64_t restarts() const;

  // Runs `fn` as a message of this actor after `delay` (never on a later
  // incarnation after a restart). Returns an id for CancelTimer. In virtual
  // time, for an ordered actor: `delay` after its clock, in arrival order
  // with its other messages, and not cancellable (returns 0).
  TimerId After(std::chrono::nanoseconds delay, Task fn) const;
  bool CancelTimer(TimerId id) const;
  // Stops this actor once the current message is done (OnStop runs).
  void Stop() const;

  std::chrono::steady_clock::time_point Now() const { return std::chrono::steady_clock::now(); }

  // ---- Virtual time (RuntimeOptions::virtual_time; virtual_time.h). ----
  // On the wall clock these do nothing and VirtualNow() is 0.
  bool virtual_time() const;
  // This actor's clock.
  VirtualTime VirtualNow() const;
  // The virtual arrival of the message being handled (kNoVirtualTime if
  // untimed, or on the wall clock).
  VirtualTime MessageArrival() const;
  // The actor spent `d` (computing): its clock moves on by d.
  void Advance(VirtualTime d) const;
  // Its clock moves to `t` if that is later (it waited for something).
  void AdvanceTo(VirtualTime t) const;
  // A self-clocked actor waits for a message: until SetWaiting(false) it
  // sends nothing, and each message it handles moves its clock to at least
  // that message's arrival.
  void SetWaiting(bool waiting) const;
  // The runtime's span recorder, and helpers that use name() as the track.
  SpanRecorder& spans() const;
  void RecordSpan(std::string category, std::string span_name,
                  std::chrono::steady_clock::time_point start,
                  std::chrono::steady_clock::time_point end, std::vector<SpanArg> args = {}) const;
  SpanRecorder::Scoped ScopedSpan(std::string category, std::string span_name) const;

  detail::ActorCell* cell() const { return cell_; }

 private:
  detail::ActorCell* cell_;
};

class Actor {
 public:
  // Picks up its context from the runtime that is constructing it.
  Actor();
  virtual ~Actor();
  Actor(const Actor&) = delete;
  Actor& operator=(const Actor&) = delete;

  // Runs as the actor's first message, on its own thread (after a restart too).
  virtual void OnStart() {}
  // Runs when the actor is stopped or the runtime shuts down.
  virtual void OnStop() {}

 protected:
  // The actor's context. Throws std::logic_error for an actor built outside
  // a runtime.
  ActorContext& context() const;

 private:
  ActorContext* context_;
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_ACTOR_H_
