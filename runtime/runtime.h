// Runtime: one per process; a node of the cluster.
//
// Embedded mode (the default, RuntimeOptions{}): no sockets at all; every
// actor lives in this process and messages go straight into mailboxes.
// Head mode (listen set, join empty): binds a ROUTER, keeps the directory of
// nodes and named actors. Worker mode (join set): binds its own ROUTER and
// joins the head. See docs/RUNTIME.md.
//
// Runtime is a facade over parts that each own their state and their lock:
//   Membership   (membership.h)    the node table, lost nodes, remote names
//   LinkRules    (link_rules.h)    the link models in force and their table
//   LocalActors  (local_actors.h)  this node's actors by id, spawning one
//   PendingCalls (pending_calls.h) requests sent to other nodes, by request id
//   Delivery     (delivery.h)      local and remote sends, replies (no lock)
//   Heartbeats   (heartbeats.h)    last sign of life per node (I/O thread only)
//   RuntimeExecutor (runtime_executor.h) where this runtime's futures send
//                                   Then callbacks from outside its threads
// with the Directory, TimerQueue, WorkerPool and Transport. The Runtime's own
// files are the protocol between the parts: runtime.cc (lifecycle, spawn),
// runtime_net.cc (joining, system calls, remote spawn), runtime_system.cc
// (system messages, names, node table), runtime_links.cc (cluster-wide link
// rules), runtime_liveness.cc (heartbeats, node loss).
//
// Lock order. A thread holding one of these locks takes only locks further
// down the list; a leaf lock is held while taking no other lock. In builds
// with OLSGD_CHECK_LOCK_ORDER every acquisition is checked against it
// (runtime/mutex.h has the ranks).
//   1. Runtime::shutdown_mu_     held through the whole of Shutdown
//   2. LinkRules::mu_            the head holds it while it sends the rules
//                                and while it answers a join (so delivery,
//                                the node table and the transport run under it)
//   3. Membership::mu_           held while the transport learns a node's
//                                address, so a node removed concurrently is
//                                removed from the transport after
//   4. Transport::peers_mu_, then Transport::Peer::mu (one peer's socket)
//   5. RuntimeExecutor::mu_      held while posting to the pool
//   Leaves: LocalActors, PendingCalls, Directory, LinkTable, LinkTable's
//   LinkState, TimerQueue, ActorCell, WorkerPool, SpanRecorder,
//   ActorTypeRegistry, VirtualClock. Callbacks (reply handlers, promises, timer tasks,
//   rejected messages) always run after the part that held them let go of
//   its lock.
#ifndef OLSGD_RUNTIME_RUNTIME_H_
#define OLSGD_RUNTIME_RUNTIME_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/actor.h"
#include "runtime/actor_cell.h"
#include "runtime/codec.h"
#include "runtime/delivery.h"
#include "runtime/directory.h"
#include "runtime/error.h"
#include "runtime/future.h"
#include "runtime/handle.h"
#include "runtime/heartbeats.h"
#include "runtime/ids.h"
#include "runtime/link_model.h"
#include "runtime/link_rules.h"
#include "runtime/local_actors.h"
#include "runtime/membership.h"
#include "runtime/method_table.h"
#include "runtime/mutex.h"
#include "runtime/pending_calls.h"
#include "runtime/runtime_executor.h"
#include "runtime/spans.h"
#include "runtime/stats.h"
#include "runtime/tensor.h"
#include "runtime/timer_queue.h"
#include "runtime/worker_pool.h"

namespace olsgd::rt {

namespace detail {
class Transport;
}  // namespace detail

// CURVE encryption and authentication of every tcp link (docs/RUNTIME.md,
// "Security"). Key model: one cluster key pair (`olsgd keygen`, loaded with
// LoadClusterKeys in runtime/cluster_keys.h) that every node uses both as the
// server key of its ROUTER and as the client key of its DEALERs; a node's ZAP
// handler lets in only clients whose public key is `public_key` or one of
// `authorized_keys`. A process without the secret key can neither complete a
// handshake nor reach any actor.
struct SecurityOptions {
  bool curve = false;      // encrypt and authenticate every tcp link
  std::string public_key;  // the cluster key pair, Z85 (40 characters each)
  std::string secret_key;
  std::string server_key;                    // public key of the peers' ROUTERs; "" = public_key
  std::vector<std::string> authorized_keys;  // more client keys the ZAP handler accepts
  // Optional extra check after the key set (e.g. for tests); false = refuse.
  std::function<bool(const std::string& client_public_key)> authorize;
};
// Liveness (docs/RUNTIME.md, "Heartbeats and node loss"): with interval > 0
// every worker and the head send each other a heartbeat every interval; any
// message counts as a sign of life. The head declares a worker lost, and a
// worker the head, after `timeout` without one.
struct HeartbeatOptions {
  std::chrono::milliseconds interval{0};  // 0 = off
  std::chrono::milliseconds timeout{2500};
};

struct RuntimeOptions {
  // Networking. Both empty: embedded, no sockets. listen only: head.
  // join set: worker (listen defaults to tcp://127.0.0.1:0).
  std::string listen;     // e.g. "tcp://0.0.0.0:5555", port 0 = any free port
  std::string join;       // the head's address, e.g. "tcp://10.0.0.1:5555"
  std::string advertise;  // address peers dial; default: the bound endpoint
  std::string node_name;  // default "head" or "node<id>"; unique in the cluster
  int slots = 0;          // free-form capacity the head can use for placement
  std::map<std::string, std::string> labels;

  int pool_threads = 0;     // 0 = hardware threads (at least 2)
  int spin_iterations = 0;  // pool threads poll this often before sleeping (0: sleep at once;
                            // spinning hurts on 2 cores)
  std::string log_level;    // "" = leave as is (default warn, or OLSGD_LOG_LEVEL)

  // Virtual time (runtime/virtual_time.h): every actor gets a clock, link
  // models set virtual arrival times instead of delaying delivery, and
  // ordered actors handle messages in virtual-arrival order. Embedded only.
  bool virtual_time = false;

  // Transport limits and backpressure: bytes handed to a peer's socket and
  // not yet written (zero-copy frames) are bounded by max_outgoing_bytes_per_peer;
  // a send that would pass it waits up to send_timeout, then fails with
  // kBackpressure. One message larger than the bound still goes through when
  // nothing else is in flight. The socket queue also holds at most sndhwm messages.
  uint64_t max_outgoing_bytes_per_peer = uint64_t{1} << 30;
  std::chrono::milliseconds send_timeout{30000};
  std::chrono::milliseconds join_timeout{15000};
  int sndhwm = 10000;
  int rcvhwm = 10000;
  int linger_ms = 2000;  // how long Shutdown lets queued outgoing messages drain

  SecurityOptions security;
  HeartbeatOptions heartbeat;
  // Called once per node that leaves or is lost, usually on the I/O thread
  // (keep it short; do not call Future::Get in it). reason: "left" for a
  // clean leave, "no heartbeat for 3.0 s" for a loss, "dropped by the head"
  // on workers for a node the head removed. On a worker, node kHeadNode
  // means the head is gone: the process should exit.
  std::function<void(NodeId, const std::string& reason)> on_node_lost;
};

// Process-wide registry of actor types that other nodes may spawn here
// by name (remote Spawn). Register before the first remote spawn, in every
// process: RegisterActorType<Reducer, ReducerConfig>().
class ActorTypeRegistry {
 public:
  using SpawnFn = std::function<Result<ActorId>(
      Runtime&, const SpawnOptions&, const msgpack::object& args, std::vector<Tensor>& tensors)>;
  static ActorTypeRegistry& Global();
  void Add(std::string type_name, SpawnFn fn);  // before the first remote spawn of that type
  const SpawnFn* Find(const std::string& type_name) const;  // stays valid: never removed

 private:
  mutable Mutex mu_{LockRank::kTypeRegistry};
  std::map<std::string, SpawnFn> fns_ GUARDED_BY(mu_);  // by type name
};

template <class A, class... CtorArgs>
void RegisterActorType();

class Runtime {
 public:
  // Starts a node. Throws ErrorException if it cannot bind or join.
  static std::unique_ptr<Runtime> Start(RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Creates an actor of type A from `args` (msgpack-able, copied for
  // restarts), on this node or on options.node.
  template <class A, class... CtorArgs>
  Result<ActorHandle<A>> Spawn(SpawnOptions options, CtorArgs&&... args);
  // Like Spawn, on this node only; arguments need only be copyable (they
  // never cross a process).
  template <class A, class... CtorArgs>
  Result<ActorHandle<A>> SpawnLocal(SpawnOptions options, CtorArgs&&... args);

  // The actor registered under `name`, waiting up to `timeout` for it to
  // appear. Errors: kNotFound, kTypeMismatch.
  template <class A>
  Result<ActorHandle<A>> Lookup(const std::string& name,
                                std::chrono::nanoseconds timeout = std::chrono::nanoseconds(0));
  // A handle for a known id (no type check).
  template <class A>
  ActorHandle<A> HandleOf(ActorId id) {
    return ActorHandle<A>(this, id, detail::FindLocalCell(this, id));
  }

  // Stops a local actor after its current message (OnStop runs, later
  // messages fail with kActorStopped) and waits up to `timeout`.
  Status Stop(ActorId id, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

  // Link models (fault injection); later rules take precedence. Rules set
  // on the head apply cluster-wide: the head sends them to every node (and
  // to nodes that join later) and each node applies them to the messages it
  // sends. Rules set on a worker apply to that worker's messages only, after
  // (so over) the head's. ClearLinkModels clears this node's own rules (on
  // the head: the cluster-wide ones, everywhere).
  void SetLinkModel(LinkSelector from, LinkSelector to, LinkModel model);
  void ClearLinkModels();

  ActorStats Stats(ActorId id) const;  // zeros (alive = false) for unknown ids
  TransportStats transport_stats() const;
  SpanRecorder& spans() { return spans_; }

  NodeId node_id() const { return membership_.self_id(); }
  const std::string& node_name() const { return membership_.self_name(); }
  bool is_head() const { return node_id() == kHeadNode; }
  bool networked() const { return transport_ != nullptr; }
  std::string address() const;  // the advertised endpoint, "" if embedded
  std::vector<NodeInfo> Nodes() const { return membership_.All(); }

  // Runs `task` on the shared pool / after `delay` on the pool.
  bool Post(Task task);
  TimerId After(std::chrono::nanoseconds delay, Task task);
  bool CancelTimer(TimerId id) { return timers_->Cancel(id); }

  // Stops every actor (OnStop), joins every thread, closes every socket.
  // Idempotent; the destructor calls it.
  void Shutdown() EXCLUDES(shutdown_mu_);

  // ---- Used by ActorHandle and friends; not for application code. ----
  Status SendLocal(const std::shared_ptr<detail::ActorCell>& to,
                   std::unique_ptr<detail::Message> m) {
    return delivery_.SendLocal(to, std::move(m));
  }
  Status SendRemote(ActorId to, uint8_t type, const std::string& method, uint64_t request_id,
                    const msgpack::sbuffer& body, std::vector<Tensor> tensors) {
    return delivery_.SendRemote(to, type, method, request_id, body, std::move(tensors));
  }
  // Completes a local reply from `from` to `to`, through the link model.
  void DeliverReply(ActorId from, ActorId to, uint64_t bytes, Task complete) {
    delivery_.DeliverReply(from, to, bytes, std::move(complete));
  }
  // A remote reply (kReply / kReplyError message) or a local failure.
  using ReplyHandler = detail::PendingCalls::Handler;
  uint64_t AddPending(NodeId node, ReplyHandler h) { return pending_.Add(node, std::move(h)); }
  void FailPending(uint64_t request_id, Error e) { pending_.Fail(request_id, std::move(e)); }
  std::shared_ptr<detail::ActorCell> FindCell(ActorId id) const { return actors_.Find(id); }
  Result<ActorId> SpawnCell(const SpawnOptions& options, const std::string& type_name,
                            detail::ActorCell::Factory factory, detail::RemoteFinder finder);
  Result<ActorId> SpawnRemote(const SpawnOptions& options, const std::string& type_name,
                              const msgpack::sbuffer& args, std::vector<Tensor> tensors);
  Result<std::pair<ActorId, std::string>> LookupOnce(const std::string& name);
  ActorId CurrentSender() const { return delivery_.CurrentSender(); }
  TimerQueue& timers() { return *timers_; }
  WorkerPool& pool() { return *pool_; }
  // Where Then callbacks of this runtime's futures go outside its threads.
  detail::RuntimeExecutor* executor() const { return executor_; }
  // The virtual clock, or nullptr on the wall clock.
  detail::VirtualClock* virtual_clock() const { return vclock_.get(); }
  void OnCellStopped(detail::ActorCell* cell);
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }

 private:
  explicit Runtime(RuntimeOptions options);
  // runtime_net.cc: joining, system calls, messages from other nodes.
  void StartNetwork();
  void ShutdownNetwork();
  void OnWire(detail::WireMessage& m);
  void HandleRemoteSpawn(detail::WireMessage m);
  void ReplyWire(const detail::WireMessage& req, Result<detail::WirePayload> r) {
    delivery_.ReplyWire(req, std::move(r));
  }
  Result<std::shared_ptr<detail::WireMessage>> SystemCall(NodeId node, detail::MsgType type,
                                                          const msgpack::sbuffer& body,
                                                          std::vector<Tensor> tensors,
                                                          std::chrono::milliseconds timeout);
  // runtime_system.cc: system messages, the node table, names.
  void HandleSystem(detail::WireMessage& m);
  void BroadcastNodeTable();
  // `authoritative`: the head's broadcast (nodes missing from it are gone),
  // not a reply to a request that may be older than a broadcast.
  void ApplyNodeTable(const std::vector<NodeInfo>& nodes, bool authoritative = false);
  // A worker asks the head for the node table.
  void RefreshNodeTable();
  Status RegisterName(const std::string& name, ActorId id, const std::string& type_name,
                      std::chrono::milliseconds timeout);
  void UnregisterName(const std::string& name, ActorId id);
  // runtime_liveness.cc: heartbeats, node loss, clean leaves.
  void NodeLeft(NodeId node, const std::string& reason);
  void HeartbeatTick(bool backlog);
  // runtime_links.cc: the cluster-wide link rules.
  void ApplyLinkRules(const msgpack::object& body);
  void SendLinkRules(const std::vector<NodeId>& to) REQUIRES(link_rules_.mu());
  void BroadcastLinkRules() REQUIRES(link_rules_.mu());
  void OnNameRegistered(const std::string& name);

  const RuntimeOptions options_;
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> shut_down_{false};
  Mutex shutdown_mu_{LockRank::kRuntimeShutdown};  // one Shutdown at a time

  SpanRecorder spans_;
  detail::Membership membership_;
  detail::LinkRules link_rules_;
  std::unique_ptr<TimerQueue> timers_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<detail::Transport> transport_;  // set while starting; null if embedded
  detail::ScheduleBatch io_batch_;  // the I/O thread's deferred wake-ups (only that thread)
  detail::Directory directory_;     // the names: authoritative on the head and when embedded
  detail::LocalActors actors_;
  detail::PendingCalls pending_;
  detail::Heartbeats heartbeats_;
  detail::Delivery delivery_;
  detail::RuntimeExecutor* const executor_;             // lives as long as the process
  const std::unique_ptr<detail::VirtualClock> vclock_;  // virtual time only
};

}  // namespace olsgd::rt

#include "runtime/runtime_inl.h"  // IWYU pragma: export

#endif  // OLSGD_RUNTIME_RUNTIME_H_
