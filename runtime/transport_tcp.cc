#include "runtime/transport_tcp.h"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <zmq.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "runtime/log.h"

namespace olsgd::rt::detail {

Transport::Transport(Options options, Handler handler, DrainedHook drained, TickHook tick)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      drained_(std::move(drained)),
      tick_(std::move(tick)),
      ctx_(1) {}

Transport::~Transport() { Stop(); }

Status Transport::Start() {
  if (options_.curve) {
    if (!zmq_has("curve")) {
      return Error{ErrorCode::kInvalidArgument,
                   "security.curve is set, but this libzmq was built without CURVE"};
    }
    for (const auto* k :
         {&options_.curve_public_key, &options_.curve_secret_key, &options_.curve_server_key}) {
      if (!IsZ85Key(*k))
        return Error{ErrorCode::kInvalidArgument, "CURVE key is not 40 characters of Z85"};
    }
    // The handler must exist before the CURVE server binds.
    zap_ = std::make_unique<ZapHandler>(ctx_, options_.authorize);
    if (Status s = zap_->Bind(); !s.ok()) {
      zap_.reset();
      return s;
    }
  }
  try {
    router_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::router);
    if (options_.curve) {
      router_->set(zmq::sockopt::curve_server, 1);
      router_->set(zmq::sockopt::curve_secretkey, options_.curve_secret_key);
      router_->set(zmq::sockopt::zap_domain, "olsgd");
    }
    router_->set(zmq::sockopt::router_mandatory, 1);
    router_->set(zmq::sockopt::rcvhwm, options_.rcvhwm);
    router_->set(zmq::sockopt::linger, 0);
    router_->bind(options_.listen);
    endpoint_ = router_->get(zmq::sockopt::last_endpoint);
    if (options_.curve) {
      // Peers that fail the handshake (plaintext, wrong server key) never
      // reach ZAP; the socket monitor tells us about them.
      const char* kMonitor = "inproc://olsgd.router-monitor";
      if (zmq_socket_monitor(
              router_->handle(), kMonitor,
              ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) != 0) {
        throw zmq::error_t();
      }
      monitor_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::pair);
      monitor_->set(zmq::sockopt::linger, 0);
      monitor_->connect(kMonitor);
    }
  } catch (const zmq::error_t& e) {
    monitor_.reset();
    router_.reset();
    if (zap_) zap_->Close();
    zap_.reset();
    return Error{ErrorCode::kTransport, "cannot bind " + options_.listen + ": " + e.what()};
  }
  advertised_ = options_.advertise;
  if (advertised_.empty()) {
    advertised_ = endpoint_;
    auto pos = advertised_.find("0.0.0.0");
    if (pos != std::string::npos) {
      advertised_.replace(pos, 7, "127.0.0.1");
      Log().warn("listening on {} without an advertised address; peers will dial {}", endpoint_,
                 advertised_);
    }
  }
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Error{ErrorCode::kTransport, "eventfd failed"};
  io_thread_ = std::thread([this] { Loop(); });
  return OkStatus();
}

void Transport::SetPeer(NodeId id, const std::string& address) {
  WriterMutexLock lock(peers_mu_);
  auto& p = peers_[id];
  if (p && p->address == address) return;
  p = std::make_shared<Peer>();
  p->address = address;
}

bool Transport::HasPeer(NodeId id) const {
  ReaderMutexLock lock(peers_mu_);
  return peers_.count(id) > 0;
}

void Transport::RemovePeer(NodeId id) {
  std::shared_ptr<Peer> p;
  {
    WriterMutexLock lock(peers_mu_);
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    p = it->second;
    peers_.erase(it);
  }
  p->closed.store(true, std::memory_order_release);
  {
    std::lock_guard block(p->budget->mu);
    p->budget->cv.notify_all();
  }
  MutexLock lock(p->mu);
  if (p->dealer) {
    p->dealer->set(zmq::sockopt::linger, 0);
    p->dealer->close();
    p->dealer.reset();
  }
}

void Transport::SetupCurveClient(zmq::socket_t& s) {
  s.set(zmq::sockopt::curve_serverkey, options_.curve_server_key);
  s.set(zmq::sockopt::curve_publickey, options_.curve_public_key);
  s.set(zmq::sockopt::curve_secretkey, options_.curve_secret_key);
}

Status Transport::Send(NodeId to, const WireHeader& h, const msgpack::sbuffer& body,
                       const std::vector<Tensor>& tensors, bool dontwait) {
  std::shared_ptr<Peer> peer;
  {
    ReaderMutexLock lock(peers_mu_);
    auto it = peers_.find(to);
    if (it != peers_.end()) peer = it->second;
  }
  if (!peer || stop_.load(std::memory_order_acquire)) {
    send_failures_.fetch_add(1, std::memory_order_relaxed);
    return Error{ErrorCode::kTransport,
                 peer ? "transport stopped" : "unknown node " + std::to_string(to)};
  }
  auto deadline = std::chrono::steady_clock::now() + options_.send_timeout;
  // Backpressure: wait until this message fits in the peer's outgoing budget
  // (a single message bigger than the budget goes alone).
  int64_t bytes = static_cast<int64_t>(body.size());
  for (const auto& t : tensors) bytes += static_cast<int64_t>(t.size_bytes());
  const int64_t max = static_cast<int64_t>(options_.max_outgoing_bytes_per_peer);
  FrameBudget& budget = *peer->budget;
  if (budget.in_flight.load(std::memory_order_acquire) + bytes > max) {
    if (dontwait)
      return Error{ErrorCode::kBackpressure,
                   "outgoing queue to node " + std::to_string(to) + " is full"};
    backpressure_waits_.fetch_add(1, std::memory_order_relaxed);
    std::unique_lock lock(budget.mu);
    bool ok = budget.cv.wait_until(lock, deadline, [&] {
      int64_t f = budget.in_flight.load(std::memory_order_acquire);
      return f == 0 || f + bytes <= max || stop_.load() || peer->closed.load();
    });
    if (peer->closed.load())
      return Error{ErrorCode::kTransport, "node " + std::to_string(to) + " was removed"};
    if (!ok) {
      send_failures_.fetch_add(1, std::memory_order_relaxed);
      return Error{ErrorCode::kBackpressure,
                   "outgoing queue to node " + std::to_string(to) + " stayed full for " +
                       std::to_string(options_.send_timeout.count()) + " ms"};
    }
  }
  // The frames go into a per-thread vector reused from send to send (zmq
  // takes each frame's content, leaving it empty); whatever an early return
  // leaves in it is released at once, so no tensor or budget stays held.
  thread_local std::vector<zmq::message_t> frames_scratch;
  thread_local bool scratch_busy = false;
  std::vector<zmq::message_t> own;  // a nested send on this thread, if that ever happens
  struct Release {
    std::vector<zmq::message_t>& v;
    bool* busy;
    ~Release() {
      v.clear();
      if (busy) *busy = false;
    }
  };
  std::vector<zmq::message_t>& frames = scratch_busy ? own : frames_scratch;
  Release release{frames, scratch_busy ? nullptr : &scratch_busy};
  scratch_busy = true;
  EncodeMessageInto(h, body, tensors, peer->budget, frames);
  uint64_t wire = 0;
  for (const auto& f : frames) wire += f.size();

  if (dontwait) {
    if (!peer->mu.TryLock())
      return Error{ErrorCode::kBackpressure, "node " + std::to_string(to) + " is busy"};
  } else {
    peer->mu.Lock();
  }
  MutexLock lock(peer->mu, kAdoptLock);
  if (peer->closed.load(std::memory_order_acquire)) {
    send_failures_.fetch_add(1, std::memory_order_relaxed);
    return Error{ErrorCode::kTransport, "node " + std::to_string(to) + " was removed"};
  }
  try {
    if (!peer->dealer) {
      peer->dealer = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::dealer);
      if (options_.curve) SetupCurveClient(*peer->dealer);
      peer->dealer->set(zmq::sockopt::sndhwm, options_.sndhwm);
      peer->dealer->set(zmq::sockopt::linger, options_.linger_ms);
      peer->dealer->connect(peer->address);
    }
    zmq::socket_t& s = *peer->dealer;
    for (size_t i = 0; i < frames.size(); ++i) {
      zmq::send_flags flags = zmq::send_flags::dontwait;
      if (i + 1 < frames.size()) flags = flags | zmq::send_flags::sndmore;
      for (;;) {
        if (s.send(frames[i], flags)) break;
        if (dontwait && i == 0) {
          return Error{ErrorCode::kBackpressure,
                       "socket queue to node " + std::to_string(to) + " is full"};
        }
        // EAGAIN: the socket queue is at its high-water mark (or not yet
        // connected). Only the first frame can block; wait for room.
        backpressure_waits_.fetch_add(1, std::memory_order_relaxed);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || stop_.load() || peer->closed.load()) {
          send_failures_.fetch_add(1, std::memory_order_relaxed);
          return Error{ErrorCode::kBackpressure, "cannot queue a message to node " +
                                                     std::to_string(to) + " at " + peer->address +
                                                     " within the send timeout"};
        }
        zmq::pollitem_t item{s.handle(), 0, ZMQ_POLLOUT, 0};
        zmq::poll(&item, 1,
                  std::min<std::chrono::milliseconds>(left, std::chrono::milliseconds(100)));
      }
    }
  } catch (const zmq::error_t& e) {
    send_failures_.fetch_add(1, std::memory_order_relaxed);
    return Error{ErrorCode::kTransport,
                 std::string("send to node ") + std::to_string(to) + " failed: " + e.what()};
  }
  sent_.fetch_add(1, std::memory_order_relaxed);
  bytes_sent_.fetch_add(wire, std::memory_order_relaxed);
  return OkStatus();
}

void Transport::Loop() {
  pthread_setname_np(pthread_self(), "olsgd-io");
  zmq::pollitem_t items[4] = {{router_->handle(), 0, ZMQ_POLLIN, 0},
                              {nullptr, wake_fd_, ZMQ_POLLIN, 0},
                              {zap_ ? zap_->handle() : nullptr, 0, ZMQ_POLLIN, 0},
                              {monitor_ ? monitor_->handle() : nullptr, 0, ZMQ_POLLIN, 0}};
  const int n_items = zap_ ? 4 : 2;
  const auto interval = options_.tick_interval;
  auto next_tick = std::chrono::steady_clock::now() + interval;
  bool backlog = false;
  while (!stop_.load(std::memory_order_acquire)) {
    auto timeout = std::chrono::milliseconds(-1);
    if (tick_ && interval.count() > 0) {
      auto left = next_tick - std::chrono::steady_clock::now();
      timeout = std::max(std::chrono::milliseconds(0),
                         std::chrono::ceil<std::chrono::milliseconds>(left));
    }
    try {
      zmq::poll(items, n_items, timeout);
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      Log().error("I/O thread: poll failed: {}", e.what());
      break;
    }
    if (items[1].revents & ZMQ_POLLIN) {
      uint64_t v;
      ssize_t n = read(wake_fd_, &v, sizeof v);
      (void)n;
    }
    if (n_items == 4 && (items[2].revents & ZMQ_POLLIN)) zap_->Serve();
    if (n_items == 4 && (items[3].revents & ZMQ_POLLIN)) ReadMonitor();
    if (items[0].revents & ZMQ_POLLIN) {
      backlog = Drain();
      if (drained_) drained_();
    }
    if (tick_ && interval.count() > 0 && std::chrono::steady_clock::now() >= next_tick) {
      next_tick = std::chrono::steady_clock::now() + interval;
      tick_(backlog);
    }
  }
  router_->close();
  router_.reset();
  if (monitor_) {
    monitor_->close();
    monitor_.reset();
  }
  if (zap_) zap_->Close();
}

void Transport::ReadMonitor() {
  for (;;) {
    zmq::message_t event, address;
    try {
      if (!monitor_->recv(event, zmq::recv_flags::dontwait)) return;
      if (!event.more() || !monitor_->recv(address, zmq::recv_flags::none)) continue;
    } catch (const zmq::error_t& e) {
      Log().error("I/O thread: socket monitor failed: {}", e.what());
      return;
    }
    if (event.size() < 6) continue;
    uint32_t value;
    std::memcpy(&value, static_cast<const char*>(event.data()) + 2, sizeof value);
    uint64_t n = handshake_failures_.fetch_add(1, std::memory_order_relaxed) + 1;
    const char* why = value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
                          ? "a peer without CURVE (plaintext) connected"
                          : "a CURVE handshake failed (wrong server key or corrupt data)";
    // The first one at warn; a peer retrying every 100 ms would flood the log.
    if (n == 1 || n % 1000 == 0) {
      Log().warn("{} on {} (error 0x{:x}; {} so far): missing or wrong cluster key?", why,
                 address.to_string(), value, n);
    } else {
      Log().debug("{} on {} (error 0x{:x})", why, address.to_string(), value);
    }
  }
}

bool Transport::Drain() {
  // One vector for every message: DecodeMessage moves the frames out and
  // leaves the storage here, so a message costs no vector allocation.
  std::vector<zmq::message_t>& frames = frames_;
  for (int budget = 0; budget < kDrainBudget; ++budget) {
    if (stop_.load(std::memory_order_relaxed)) return false;
    frames.clear();
    zmq::message_t identity;
    try {
      if (!router_->recv(identity, zmq::recv_flags::dontwait)) return false;
      // The rest of a multipart message is already there (atomic delivery).
      bool more = identity.more();
      while (more) {
        zmq::message_t f;
        if (!router_->recv(f, zmq::recv_flags::none)) break;
        more = f.more();
        frames.push_back(std::move(f));
      }
    } catch (const zmq::error_t& e) {
      Log().error("I/O thread: receive failed: {}", e.what());
      return false;
    }
    uint64_t bytes = 0;
    for (const auto& f : frames) bytes += f.size();
    received_.fetch_add(1, std::memory_order_relaxed);
    bytes_received_.fetch_add(bytes, std::memory_order_relaxed);
    Result<WireMessage> m = DecodeMessage(std::move(frames));
    frames.clear();
    if (!m.ok()) {
      decode_errors_.fetch_add(1, std::memory_order_relaxed);
      Log().warn("rejected a message ({} bytes): {}", bytes, m.error().message);
      continue;
    }
    try {
      handler_(m.value());
    } catch (const std::exception& e) {
      decode_errors_.fetch_add(1, std::memory_order_relaxed);
      Log().error("I/O thread: handling a {} message failed: {}", MsgTypeName(m->type), e.what());
    }
  }
  return true;
}

void Transport::Stop() {
  if (stopped_) return;
  stopped_ = true;
  stop_.store(true, std::memory_order_release);
  if (io_thread_.joinable()) {
    uint64_t one = 1;
    ssize_t n = write(wake_fd_, &one, sizeof one);
    (void)n;
    io_thread_.join();
  }
  if (wake_fd_ >= 0) {
    close(wake_fd_);
    wake_fd_ = -1;
  }
  {
    WriterMutexLock lock(peers_mu_);
    for (auto& [id, p] : peers_) {
      MutexLock plock(p->mu);
      if (p->dealer) {
        p->dealer->close();
        p->dealer.reset();
      }
    }
    peers_.clear();
  }
  router_.reset();
  if (zap_) zap_->Close();  // the object stays for stats()
  ctx_.close();
}

TransportStats Transport::stats() const {
  TransportStats s;
  s.messages_sent = sent_.load();
  s.messages_received = received_.load();
  s.bytes_sent = bytes_sent_.load();
  s.bytes_received = bytes_received_.load();
  s.decode_errors = decode_errors_.load();
  s.undeliverable = undeliverable_.load();
  s.send_failures = send_failures_.load();
  s.backpressure_waits = backpressure_waits_.load();
  if (zap_) s.auth_refused = zap_->refused();
  s.handshake_failures = handshake_failures_.load();
  ReaderMutexLock lock(peers_mu_);
  for (const auto& [id, p] : peers_) s.outgoing_bytes_in_flight += p->budget->in_flight.load();
  return s;
}

}  // namespace olsgd::rt::detail
