// Runtime: the network side. Joining the head, leaving, system calls, the
// dispatch of messages from other nodes, remote spawn (system messages:
// runtime_system.cc; tells, calls and replies: delivery.cc).
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
        if (heartbeats_.on()) heartbeats_.Heard(m.src_node, Clock::now());
        OnWire(m);
      },
      [this] {
        detail::CurrentScheduleBatch() = nullptr;
        io_batch_.Flush();
      },
      [this](bool backlog) { HeartbeatTick(backlog); });
  delivery_.set_transport(transport_.get());
  Status s = transport_->Start();
  if (!s.ok()) {
    delivery_.set_transport(nullptr);
    transport_.reset();
    throw ErrorException(s.error());
  }
  if (options_.join.empty()) {
    membership_.set_self_name(options_.node_name.empty() ? "head" : options_.node_name);
    membership_.Add(NodeInfo{kHeadNode, node_name(), transport_->advertised(), options_.slots,
                             options_.labels});
    Log().info("head {} listening on {}{}", node_name(), transport_->advertised(),
               sec.curve ? " (CURVE)" : "");
    heartbeats_.set_on(hb.interval.count() > 0);
    return;
  }
  membership_.set_self_id(kNoNode);
  transport_->SetPeer(kHeadNode, options_.join);
  NodeInfo me{kNoNode, options_.node_name, transport_->advertised(), options_.slots,
              options_.labels};
  auto r = SystemCall(kHeadNode, MsgType::kJoin, Pack(me), {}, options_.join_timeout);
  Error err;
  if (r.ok()) {
    try {
      std::tuple<NodeId, std::vector<NodeInfo>> reply;
      (*r)->body.convert(reply);
      NodeId id = std::get<0>(reply);
      for (const auto& n : std::get<1>(reply)) {
        if (n.id == id) membership_.set_self_name(n.name);
      }
      membership_.set_self_id(id);
      ApplyNodeTable(std::get<1>(reply));
      Log().info("node {} (id {}) joined {} listening on {}", node_name(), id, options_.join,
                 transport_->advertised());
      heartbeats_.set_on(hb.interval.count() > 0);
      return;
    } catch (const std::exception& e) {
      err = Error{ErrorCode::kDecode, std::string("malformed join reply: ") + e.what()};
    }
  } else {
    err = r.error();
    if (err.code == ErrorCode::kTimeout) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.1f", options_.join_timeout.count() / 1000.0);
      err.message =
          std::string("the head did not answer within ") + secs +
          " s; a missing or wrong cluster key is a likely cause (the head runs with CURVE and this "
          "node " +
          (sec.curve ? "has a different key" : "has no key: set cluster.key_dir / --key-dir") +
          "), or no head is listening at that address";
    }
  }
  transport_->RemovePeer(kHeadNode);  // drop the unsent join at once (no linger)
  transport_->Stop();
  delivery_.set_transport(nullptr);
  transport_.reset();
  err.message = "cannot join " + options_.join + ": " + err.message;
  throw ErrorException(err);
}

void Runtime::ShutdownNetwork() {
  std::vector<NodeId> peers = membership_.Others();
  // Tell the cluster we leave: workers tell the head, the head tells everyone.
  WireHeader h{MsgType::kLeave, node_id(), ActorId(node_id(), 0), ActorId(), "", 0};
  msgpack::sbuffer body = Pack(std::string("left"));
  for (NodeId p : peers) {
    if (is_head() || p == kHeadNode) (void)transport_->Send(p, h, body, {});
  }
  transport_->Stop();
}

Result<std::shared_ptr<WireMessage>> Runtime::SystemCall(NodeId node, MsgType type,
                                                         const msgpack::sbuffer& body,
                                                         std::vector<Tensor> tensors,
                                                         std::chrono::milliseconds timeout) {
  if (!transport_) return Error{ErrorCode::kTransport, "this runtime is embedded (no network)"};
  Promise<std::shared_ptr<WireMessage>> p(executor_);
  auto f = p.future();
  uint64_t req = pending_.Add(node, [p = std::move(p)](Result<WireMessage*> r) mutable {
    if (!r.ok()) {
      p.SetError(r.error());
    } else {
      p.Set(std::make_shared<WireMessage>(std::move(*r.value())));
    }
  });
  WireHeader h{type, node_id(), ActorId(node_id(), 0), ActorId(node, 0), "", req};
  Status s = transport_->Send(node, h, body, tensors);
  if (!s.ok()) {
    pending_.Fail(req, s.error());
  }
  auto r = f.Get(timeout);
  if (!r.ok()) {
    pending_.Fail(req, r.error());
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

void Runtime::OnWire(WireMessage& m) {
  switch (m.type) {
    case MsgType::kTell:
    case MsgType::kCall:
      delivery_.DeliverWire(m);
      return;
    case MsgType::kReply:
    case MsgType::kReplyError:
      delivery_.RouteReply(m);
      return;
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
      if (!heartbeats_.on() && m.src_node != kNoNode) {
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
  Result<NodeId> node = membership_.ByName(options.node);
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
    if (a.type != msgpack::type::ARRAY || a.via.array.size != 6)
      throw std::runtime_error("spawn body is not [6]");
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
      ReplyWire(m, Error{ErrorCode::kNotFound, "actor type '" + type_name +
                                                   "' is not registered on node " + node_name() +
                                                   " (rt::RegisterActorType)"});
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
