// Transport: the tcp side of a node.
//
// Pattern: every node binds one ROUTER (receive only) and keeps one DEALER
// per peer it sends to, connected to that peer's ROUTER. So each direction
// of a node pair is one tcp connection carrying the messages in send order
// (per-sender FIFO), and each peer has its own send queue and budget.
// The ROUTER is owned by the I/O thread, which receives, decodes and hands
// messages to the runtime. A DEALER is used by whichever thread sends, under
// that peer's mutex (ZeroMQ allows a socket to move between threads with a
// full memory barrier, which the mutex provides), so a send costs no thread
// hop. The I/O thread never touches DEALERs; it is woken for shutdown by an
// eventfd in its poll set.
//
// Nothing is dropped silently: a send to an unknown node, or one that
// cannot be queued within the send timeout (backpressure), returns an error
// to the sender; a received message for an unknown actor is counted, logged,
// and answered with an error if it was a call. ROUTER_MANDATORY is set on the
// ROUTER so that any reply sent through it to a vanished peer fails loudly.
//
// With CURVE (Options::curve) the ROUTER is a CURVE server and every DEALER a
// CURVE client; the node's ZapHandler, polled by the I/O thread, decides
// which client keys get in. With a tick interval the I/O thread also calls
// the tick hook (heartbeats) about that often.
#ifndef OLSGD_RUNTIME_TRANSPORT_TCP_H_
#define OLSGD_RUNTIME_TRANSPORT_TCP_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <zmq.hpp>

#include "runtime/codec.h"
#include "runtime/mutex.h"
#include "runtime/stats.h"
#include "runtime/zap_handler.h"

namespace olsgd::rt::detail {

class Transport {
 public:
  struct Options {
    std::string listen = "tcp://127.0.0.1:0";
    std::string advertise;
    int sndhwm = 10000;
    int rcvhwm = 10000;
    int linger_ms = 2000;
    uint64_t max_outgoing_bytes_per_peer = uint64_t{1} << 30;
    std::chrono::milliseconds send_timeout{30000};
    // CURVE (all Z85): the ROUTER is a CURVE server with this key pair, each
    // DEALER a CURVE client with it, dialing servers whose public key is
    // `curve_server_key`. `authorize` decides which client keys the ZAP
    // handler lets in.
    bool curve = false;
    std::string curve_public_key, curve_secret_key, curve_server_key;
    std::function<bool(const std::string& z85_key)> authorize;
    // With an interval > 0 the I/O thread calls the tick hook about this often.
    std::chrono::milliseconds tick_interval{0};
  };
  // Runs on the I/O thread for each decoded message.
  using Handler = std::function<void(WireMessage&)>;
  // Runs on the I/O thread after each drain of the socket (a burst of up to
  // kDrainBudget messages), so the handler can batch work across a burst.
  using DrainedHook = std::function<void()>;
  static constexpr int kDrainBudget = 4096;
  // Runs on the I/O thread every tick_interval; `backlog` is true when the
  // last drain stopped at its budget (more input is waiting).
  using TickHook = std::function<void(bool backlog)>;

  Transport(Options options, Handler handler, DrainedHook drained = nullptr,
            TickHook tick = nullptr);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds the ROUTER and starts the I/O thread. Errors: bad address, port in use.
  Status Start();
  // The bound endpoint ("tcp://127.0.0.1:43211") and the one peers dial.
  const std::string& endpoint() const { return endpoint_; }
  const std::string& advertised() const { return advertised_; }

  // Where node `id` listens. Connects lazily on the first send.
  void SetPeer(NodeId id, const std::string& address) EXCLUDES(peers_mu_);
  bool HasPeer(NodeId id) const EXCLUDES(peers_mu_);
  void RemovePeer(NodeId id) EXCLUDES(peers_mu_);

  // Sends one message to node `to`; blocks up to the send timeout under
  // backpressure. Thread-safe. With `dontwait` it never blocks: a full queue
  // or a peer busy with another sender gives kBackpressure at once.
  Status Send(NodeId to, const WireHeader& h, const msgpack::sbuffer& body,
              const std::vector<Tensor>& tensors, bool dontwait = false) EXCLUDES(peers_mu_);

  // Joins the I/O thread, closes every socket and the context. Idempotent;
  // called by the runtime's shutdown (or a failed join) only.
  void Stop() EXCLUDES(peers_mu_);

  TransportStats stats() const EXCLUDES(peers_mu_);
  void CountUndeliverable() { undeliverable_.fetch_add(1, std::memory_order_relaxed); }
  void CountDecodeError() { decode_errors_.fetch_add(1, std::memory_order_relaxed); }

 private:
  struct Peer {
    Mutex mu{LockRank::kTransportPeer};  // whoever sends to the peer holds it
    std::string address;                 // set by SetPeer before the peer is shared; then read-only
    std::unique_ptr<zmq::socket_t> dealer GUARDED_BY(mu);  // connected on the first send
    std::shared_ptr<FrameBudget> budget = std::make_shared<FrameBudget>();
    std::atomic<bool> closed{false};  // removed: blocked senders give up
  };
  void Loop();
  bool Drain();  // true if it stopped at its budget
  void SetupCurveClient(zmq::socket_t& s);

  Options options_;
  Handler handler_;
  DrainedHook drained_;
  TickHook tick_;
  std::vector<zmq::message_t> frames_;  // Drain's scratch; only the I/O thread
  zmq::context_t ctx_;
  std::unique_ptr<ZapHandler> zap_;  // with CURVE; only the I/O thread after Start
  std::unique_ptr<zmq::socket_t> router_;
  std::unique_ptr<zmq::socket_t> monitor_;  // CURVE: the ROUTER's failed handshakes (I/O thread)
  void ReadMonitor();
  int wake_fd_ = -1;
  std::string endpoint_, advertised_;
  std::atomic<bool> stop_{false};
  bool stopped_ = false;
  std::thread io_thread_;

  mutable SharedMutex peers_mu_{LockRank::kTransportPeers};
  std::unordered_map<NodeId, std::shared_ptr<Peer>> peers_ GUARDED_BY(peers_mu_);  // by node id

  std::atomic<uint64_t> sent_{0}, received_{0}, bytes_sent_{0}, bytes_received_{0};
  std::atomic<uint64_t> handshake_failures_{0};
  std::atomic<uint64_t> decode_errors_{0}, undeliverable_{0}, send_failures_{0},
      backpressure_waits_{0};
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_TRANSPORT_TCP_H_
