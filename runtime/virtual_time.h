// Virtual time (RuntimeOptions::virtual_time; docs/RUNTIME.md, "Virtual
// time"): every actor has a clock, every message a virtual arrival time, and
// the same actors that run on the wall clock run on a simulated one. An
// embedded runtime then measures a model of the cluster (link latencies,
// bandwidths, compute costs), not the host, and the answer does not change
// with the host's load.
//
// Each actor has a VirtualRole:
//  - kOrdered (the default): handles its messages strictly in the order of
//    their virtual arrival (ties: sender id, then the sender's sequence
//    number), each only once no message with an earlier arrival can still
//    come. Its clock jumps to a message's arrival when it starts on it. Such
//    actors (e.g. reducers) can depend on arrival order: a quorum, a
//    deadline. One ordered message is handled at a time in the whole runtime.
//  - kSelfClocked: an actor that drives itself (a trainer stepping through
//    its computation) and advances its own clock (Advance). Its messages are
//    delivered at once, in real order, with their arrival times; it waits
//    for a specific message by SetWaiting(true), and while it waits the
//    clock jumps to each message's arrival as it handles it. Many such actors
//    compute in parallel on the pool: they constrain the ordered actors only
//    through a lower bound on when they can next send (their clock, or
//    nothing while they wait and have nothing queued).
//  - kUntimed: an actor whose clock does not matter (an evaluator); its
//    messages carry no time and change nobody's clock.
//
// Messages from outside any actor are untimed too. The conservative rule
// (an ordered message is released when its arrival is below every
// self-clocked actor's lower bound and no other ordered message is being
// handled) makes runs deterministic: the same configuration gives the same
// virtual times and, for order-dependent actors, the same results, whatever
// the host does.
#ifndef OLSGD_RUNTIME_VIRTUAL_TIME_H_
#define OLSGD_RUNTIME_VIRTUAL_TIME_H_

#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "runtime/mutex.h"

namespace olsgd::rt {

using VirtualTime = std::chrono::nanoseconds;
// The arrival of an untimed message.
inline constexpr VirtualTime kNoVirtualTime = VirtualTime::min();

enum class VirtualRole { kOrdered, kSelfClocked, kUntimed };

namespace detail {

class ActorCell;
class Message;

// One actor's virtual state; owned by its cell, guarded by VirtualClock::mu_.
struct VirtualActorState {
  VirtualRole role = VirtualRole::kOrdered;
  VirtualTime clock{0};
  VirtualTime arrival = kNoVirtualTime;  // of the message being handled
  uint64_t sends = 0;                    // sequence numbers of its messages (tie rule)
  bool running = false;                  // handling a message now
  // kSelfClocked.
  bool waiting = false;
  std::multiset<VirtualTime> queued;   // arrivals of its messages not yet handled
  VirtualTime bound = kNoVirtualTime;  // its entry in VirtualClock::bounds_; kNoVirtualTime: none
  // kOrdered: messages held until their turn, earliest first.
  struct Held {
    VirtualTime arrival;
    uint64_t sender;
    uint64_t seq;
    std::unique_ptr<Message> message;
  };
  std::vector<Held> held;          // a min-heap by (arrival, sender, seq)
  double ingress_bytes_per_s = 0;  // 0: unlimited
  VirtualTime ingress_free{0};     // the ingress is busy until then
};

class VirtualClock {
 public:
  // Gives `cell` its virtual state. REQUIRES: before its first message.
  void Register(ActorCell& cell, VirtualRole role, double ingress_bytes_per_s) EXCLUDES(mu_);
  // A stopped actor: it bounds nobody, and its held messages are dropped.
  void Unregister(ActorCell& cell) EXCLUDES(mu_);

  // The time a message `from` sends now is sent at, and its sequence
  // number: its clock, or kNoVirtualTime for untimed senders and for
  // nullptr (outside any actor).
  std::pair<VirtualTime, uint64_t> SendTime(ActorCell* from) EXCLUDES(mu_);

  // Hands `m` (m->arrival set) to `to`: held for an ordered actor, queued
  // at once for the others. Returns false if the actor is stopped.
  bool Deliver(const std::shared_ptr<ActorCell>& to, std::unique_ptr<Message> m) EXCLUDES(mu_);

  // ActorCell::RunBatch brackets every message with these.
  void BeforeMessage(ActorCell& cell, const Message& m) EXCLUDES(mu_);
  void AfterMessage(ActorCell& cell, bool was_held) EXCLUDES(mu_);

  VirtualTime Now(const ActorCell& cell) const EXCLUDES(mu_);
  bool IsOrdered(const ActorCell& cell) const EXCLUDES(mu_);
  VirtualTime CurrentArrival(const ActorCell& cell) const EXCLUDES(mu_);
  void Advance(ActorCell& cell, VirtualTime d) EXCLUDES(mu_);
  void AdvanceTo(ActorCell& cell, VirtualTime t) EXCLUDES(mu_);
  void SetWaiting(ActorCell& cell, bool waiting) EXCLUDES(mu_);

  // The latest clock of any actor: how far the simulation has got.
  VirtualTime Horizon() const EXCLUDES(mu_);
  // Drops every held message (rejecting it) at shutdown.
  void DropHeld() EXCLUDES(mu_);

 private:
  struct Release {
    std::shared_ptr<ActorCell> cell;
    std::unique_ptr<Message> message;
  };
  using Head = std::tuple<VirtualTime, uint64_t, uint64_t, ActorCell*>;
  static constexpr VirtualTime kNever = VirtualTime::max();

  VirtualTime BoundOf(const VirtualActorState& s) const;
  void UpdateBound(ActorCell& cell) REQUIRES(mu_);
  void UpdateHead(ActorCell& cell) REQUIRES(mu_);
  // The next ordered message that is safe to handle, taken off its heap.
  std::vector<Release> TakeReleasable() REQUIRES(mu_);
  // Enqueues what TakeReleasable gave (outside the lock); a stopped actor's
  // message is dropped and the next one tried.
  void Hand(std::vector<Release> releases) EXCLUDES(mu_);

  mutable Mutex mu_{LockRank::kVirtualClock};
  // Self-clocked actors' lower bounds on their next send.
  std::set<std::pair<VirtualTime, ActorCell*>> bounds_ GUARDED_BY(mu_);
  // Each ordered actor's earliest held message.
  std::set<Head> heads_ GUARDED_BY(mu_);
  bool in_flight_ GUARDED_BY(mu_) = false;  // an ordered message is being handled
  uint64_t outside_sends_ GUARDED_BY(mu_) = 0;
  VirtualTime latest_ GUARDED_BY(mu_){0};
};

}  // namespace detail
}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_VIRTUAL_TIME_H_
