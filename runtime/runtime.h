// Runtime: one per process; a node of the cluster.
//
// Embedded mode (the default, RuntimeOptions{}): no sockets at all; every
// actor lives in this process and messages go straight into mailboxes.
// Head mode (listen set, join empty): binds a ROUTER, keeps the directory of
// nodes and named actors. Worker mode (join set): binds its own ROUTER and
// joins the head. See docs/RUNTIME.md.
#ifndef OLSGD_RUNTIME_RUNTIME_H_
#define OLSGD_RUNTIME_RUNTIME_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/actor.h"
#include "runtime/actor_cell.h"
#include "runtime/codec.h"
#include "runtime/error.h"
#include "runtime/future.h"
#include "runtime/handle.h"
#include "runtime/ids.h"
#include "runtime/link_model.h"
#include "runtime/method_table.h"
#include "runtime/spans.h"
#include "runtime/stats.h"
#include "runtime/tensor.h"
#include "runtime/timer_queue.h"
#include "runtime/worker_pool.h"

namespace olsgd::rt {

namespace detail {
class Transport;
class Directory;
struct WireMessage;
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

struct NodeInfo {
  NodeId id = kNoNode;
  std::string name;
  std::string address;
  int slots = 0;
  std::map<std::string, std::string> labels;
  MSGPACK_DEFINE(id, name, address, slots, labels)
};

// Process-wide registry of actor types that other nodes may spawn here
// by name (remote Spawn). Register before the first remote spawn, in every
// process: RegisterActorType<Reducer, ReducerConfig>().
class ActorTypeRegistry {
 public:
  using SpawnFn = std::function<Result<ActorId>(
      Runtime&, const SpawnOptions&, const msgpack::object& args, std::vector<Tensor>& tensors)>;
  static ActorTypeRegistry& Global();
  void Add(std::string type_name, SpawnFn fn);
  const SpawnFn* Find(const std::string& type_name) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, SpawnFn> fns_;
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

  NodeId node_id() const { return node_id_.load(std::memory_order_acquire); }
  const std::string& node_name() const { return node_name_; }
  bool is_head() const { return node_id() == kHeadNode; }
  bool networked() const { return transport_ != nullptr; }
  std::string address() const;  // the advertised endpoint, "" if embedded
  std::vector<NodeInfo> Nodes() const;

  // Runs `task` on the shared pool / after `delay` on the pool.
  bool Post(Task task);
  TimerId After(std::chrono::nanoseconds delay, Task task);
  bool CancelTimer(TimerId id) { return timers_->Cancel(id); }

  // Stops every actor (OnStop), joins every thread, closes every socket.
  // Idempotent; the destructor calls it.
  void Shutdown();

  // ---- Used by ActorHandle and friends; not for application code. ----
  Status SendLocal(const std::shared_ptr<detail::ActorCell>& to,
                   std::unique_ptr<detail::Message> m);
  Status SendRemote(ActorId to, uint8_t type, const std::string& method, uint64_t request_id,
                    const msgpack::sbuffer& body, std::vector<Tensor> tensors);
  // Completes a local reply from `from` to `to`, through the link model.
  void DeliverReply(ActorId from, ActorId to, uint64_t bytes, Task complete);
  // A remote reply (kReply / kReplyError message) or a local failure.
  using ReplyHandler = UniqueFunction<void(Result<detail::WireMessage*>)>;
  uint64_t AddPending(NodeId node, ReplyHandler h);
  void FailPending(uint64_t request_id, Error e);
  std::shared_ptr<detail::ActorCell> FindCell(ActorId id) const;
  Result<ActorId> SpawnCell(const SpawnOptions& options, const std::string& type_name,
                            detail::ActorCell::Factory factory, detail::RemoteFinder finder);
  Result<ActorId> SpawnRemote(const SpawnOptions& options, const std::string& type_name,
                              const msgpack::sbuffer& args, std::vector<Tensor> tensors);
  Result<std::pair<ActorId, std::string>> LookupOnce(const std::string& name);
  ActorId CurrentSender() const;
  TimerQueue& timers() { return *timers_; }
  WorkerPool& pool() { return *pool_; }
  void OnCellStopped(detail::ActorCell* cell);
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }

 private:
  explicit Runtime(RuntimeOptions options);
  void StartNetwork();
  void ShutdownNetwork();
  void OnWire(detail::WireMessage& m);
  void HandleSystem(detail::WireMessage& m);
  void HandleRemoteSpawn(detail::WireMessage m);
  void ReplyWire(const detail::WireMessage& req, Result<detail::WirePayload> r);
  Result<std::shared_ptr<detail::WireMessage>> SystemCall(NodeId node, detail::MsgType type,
                                                          const msgpack::sbuffer& body,
                                                          std::vector<Tensor> tensors,
                                                          std::chrono::milliseconds timeout);
  // Sends a message to another node, through the link model from `from` to `h.dst`.
  Status SendWire(NodeId node, const detail::WireHeader& h, const msgpack::sbuffer& body,
                  std::vector<Tensor> tensors, uint64_t payload_bytes);
  // runtime_liveness.cc: heartbeats, node loss, clean leaves.
  void NodeLeft(NodeId node, const std::string& reason);
  void HeartbeatTick(bool backlog);
  std::optional<Error> LostNodeError(NodeId node) const;
  // runtime_links.cc: the cluster-wide link rules.
  void ApplyLinkRules(const msgpack::object& body);
  void SendLinkRulesLocked(const std::vector<NodeId>& to);  // link_rules_mu_ held
  void BroadcastLinkRulesLocked();
  void OnNameRegistered(const std::string& name);
  void BroadcastNodeTable();
  Status RegisterName(const std::string& name, ActorId id, const std::string& type_name,
                      std::chrono::milliseconds timeout);
  void UnregisterName(const std::string& name, ActorId id);
  LinkEndpoint EndpointOf(ActorId id, std::string* name_storage) const;
  // `authoritative`: the head's broadcast (nodes missing from it are gone),
  // not a reply to a request that may be older than a broadcast.
  void ApplyNodeTable(const std::vector<NodeInfo>& nodes, bool authoritative = false);
  Result<NodeId> NodeByName(const std::string& name) const;

  RuntimeOptions options_;
  std::atomic<NodeId> node_id_{kHeadNode};
  std::string node_name_;
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> shut_down_{false};
  std::mutex shutdown_mu_;

  SpanRecorder spans_;
  detail::LinkTable links_;
  std::unique_ptr<TimerQueue> timers_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<detail::Transport> transport_;
  detail::ScheduleBatch io_batch_;  // the I/O thread's deferred wake-ups (only that thread)
  std::unique_ptr<detail::Directory> directory_;  // head and embedded only

  mutable std::shared_mutex actors_mu_;
  std::unordered_map<ActorId, std::shared_ptr<detail::ActorCell>> actors_;
  std::atomic<uint32_t> next_local_id_{1};

  mutable std::mutex nodes_mu_;
  std::map<NodeId, NodeInfo> nodes_;
  std::unordered_map<ActorId, std::string> remote_names_;  // learned by Lookup, for link selectors
  std::map<NodeId, Error> lost_nodes_;  // nodes that left or were lost (ids are never reused)
  NodeId next_node_id_ = 1;             // head: the id the next joining node gets

  // Heartbeats: only the I/O thread touches last_heard_.
  std::atomic<bool> heartbeats_on_{false};
  std::unordered_map<NodeId, Clock::time_point> last_heard_;

  // Link rules: the head's (cluster-wide, versioned) and this node's own.
  std::mutex link_rules_mu_;
  std::vector<LinkRule> cluster_rules_, local_rules_;
  uint64_t link_rules_version_ = 0;

  std::mutex pending_mu_;
  struct Pending {
    NodeId node;
    ReplyHandler handler;
  };
  std::unordered_map<uint64_t, Pending> pending_;
  std::atomic<uint64_t> next_request_{1};
};

}  // namespace olsgd::rt

#include "runtime/runtime_inl.h"  // IWYU pragma: export

#endif  // OLSGD_RUNTIME_RUNTIME_H_
