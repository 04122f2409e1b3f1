// Runtime: the system messages. Joining (on the head), the node table, the
// directory of names (register, unregister, lookup), leaves and link rules.
#include <optional>

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

void Runtime::HandleSystem(WireMessage& m) {
  try {
    switch (m.type) {
      case MsgType::kJoin: {
        if (!is_head()) throw std::runtime_error("join sent to a node that is not the head");
        NodeInfo info = m.body.as<NodeInfo>();
        // Held until the new node has its link rules, so that a concurrent
        // SetLinkModel either reaches it here or in its broadcast.
        MutexLock rules_lock(link_rules_.mu());
        std::optional<detail::Membership::Admission> admitted = membership_.Admit(info);
        if (!admitted) {
          // Answer through a temporary peer entry so the joiner hears why
          // (outside the membership lock: a send through a link model takes it).
          transport_->SetPeer(kNoNode, info.address);
          WireMessage req = m;
          req.src_node = kNoNode;
          ReplyWire(req,
                    Error{ErrorCode::kAlreadyExists, "node name '" + info.name + "' is taken"});
          transport_->RemovePeer(kNoNode);
          return;
        }
        const NodeId id = admitted->id;
        transport_->SetPeer(id, info.address);
        Log().info("node {} (id {}) joined from {}", info.name, id, info.address);
        WireMessage req = m;
        req.src_node = id;
        detail::WirePayload p;
        msgpack::pack(p.body, std::make_tuple(id, admitted->table));
        ReplyWire(req, std::move(p));
        if (link_rules_.version() > 0) SendLinkRules({id});
        BroadcastNodeTable();
        return;
      }
      case MsgType::kNodeTable: {
        if (m.request_id != 0) {  // a request for the table
          detail::WirePayload p;
          msgpack::pack(p.body, Nodes());
          ReplyWire(m, std::move(p));
        } else if (!is_head() && m.src_node == kHeadNode) {
          ApplyNodeTable(m.body.as<std::vector<NodeInfo>>(), /*authoritative=*/true);
        }
        return;
      }
      case MsgType::kLinkRules: {
        if (!is_head() && m.src_node == kHeadNode) ApplyLinkRules(m.body);
        return;
      }
      case MsgType::kRegisterName: {
        auto [name, id, type] = m.body.as<std::tuple<std::string, ActorId, std::string>>();
        Status s = directory_.Register(name, id, type);
        if (s.ok()) {
          detail::WirePayload p;
          msgpack::pack(p.body, true);
          ReplyWire(m, std::move(p));
          OnNameRegistered(name);
        } else {
          ReplyWire(m, s.error());
        }
        return;
      }
      case MsgType::kUnregisterName: {
        auto [name, id] = m.body.as<std::tuple<std::string, ActorId>>();
        directory_.Unregister(name, id);
        return;
      }
      case MsgType::kLookup: {
        auto name = m.body.as<std::string>();
        auto e = directory_.Find(name);
        if (!e) {
          ReplyWire(m, Error{ErrorCode::kNotFound, "no actor named '" + name + "'"});
        } else {
          detail::WirePayload p;
          msgpack::pack(p.body, std::make_tuple(e->id, e->type_name));
          ReplyWire(m, std::move(p));
        }
        return;
      }
      case MsgType::kLeave: {
        // Only the head speaks for other nodes; a worker leaves for itself.
        if (m.src_node != node_id() && (is_head() || m.src_node == kHeadNode)) {
          NodeLeft(m.src_node, m.body.as<std::string>());
        }
        return;
      }
      default:
        transport_->CountDecodeError();
        Log().warn("unexpected {} message from node {}", detail::MsgTypeName(m.type), m.src_node);
    }
  } catch (const std::exception& e) {
    transport_->CountDecodeError();
    Log().warn("malformed {} message from node {}: {}", detail::MsgTypeName(m.type), m.src_node,
               e.what());
    if (m.request_id != 0 && m.type != MsgType::kReply && m.type != MsgType::kReplyError) {
      ReplyWire(m, Error{ErrorCode::kDecode, std::string("malformed request: ") + e.what()});
    }
  }
}

void Runtime::BroadcastNodeTable() {
  std::vector<NodeInfo> table = Nodes();
  msgpack::sbuffer body = Pack(table);
  WireHeader h{MsgType::kNodeTable, node_id(), ActorId(node_id(), 0), ActorId(), "", 0};
  for (const auto& n : table) {
    if (n.id != node_id()) (void)transport_->Send(n.id, h, body, {});
  }
}

void Runtime::ApplyNodeTable(const std::vector<NodeInfo>& nodes, bool authoritative) {
  // Until our join completes we do not know which entry is us; the join
  // reply carries the table anyway.
  const NodeId me = node_id();
  if (me == kNoNode) return;
  std::vector<NodeId> gone = membership_.Apply(nodes, authoritative, [&](const NodeInfo& n) {
    // A worker keeps dialling the head where it joined it: the head's own
    // advertised address may be one only it can use (it listens on 0.0.0.0).
    const bool head_we_joined = n.id == kHeadNode && !options_.join.empty();
    if (n.id != me && transport_ && !head_we_joined) transport_->SetPeer(n.id, n.address);
  });
  for (NodeId id : gone) NodeLeft(id, "dropped by the head");
}

void Runtime::RefreshNodeTable() {
  auto r = SystemCall(kHeadNode, MsgType::kNodeTable, Pack(msgpack::type::nil_t()), {},
                      std::chrono::milliseconds(5000));
  if (!r.ok()) return;
  try {
    ApplyNodeTable((*r)->body.as<std::vector<NodeInfo>>());
  } catch (const std::exception&) {
  }
}

Status Runtime::RegisterName(const std::string& name, ActorId id, const std::string& type_name,
                             std::chrono::milliseconds timeout) {
  if (is_head() || !transport_) {
    Status s = directory_.Register(name, id, type_name);
    if (s.ok()) OnNameRegistered(name);
    return s;
  }
  auto r = SystemCall(kHeadNode, MsgType::kRegisterName, Pack(std::make_tuple(name, id, type_name)),
                      {}, timeout);
  if (!r.ok()) return r.error();
  return OkStatus();
}

void Runtime::UnregisterName(const std::string& name, ActorId id) {
  if (is_head() || !transport_) {
    directory_.Unregister(name, id);
    return;
  }
  if (shut_down_.load()) return;
  WireHeader h{MsgType::kUnregisterName, node_id(), ActorId(node_id(), 0), ActorId(), "", 0};
  (void)transport_->Send(kHeadNode, h, Pack(std::make_tuple(name, id)), {});
}

Result<std::pair<ActorId, std::string>> Runtime::LookupOnce(const std::string& name) {
  if (is_head() || !transport_) {
    auto e = directory_.Find(name);
    if (!e) return Error{ErrorCode::kNotFound, "no actor named '" + name + "'"};
    return std::make_pair(e->id, e->type_name);
  }
  auto r =
      SystemCall(kHeadNode, MsgType::kLookup, Pack(name), {}, std::chrono::milliseconds(10000));
  if (!r.ok()) return r.error();
  try {
    auto [id, type] = (*r)->body.as<std::tuple<ActorId, std::string>>();
    membership_.RememberName(id, name);
    return std::make_pair(id, type);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kDecode, std::string("malformed lookup reply: ") + e.what()};
  }
}

}  // namespace olsgd::rt
