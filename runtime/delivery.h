// Delivery: takes messages and replies from their sender to their receiver.
// A local message goes into the receiver's mailbox, a remote one to the
// transport, a reply back to its caller (a local promise, or a kReply to
// the calling node, or from the wire to the call waiting for it). Each goes
// through the link models when any are set (a delayed message waits on the
// timer queue), and the actors' message and byte counters are kept here.
//
// Delivery holds no lock and no state of its own beyond what it is given:
// it reads membership (names, lost nodes), the local actors, the link rules
// and the directory, and registers nothing but fails pending calls whose
// delayed send failed.
#ifndef OLSGD_RUNTIME_DELIVERY_H_
#define OLSGD_RUNTIME_DELIVERY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/actor_cell.h"
#include "runtime/codec.h"
#include "runtime/directory.h"
#include "runtime/error.h"
#include "runtime/ids.h"
#include "runtime/link_model.h"
#include "runtime/link_rules.h"
#include "runtime/local_actors.h"
#include "runtime/membership.h"
#include "runtime/method_table.h"
#include "runtime/pending_calls.h"
#include "runtime/timer_queue.h"

namespace olsgd::rt::detail {

class Transport;

class Delivery {
 public:
  struct Parts {
    const Runtime* runtime;  // whose actors count as senders here
    const Membership* membership;
    LocalActors* actors;
    LinkRules* links;
    PendingCalls* pending;
    const Directory* directory;
    TimerQueue* timers;
    const std::atomic<bool>* shutting_down;
    // A worker asks the head for the node table when it meets a node it has
    // not heard of (it may have joined since the last table).
    std::function<void()> refresh_nodes;
  };
  explicit Delivery(Parts parts) : p_(std::move(parts)) {}
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  // Set once while the runtime starts, before any other thread sends;
  // nullptr (embedded) means no remote sends.
  void set_transport(Transport* t) { transport_ = t; }
  // Set once at construction in virtual time (virtual_time.h).
  void set_virtual_clock(VirtualClock* c) { vclock_ = c; }

  // The current actor of this runtime, or "outside any actor" of this node.
  ActorId CurrentSender() const;

  // Into a local mailbox, through the link model from the current actor.
  Status SendLocal(const std::shared_ptr<ActorCell>& to, std::unique_ptr<Message> m);
  // Completes a local reply from `from` to `to`, through the link model.
  void DeliverReply(ActorId from, ActorId to, uint64_t bytes, Task complete);
  // A tell or call to an actor on another node.
  Status SendRemote(ActorId to, uint8_t type, const std::string& method, uint64_t request_id,
                    const msgpack::sbuffer& body, std::vector<Tensor> tensors);
  // Any message to another node, through the link model from `h.src` to `h.dst`.
  Status SendWire(NodeId node, const WireHeader& h, const msgpack::sbuffer& body,
                  std::vector<Tensor> tensors, uint64_t payload_bytes);
  // Answers a request that came from another node.
  void ReplyWire(const WireMessage& req, Result<WirePayload> r);

  // From the I/O thread: a tell or call for a local actor (into its mailbox;
  // a call to an unknown actor gets an error reply), and a reply to a call
  // of ours (to its pending handler).
  void DeliverWire(WireMessage& m);
  void RouteReply(WireMessage& m);

 private:
  LinkEndpoint EndpointOf(ActorId id, std::string* name_storage) const;
  // SendLocal in virtual time: the arrival from the sender's clock and the
  // link model, then the clock decides when the receiver sees it.
  Status SendLocalVirtual(ActorCell* from, const std::shared_ptr<ActorCell>& to,
                          std::unique_ptr<Message> m);
  bool is_head() const { return p_.membership->self_id() == kHeadNode; }

  const Parts p_;
  Transport* transport_ = nullptr;
  VirtualClock* vclock_ = nullptr;
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_DELIVERY_H_
