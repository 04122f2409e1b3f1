// Runtime: the network side. Joining the head, system calls,
// remote tells/calls/replies, remote spawn (system messages: runtime_system.cc).
#include <cstdio>
#include <set>
#include <thread>

#include "runtime/directory.h"
#include "runtime/log.h"
#include "runtime/runtime.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt {

using detail::MsgType;
using detail::WireHeader;
using detail::WireMessage;

namespace {

// A Tell or Call that arrived from another node, dispatched by method name.
class RemoteMessage final : public detail::Message {
 public:
  explicit RemoteMessage(WireMessage m, std::function<void(const WireMessage&, Result<detail::WirePayload>)> reply)
      : m_(std::move(m)), reply_(std::move(reply)) {
    sender = m_.src;
    bytes = m_.wire_bytes;
  }
  bool Run(detail::ActorCell& cell) override {
    const detail::RemoteInvoker* inv = cell.finder() ? cell.finder()(m_.method) : nullptr;
    if (!inv) {
      Log().warn("actor {} ({}) has no method '{}'", cell.name(), cell.type_name(), m_.method);
      if (m_.type == MsgType::kCall) {
        reply_(m_, Error{ErrorCode::kUnknownMethod, cell.type_name() + " has no method '" + m_.method + "'"});
      }
      replied_ = true;
      return true;
    }
    detail::RemoteReplySink sink;
    if (m_.type == MsgType::kCall) {
      sink = [m = m_, reply = reply_](Result<detail::WirePayload> r) mutable { reply(m, std::move(r)); };
    }
    replied_ = true;
    return (*inv)(*cell.actor(), m_.body, m_.tensors, std::move(sink));
  }
  void Reject(const Error& e) override {
    if (!replied_ && m_.type == MsgType::kCall) reply_(m_, e);
    replied_ = true;
  }

 private:
  WireMessage m_;
  std::function<void(const WireMessage&, Result<detail::WirePayload>)> reply_;
  bool replied_ = false;
};

template <class T>
msgpack::sbuffer Pack(const T& v) {
  msgpack::sbuffer b;
  msgpack::pack(b, v);
  return b;
}

}  // namespace

void Runtime::StartNetwork() {
  detail::Transport::Options to;
  to.listen = options_.listen.empty() ? "tcp://127.0.0.1:0" : options_.listen;
  to.advertise = options_.advertise;
  to.sndhwm = options_.sndhwm;
  to.rcvhwm = options_.rcvhwm;
  to.linger_ms = options_.linger_ms;
  to.max_outgoing_bytes_per_peer = options_.max_outgoing_bytes_per_peer;
  to.send_timeout = options_.send_timeout;
  const SecurityOptions& sec = options_.security;
  if (sec.curve) {
    to.curve = true;
    to.curve_public_key = sec.public_key;
    to.curve_secret_key = sec.secret_key;
    to.curve_server_key = sec.server_key.empty() ? sec.public_key : sec.server_key;
    std::set<std::string> allowed(sec.authorized_keys.begin(), sec.authorized_keys.end());
    allowed.insert(sec.public_key);
    to.authorize = [allowed = std::move(allowed), extra = sec.authorize](const std::string& key) {
      return allowed.count(key) > 0 && (!extra || extra(key));
    };
  }
  const HeartbeatOptions& hb = options_.heartbeat;
  if (hb.interval.count() > 0) {
    if (hb.timeout <= hb.interval) {
      throw ErrorException(Error{ErrorCode::kInvalidArgument,
                                 "heartbeat.timeout (" + std::to_string(hb.timeout.count()) +
                                     " ms) must be longer than heartbeat.interval (" +
                                     std::to_string(hb.interval.count()) + " ms)"});
    }
    to.tick_interval = hb.interval;
  }
  transport_ = std::make_unique<detail::Transport>(
      to,
      [this](WireMessage& m) {
        detail::RuntimeScope rs(this);
        detail::CurrentScheduleBatch() = &io_batch_;
        if (heartbeats_on_.load(std::memory_order_relaxed)) last_heard_[m.src_node] = Clock::now();
        OnWire(m);
      },
      [this] {
        detail::CurrentScheduleBatch() = nullptr;
        io_batch_.Flush();
      },
      [this](bool backlog) { HeartbeatTick(backlog); });
  Status s = transport_->Start();
  if (!s.ok()) {
    transport_.reset();
    throw ErrorException(s.error());
  }
  if (options_.join.empty()) {
    node_name_ = options_.node_name.empty() ? "head" : options_.node_name;
    std::lock_guard lock(nodes_mu_);
    nodes_[kHeadNode] = NodeInfo{kHeadNode, node_name_, transport_->advertised(), options_.slots, options_.labels};
    Log().info("head {} listening on {}{}", node_name_, transport_->advertised(), sec.curve ? " (CURVE)" : "");
    heartbeats_on_.store(hb.interval.count() > 0);
    return;
  }
  node_id_.store(kNoNode);
  transport_->SetPeer(kHeadNode, options_.join);
  NodeInfo me{kNoNode, options_.node_name, transport_->advertised(), options_.slots, options_.labels};
  auto r = SystemCall(kHeadNode, MsgType::kJoin, Pack(me), {}, options_.join_timeout);
  Error err;
  if (r.ok()) {
    try {
      std::tuple<NodeId, std::vector<NodeInfo>> reply;
      (*r)->body.convert(reply);
      NodeId id = std::get<0>(reply);
      for (const auto& n : std::get<1>(reply)) {
        if (n.id == id) node_name_ = n.name;
      }
      node_id_.store(id, std::memory_order_release);
      ApplyNodeTable(std::get<1>(reply));
      Log().info("node {} (id {}) joined {} listening on {}", node_name_, id, options_.join, transport_->advertised());
      heartbeats_on_.store(hb.interval.count() > 0);
      return;
    } catch (const std::exception& e) {
      err = Error{ErrorCode::kDecode, std::string("malformed join reply: ") + e.what()};
    }
  } else {
    err = r.error();
    if (err.code == ErrorCode::kTimeout) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.1f", options_.join_timeout.count() / 1000.0);
      err.message = std::string("the head did not answer within ") + secs +
                    " s; a missing or wrong cluster key is a likely cause (the head runs with CURVE and this node " +
                    (sec.curve ? "has a different key" : "has no key: set cluster.key_dir / --key-dir") +
                    "), or no head is listening at that address";
    }
  }
  transport_->RemovePeer(kHeadNode);  // drop the unsent join at once (no linger)
  transport_->Stop();
  transport_.reset();
  err.message = "cannot join " + options_.join + ": " + err.message;
  throw ErrorException(err);
}

void Runtime::ShutdownNetwork() {
  std::vector<NodeId> peers;
  {
    std::lock_guard lock(nodes_mu_);
    for (const auto& [id, n] : nodes_) {
      if (id != node_id()) peers.push_back(id);
    }
  }
  // Tell the cluster we leave: workers tell the head, the head tells everyone.
  WireHeader h{MsgType::kLeave, node_id(), ActorId(node_id(), 0), ActorId(), "", 0};
  msgpack::sbuffer body = Pack(std::string("left"));
  for (NodeId p : peers) {
    if (is_head() || p == kHeadNode) (void)transport_->Send(p, h, body, {});
  }
  transport_->Stop();
}

uint64_t Runtime::AddPending(NodeId node, ReplyHandler h) {
  uint64_t id = next_request_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(pending_mu_);
  pending_.emplace(id, Pending{node, std::move(h)});
  return id;
}

void Runtime::FailPending(uint64_t request_id, Error e) {
  ReplyHandler h;
  {
    std::lock_guard lock(pending_mu_);
    auto it = pending_.find(request_id);
    if (it == pending_.end()) return;
    h = std::move(it->second.handler);
    pending_.erase(it);
  }
  h(std::move(e));
}

Result<std::shared_ptr<WireMessage>> Runtime::SystemCall(NodeId node, MsgType type, const msgpack::sbuffer& body,
                                                         std::vector<Tensor> tensors,
                                                         std::chrono::milliseconds timeout) {
  if (!transport_) return Error{ErrorCode::kTransport, "this runtime is embedded (no network)"};
  Promise<std::shared_ptr<WireMessage>> p;
  auto f = p.future();
  uint64_t req = AddPending(node, [p = std::move(p)](Result<WireMessage*> r) mutable {
    if (!r.ok()) {
      p.SetError(r.error());
    } else {
      p.Set(std::make_shared<WireMessage>(std::move(*r.value())));
    }
  });
  WireHeader h{type, node_id(), ActorId(node_id(), 0), ActorId(node, 0), "", req};
  Status s = transport_->Send(node, h, body, tensors);
  if (!s.ok()) {
    FailPending(req, s.error());
  }
  auto r = f.Get(timeout);
  if (!r.ok()) {
    FailPending(req, r.error());
    return r.error();
  }
  std::shared_ptr<WireMessage> m = *r;
  if (m->type == MsgType::kReplyError) {
    Error e;
    try {
      m->body.convert(e);
    } catch (const std::exception&) {
      e = Error{ErrorCode::kDecode, "malformed error reply"};
    }
    return e;
  }
  return m;
}

Status Runtime::SendRemote(ActorId to, uint8_t type, const std::string& method, uint64_t request_id,
                           const msgpack::sbuffer& body, std::vector<Tensor> tensors) {
  if (!transport_) {
    return Error{ErrorCode::kTransport, "actor " + to.ToString() + " is on another node, but this runtime is embedded"};
  }
  if (shutting_down()) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
  uint64_t bytes = body.size();
  for (const auto& t : tensors) bytes += t.size_bytes();
  if (auto* c = detail::CurrentCell(); c && c->runtime() == this) {
    c->counters().Add(c->counters().messages_out, 1);
    c->counters().Add(c->counters().bytes_out, bytes);
  }
  WireHeader h{static_cast<MsgType>(type), node_id(), CurrentSender(), to, method, request_id};
  return SendWire(to.node(), h, body, std::move(tensors), bytes);
}

Status Runtime::SendWire(NodeId node, const WireHeader& h, const msgpack::sbuffer& body, std::vector<Tensor> tensors,
                         uint64_t payload_bytes) {
  if (!transport_->HasPeer(node)) {
    if (auto lost = LostNodeError(node)) {
      transport_->CountUndeliverable();
      return *lost;
    }
    // A node we have not heard of yet: ask the head for the current table.
    if (!is_head() && node != kNoNode) {
      auto r = SystemCall(kHeadNode, MsgType::kNodeTable, Pack(msgpack::type::nil_t()), {}, std::chrono::milliseconds(5000));
      if (r.ok()) {
        try {
          ApplyNodeTable((*r)->body.as<std::vector<NodeInfo>>());
        } catch (const std::exception&) {
        }
      }
    }
    if (!transport_->HasPeer(node)) {
      transport_->CountUndeliverable();
      if (auto lost = LostNodeError(node)) return *lost;
      return Error{ErrorCode::kTransport, "unknown node " + std::to_string(node)};
    }
  }
  if (links_.active() && h.src != h.dst) {
    std::string from_name, to_name, from_node, to_node;
    LinkEndpoint a = EndpointOf(h.src, &from_name);
    LinkEndpoint b = EndpointOf(h.dst, &to_name);
    {
      std::lock_guard lock(nodes_mu_);
      if (auto it = nodes_.find(h.src.node()); it != nodes_.end()) from_node = it->second.name;
      if (auto it = nodes_.find(h.dst.node()); it != nodes_.end()) to_node = it->second.name;
    }
    a.node_name = from_node;
    b.node_name = to_node;
    if (auto release = links_.Release(a, b, payload_bytes, Clock::now())) {
      struct Delayed {
        WireHeader h;
        std::string method;
        msgpack::sbuffer body;
        std::vector<Tensor> tensors;
      };
      auto d = std::make_shared<Delayed>();
      d->h = h;
      d->method = std::string(h.method);
      d->body.write(body.data(), body.size());
      d->tensors = std::move(tensors);
      TimerId t = timers_->Schedule(*release, [this, node, d] {
        d->h.method = d->method;
        Status s = transport_->Send(node, d->h, d->body, d->tensors);
        if (!s.ok()) {
          Log().warn("delayed message to node {} failed: {}", node, s.error().message);
          if (d->h.type == MsgType::kCall) FailPending(d->h.request_id, s.error());
        }
      });
      if (t == 0) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
      return OkStatus();
    }
  }
  return transport_->Send(node, h, body, tensors);
}

void Runtime::ReplyWire(const WireMessage& req, Result<detail::WirePayload> r) {
  if (!transport_) return;
  msgpack::sbuffer body;
  std::vector<Tensor> tensors;
  WireHeader h{r.ok() ? MsgType::kReply : MsgType::kReplyError, node_id(), req.dst, req.src, "", req.request_id};
  if (r.ok()) {
    body = std::move(r.value().body);
    tensors = std::move(r.value().tensors);
  } else {
    msgpack::pack(body, r.error());
  }
  uint64_t bytes = body.size();
  for (const auto& t : tensors) bytes += t.size_bytes();
  if (auto* c = detail::CurrentCell(); c && c->runtime() == this) {
    c->counters().Add(c->counters().messages_out, 1);
    c->counters().Add(c->counters().bytes_out, bytes);
  }
  Status s = SendWire(req.src_node, h, body, std::move(tensors), bytes);
  if (!s.ok()) Log().warn("reply to node {} failed: {}", req.src_node, s.error().message);
}

void Runtime::OnWire(WireMessage& m) {
  switch (m.type) {
    case MsgType::kTell:
    case MsgType::kCall: {
      std::shared_ptr<detail::ActorCell> cell = m.dst.node() == node_id() ? FindCell(m.dst) : nullptr;
      if (!cell) {
        transport_->CountUndeliverable();
        Log().warn("message '{}' for unknown actor {} from node {} dropped", m.method, m.dst.ToString(), m.src_node);
        if (m.type == MsgType::kCall) {
          ReplyWire(m, Error{ErrorCode::kActorStopped, "no actor " + m.dst.ToString() + " on node " + node_name_});
        }
        return;
      }
      cell->Enqueue(std::make_unique<RemoteMessage>(
          std::move(m), [this](const WireMessage& req, Result<detail::WirePayload> r) { ReplyWire(req, std::move(r)); }));
      return;
    }
    case MsgType::kReply:
    case MsgType::kReplyError: {
      ReplyHandler h;
      {
        std::lock_guard lock(pending_mu_);
        auto it = pending_.find(m.request_id);
        if (it != pending_.end()) {
          h = std::move(it->second.handler);
          pending_.erase(it);
        }
      }
      if (!h) {
        transport_->CountUndeliverable();
        Log().debug("reply for unknown request {} from node {} dropped", m.request_id, m.src_node);
        return;
      }
      h(&m);
      return;
    }
    case MsgType::kSpawn: {
      auto shared = std::make_shared<WireMessage>(std::move(m));
      if (!Post([this, shared] { HandleRemoteSpawn(std::move(*shared)); })) {
        ReplyWire(*shared, Error{ErrorCode::kShutdown, "node is shutting down"});
      }
      return;
    }
    case MsgType::kHeartbeat:
      // The I/O thread's handler noted the sign of life. A node whose own
      // heartbeats are off answers, so a peer that has them on does not
      // declare it lost.
      if (!heartbeats_on_.load(std::memory_order_relaxed) && m.src_node != kNoNode) {
        WireHeader h{MsgType::kHeartbeat, node_id(), ActorId(node_id(), 0), ActorId(), "", 0};
        (void)transport_->Send(m.src_node, h, Pack(msgpack::type::nil_t()), {}, /*dontwait=*/true);
      }
      return;
    default:
      HandleSystem(m);
  }
}

Result<ActorId> Runtime::SpawnRemote(const SpawnOptions& options, const std::string& type_name,
                                     const msgpack::sbuffer& args, std::vector<Tensor> tensors) {
  Result<NodeId> node = NodeByName(options.node);
  if (!node.ok()) return node.error();
  if (*node == node_id()) return Error{ErrorCode::kInvalidArgument, "SpawnRemote to this node"};
  msgpack::sbuffer body;
  msgpack::packer<msgpack::sbuffer> p(body);
  p.pack_array(6);
  p.pack(type_name);
  p.pack(options.name);
  p.pack(options.dedicated_thread);
  p.pack(static_cast<int>(options.restart.kind));
  p.pack(options.restart.max_restarts);
  body.write(args.data(), args.size());
  auto r = SystemCall(*node, MsgType::kSpawn, body, std::move(tensors), options.timeout);
  if (!r.ok()) return r.error();
  try {
    return (*r)->body.as<ActorId>();
  } catch (const std::exception& e) {
    return Error{ErrorCode::kDecode, std::string("malformed spawn reply: ") + e.what()};
  }
}

void Runtime::HandleRemoteSpawn(WireMessage m) {
  try {
    const auto& a = m.body;
    if (a.type != msgpack::type::ARRAY || a.via.array.size != 6) throw std::runtime_error("spawn body is not [6]");
    auto type_name = a.via.array.ptr[0].as<std::string>();
    SpawnOptions o;
    o.name = a.via.array.ptr[1].as<std::string>();
    o.dedicated_thread = a.via.array.ptr[2].as<bool>();
    int kind = a.via.array.ptr[3].as<int>();
    if (kind < 0 || kind > 2) throw std::runtime_error("bad restart policy");
    o.restart.kind = static_cast<RestartPolicy::Kind>(kind);
    o.restart.max_restarts = a.via.array.ptr[4].as<int>();
    const ActorTypeRegistry::SpawnFn* fn = ActorTypeRegistry::Global().Find(type_name);
    if (!fn) {
      ReplyWire(m, Error{ErrorCode::kNotFound, "actor type '" + type_name + "' is not registered on node " +
                                                   node_name_ + " (rt::RegisterActorType)"});
      return;
    }
    Result<ActorId> id = (*fn)(*this, o, a.via.array.ptr[5], m.tensors);
    if (!id.ok()) {
      ReplyWire(m, id.error());
      return;
    }
    detail::WirePayload p;
    msgpack::pack(p.body, *id);
    ReplyWire(m, std::move(p));
  } catch (const std::exception& e) {
    ReplyWire(m, Error{ErrorCode::kDecode, std::string("malformed spawn request: ") + e.what()});
  }
}

}  // namespace olsgd::rt
