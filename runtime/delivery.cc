#include "runtime/delivery.h"

#include "runtime/log.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt::detail {

namespace {

// A Tell or Call that arrived from another node, dispatched by method name.
class RemoteMessage final : public Message {
 public:
  using Reply = std::function<void(const WireMessage&, Result<WirePayload>)>;
  RemoteMessage(WireMessage m, Reply reply) : m_(std::move(m)), reply_(std::move(reply)) {
    sender = m_.src;
    bytes = m_.wire_bytes;
  }
  bool Run(ActorCell& cell) override {
    const RemoteInvoker* inv = cell.finder() ? cell.finder()(m_.method) : nullptr;
    if (!inv) {
      Log().warn("actor {} ({}) has no method '{}'", cell.name(), cell.type_name(), m_.method);
      if (m_.type == MsgType::kCall) {
        reply_(m_, Error{ErrorCode::kUnknownMethod,
                         cell.type_name() + " has no method '" + m_.method + "'"});
      }
      replied_ = true;
      return true;
    }
    RemoteReplySink sink;
    if (m_.type == MsgType::kCall) {
      sink = [m = m_, reply = reply_](Result<WirePayload> r) mutable { reply(m, std::move(r)); };
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
  Reply reply_;
  bool replied_ = false;
};

// Counts a message the current actor sends, if it is one of `rt`'s.
void CountOut(const Runtime* rt, uint64_t bytes) {
  if (ActorCell* c = CurrentCell(); c && c->runtime() == rt) {
    c->counters().Add(c->counters().messages_out, 1);
    c->counters().Add(c->counters().bytes_out, bytes);
  }
}

}  // namespace

ActorId Delivery::CurrentSender() const {
  if (ActorCell* c = CurrentCell(); c && c->runtime() == p_.runtime) return c->id();
  return ActorId(p_.membership->self_id(), 0);
}

LinkEndpoint Delivery::EndpointOf(ActorId id, std::string* name_storage) const {
  LinkEndpoint e;
  e.id = id;
  if (auto cell = p_.actors->Find(id)) {
    *name_storage = cell->registered_name();
  } else if (!p_.directory->NameOf(id, name_storage)) {
    p_.membership->RemoteName(id, name_storage);
  }
  e.actor_name = *name_storage;
  return e;
}

Status Delivery::SendLocal(const std::shared_ptr<ActorCell>& to, std::unique_ptr<Message> m) {
  ActorCell* from_cell = CurrentCell();
  if (from_cell && from_cell->runtime() == p_.runtime) {
    m->sender = from_cell->id();
    from_cell->counters().Add(from_cell->counters().messages_out, 1);
    from_cell->counters().Add(from_cell->counters().bytes_out, m->bytes);
  } else {
    m->sender = ActorId(p_.membership->self_id(), 0);
  }
  if (vclock_) {
    return SendLocalVirtual(from_cell && from_cell->runtime() == p_.runtime ? from_cell : nullptr,
                            to, std::move(m));
  }
  if (p_.links->active() && m->sender != to->id()) {
    std::string from_name, to_name;
    LinkEndpoint from = EndpointOf(m->sender, &from_name);
    LinkEndpoint dest = EndpointOf(to->id(), &to_name);
    from.node_name = p_.membership->self_name();
    dest.node_name = p_.membership->self_name();
    if (auto release = p_.links->Release(from, dest, m->bytes, Clock::now())) {
      auto shared = std::make_shared<std::unique_ptr<Message>>(std::move(m));
      std::weak_ptr<ActorCell> weak = to;
      TimerId t = p_.timers->Schedule(*release, [weak, shared] {
        if (auto c = weak.lock()) c->Enqueue(std::move(*shared));
      });
      if (t == 0) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
      return OkStatus();
    }
  }
  if (!to->Enqueue(std::move(m))) {
    return Error{ErrorCode::kActorStopped, "actor " + to->name() + " is stopped"};
  }
  return OkStatus();
}

Status Delivery::SendLocalVirtual(ActorCell* from, const std::shared_ptr<ActorCell>& to,
                                  std::unique_ptr<Message> m) {
  const auto [sent, seq] = vclock_->SendTime(from);
  m->seq = seq;
  m->arrival = sent;
  if (sent != kNoVirtualTime && p_.links->active() && m->sender != to->id()) {
    std::string from_name, to_name;
    LinkEndpoint a = EndpointOf(m->sender, &from_name);
    LinkEndpoint b = EndpointOf(to->id(), &to_name);
    a.node_name = p_.membership->self_name();
    b.node_name = p_.membership->self_name();
    // The same link model as on the wall clock, run on virtual time points.
    const Clock::time_point at{std::chrono::duration_cast<Clock::duration>(sent)};
    if (auto release = p_.links->Release(a, b, m->bytes, at)) {
      m->arrival = std::chrono::duration_cast<VirtualTime>(release->time_since_epoch());
    }
  }
  if (!vclock_->Deliver(to, std::move(m))) {
    return Error{ErrorCode::kActorStopped, "actor " + to->name() + " is stopped"};
  }
  return OkStatus();
}

void Delivery::DeliverReply(ActorId from, ActorId to, uint64_t bytes, Task complete) {
  if (ActorCell* c = CurrentCell(); c && c->id() == from) {
    c->counters().Add(c->counters().messages_out, 1);
    c->counters().Add(c->counters().bytes_out, bytes);
  }
  if (to.is_actor()) {
    if (auto cell = p_.actors->Find(to)) cell->counters().Add(cell->counters().bytes_in, bytes);
  }
  // Replies carry no virtual time: they complete at once.
  if (!vclock_ && p_.links->active() && from != to) {
    std::string from_name, to_name;
    LinkEndpoint a = EndpointOf(from, &from_name);
    LinkEndpoint b = EndpointOf(to, &to_name);
    a.node_name = p_.membership->self_name();
    b.node_name = p_.membership->self_name();
    if (auto release = p_.links->Release(a, b, bytes, Clock::now())) {
      auto shared = std::make_shared<Task>(std::move(complete));
      if (p_.timers->Schedule(*release, [shared] { (*shared)(); }) != 0) return;
      complete = std::move(*shared);
    }
  }
  complete();
}

Status Delivery::SendRemote(ActorId to, uint8_t type, const std::string& method,
                            uint64_t request_id, const msgpack::sbuffer& body,
                            std::vector<Tensor> tensors) {
  if (!transport_) {
    return Error{ErrorCode::kTransport,
                 "actor " + to.ToString() + " is on another node, but this runtime is embedded"};
  }
  if (p_.shutting_down->load(std::memory_order_acquire)) {
    return Error{ErrorCode::kShutdown, "runtime is shutting down"};
  }
  uint64_t bytes = body.size();
  for (const auto& t : tensors) bytes += t.size_bytes();
  CountOut(p_.runtime, bytes);
  const NodeId me = p_.membership->self_id();
  WireHeader h{static_cast<MsgType>(type), me, CurrentSender(), to, method, request_id};
  return SendWire(to.node(), h, body, std::move(tensors), bytes);
}

Status Delivery::SendWire(NodeId node, const WireHeader& h, const msgpack::sbuffer& body,
                          std::vector<Tensor> tensors, uint64_t payload_bytes) {
  if (!transport_->HasPeer(node)) {
    if (auto lost = p_.membership->LostError(node)) {
      transport_->CountUndeliverable();
      return *lost;
    }
    if (!is_head() && node != kNoNode && p_.refresh_nodes) p_.refresh_nodes();
    if (!transport_->HasPeer(node)) {
      transport_->CountUndeliverable();
      if (auto lost = p_.membership->LostError(node)) return *lost;
      return Error{ErrorCode::kTransport, "unknown node " + std::to_string(node)};
    }
  }
  if (p_.links->active() && h.src != h.dst) {
    std::string from_name, to_name, from_node, to_node;
    LinkEndpoint a = EndpointOf(h.src, &from_name);
    LinkEndpoint b = EndpointOf(h.dst, &to_name);
    p_.membership->NamesOf(h.src.node(), h.dst.node(), &from_node, &to_node);
    a.node_name = from_node;
    b.node_name = to_node;
    if (auto release = p_.links->Release(a, b, payload_bytes, Clock::now())) {
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
      Transport* transport = transport_;
      PendingCalls* pending = p_.pending;
      TimerId t = p_.timers->Schedule(*release, [transport, pending, node, d] {
        d->h.method = d->method;
        Status s = transport->Send(node, d->h, d->body, d->tensors);
        if (!s.ok()) {
          Log().warn("delayed message to node {} failed: {}", node, s.error().message);
          if (d->h.type == MsgType::kCall) pending->Fail(d->h.request_id, s.error());
        }
      });
      if (t == 0) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
      return OkStatus();
    }
  }
  return transport_->Send(node, h, body, tensors);
}

void Delivery::ReplyWire(const WireMessage& req, Result<WirePayload> r) {
  if (!transport_) return;
  msgpack::sbuffer body;
  std::vector<Tensor> tensors;
  const NodeId me = p_.membership->self_id();
  WireHeader h{
      r.ok() ? MsgType::kReply : MsgType::kReplyError, me, req.dst, req.src, "", req.request_id};
  if (r.ok()) {
    body = std::move(r.value().body);
    tensors = std::move(r.value().tensors);
  } else {
    msgpack::pack(body, r.error());
  }
  uint64_t bytes = body.size();
  for (const auto& t : tensors) bytes += t.size_bytes();
  CountOut(p_.runtime, bytes);
  Status s = SendWire(req.src_node, h, body, std::move(tensors), bytes);
  if (!s.ok()) Log().warn("reply to node {} failed: {}", req.src_node, s.error().message);
}

void Delivery::DeliverWire(WireMessage& m) {
  std::shared_ptr<ActorCell> cell =
      m.dst.node() == p_.membership->self_id() ? p_.actors->Find(m.dst) : nullptr;
  if (!cell) {
    transport_->CountUndeliverable();
    Log().warn("message '{}' for unknown actor {} from node {} dropped", m.method, m.dst.ToString(),
               m.src_node);
    if (m.type == MsgType::kCall) {
      ReplyWire(m, Error{ErrorCode::kActorStopped, "no actor " + m.dst.ToString() + " on node " +
                                                       p_.membership->self_name()});
    }
    return;
  }
  cell->Enqueue(std::make_unique<RemoteMessage>(
      std::move(m),
      [this](const WireMessage& req, Result<WirePayload> r) { ReplyWire(req, std::move(r)); }));
}

void Delivery::RouteReply(WireMessage& m) {
  PendingCalls::Handler h = p_.pending->Take(m.request_id);
  if (!h) {
    transport_->CountUndeliverable();
    Log().debug("reply for unknown request {} from node {} dropped", m.request_id, m.src_node);
    return;
  }
  h(&m);
}

}  // namespace olsgd::rt::detail
