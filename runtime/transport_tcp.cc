#include "runtime/transport_tcp.h"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <vector>

#include "runtime/log.h"

namespace olsgd::rt::detail {

Transport::Transport(Options options, Handler handler, DrainedHook drained)
    : options_(std::move(options)), handler_(std::move(handler)), drained_(std::move(drained)), ctx_(1) {}

Transport::~Transport() { Stop(); }

Status Transport::Start() {
  try {
    router_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::router);
    router_->set(zmq::sockopt::router_mandatory, 1);
    router_->set(zmq::sockopt::rcvhwm, options_.rcvhwm);
    router_->set(zmq::sockopt::linger, 0);
    router_->bind(options_.listen);
    endpoint_ = router_->get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    router_.reset();
    return Error{ErrorCode::kTransport, "cannot bind " + options_.listen + ": " + e.what()};
  }
  advertised_ = options_.advertise;
  if (advertised_.empty()) {
    advertised_ = endpoint_;
    auto pos = advertised_.find("0.0.0.0");
    if (pos != std::string::npos) {
      advertised_.replace(pos, 7, "127.0.0.1");
      Log().warn("listening on {} without an advertised address; peers will dial {}", endpoint_, advertised_);
    }
  }
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Error{ErrorCode::kTransport, "eventfd failed"};
  io_thread_ = std::thread([this] { Loop(); });
  return OkStatus();
}

void Transport::SetPeer(NodeId id, const std::string& address) {
  std::unique_lock lock(peers_mu_);
  auto& p = peers_[id];
  if (p && p->address == address) return;
  p = std::make_shared<Peer>();
  p->address = address;
}

bool Transport::HasPeer(NodeId id) const {
  std::shared_lock lock(peers_mu_);
  return peers_.count(id) > 0;
}

void Transport::RemovePeer(NodeId id) {
  std::shared_ptr<Peer> p;
  {
    std::unique_lock lock(peers_mu_);
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    p = it->second;
    peers_.erase(it);
  }
  std::lock_guard lock(p->mu);
  if (p->dealer) {
    p->dealer->set(zmq::sockopt::linger, 0);
    p->dealer->close();
    p->dealer.reset();
  }
}

Status Transport::Send(NodeId to, const WireHeader& h, const msgpack::sbuffer& body,
                       const std::vector<Tensor>& tensors) {
  std::shared_ptr<Peer> peer;
  {
    std::shared_lock lock(peers_mu_);
    auto it = peers_.find(to);
    if (it != peers_.end()) peer = it->second;
  }
  if (!peer || stop_.load(std::memory_order_acquire)) {
    send_failures_.fetch_add(1, std::memory_order_relaxed);
    return Error{ErrorCode::kTransport, peer ? "transport stopped" : "unknown node " + std::to_string(to)};
  }
  auto deadline = std::chrono::steady_clock::now() + options_.send_timeout;
  // Backpressure: wait until this message fits in the peer's outgoing budget
  // (a single message bigger than the budget goes alone).
  int64_t bytes = static_cast<int64_t>(body.size());
  for (const auto& t : tensors) bytes += static_cast<int64_t>(t.size_bytes());
  const int64_t max = static_cast<int64_t>(options_.max_outgoing_bytes_per_peer);
  FrameBudget& budget = *peer->budget;
  if (budget.in_flight.load(std::memory_order_acquire) + bytes > max) {
    backpressure_waits_.fetch_add(1, std::memory_order_relaxed);
    std::unique_lock lock(budget.mu);
    bool ok = budget.cv.wait_until(lock, deadline, [&] {
      int64_t f = budget.in_flight.load(std::memory_order_acquire);
      return f == 0 || f + bytes <= max || stop_.load();
    });
    if (!ok) {
      send_failures_.fetch_add(1, std::memory_order_relaxed);
      return Error{ErrorCode::kBackpressure, "outgoing queue to node " + std::to_string(to) + " stayed full for " +
                                                 std::to_string(options_.send_timeout.count()) + " ms"};
    }
  }
  std::vector<zmq::message_t> frames = EncodeMessage(h, body, tensors, peer->budget);
  uint64_t wire = 0;
  for (const auto& f : frames) wire += f.size();

  std::lock_guard lock(peer->mu);
  try {
    if (!peer->dealer) {
      peer->dealer = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::dealer);
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
        // EAGAIN: the socket queue is at its high-water mark (or not yet
        // connected). Only the first frame can block; wait for room.
        backpressure_waits_.fetch_add(1, std::memory_order_relaxed);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || stop_.load()) {
          send_failures_.fetch_add(1, std::memory_order_relaxed);
          return Error{ErrorCode::kBackpressure, "cannot queue a message to node " + std::to_string(to) + " at " +
                                                     peer->address + " within the send timeout"};
        }
        zmq::pollitem_t item{s.handle(), 0, ZMQ_POLLOUT, 0};
        zmq::poll(&item, 1, std::min<std::chrono::milliseconds>(left, std::chrono::milliseconds(100)));
      }
    }
  } catch (const zmq::error_t& e) {
    send_failures_.fetch_add(1, std::memory_order_relaxed);
    return Error{ErrorCode::kTransport, std::string("send to node ") + std::to_string(to) + " failed: " + e.what()};
  }
  sent_.fetch_add(1, std::memory_order_relaxed);
  bytes_sent_.fetch_add(wire, std::memory_order_relaxed);
  return OkStatus();
}

void Transport::Loop() {
  pthread_setname_np(pthread_self(), "olsgd-io");
  zmq::pollitem_t items[2] = {{router_->handle(), 0, ZMQ_POLLIN, 0}, {nullptr, wake_fd_, ZMQ_POLLIN, 0}};
  while (!stop_.load(std::memory_order_acquire)) {
    try {
      zmq::poll(items, 2, std::chrono::milliseconds(-1));
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
    if (items[0].revents & ZMQ_POLLIN) {
      Drain();
      if (drained_) drained_();
    }
  }
  router_->close();
  router_.reset();
}

void Transport::Drain() {
  // One vector for every message: DecodeMessage moves the frames out and
  // leaves the storage here, so a message costs no vector allocation.
  std::vector<zmq::message_t>& frames = frames_;
  for (int budget = 0; budget < kDrainBudget && !stop_.load(std::memory_order_relaxed); ++budget) {
    frames.clear();
    zmq::message_t identity;
    try {
      if (!router_->recv(identity, zmq::recv_flags::dontwait)) return;
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
      return;
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
    std::unique_lock lock(peers_mu_);
    for (auto& [id, p] : peers_) {
      std::lock_guard plock(p->mu);
      if (p->dealer) {
        p->dealer->close();
        p->dealer.reset();
      }
    }
    peers_.clear();
  }
  router_.reset();
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
  std::shared_lock lock(peers_mu_);
  for (const auto& [id, p] : peers_) s.outgoing_bytes_in_flight += p->budget->in_flight.load();
  return s;
}

}  // namespace olsgd::rt::detail
