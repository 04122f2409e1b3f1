// Runtime: liveness. Heartbeats between the head and every worker, node loss
// (no sign of life within the timeout; heartbeats.h keeps the times) and
// clean leaves, and what follows: pending calls fail, names go, sockets
// close, the table is broadcast.
#include "runtime/log.h"
#include "runtime/runtime.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt {

using detail::MsgType;
using detail::WireHeader;

void Runtime::HeartbeatTick(bool backlog) {
  if (!heartbeats_.on() || shutting_down()) return;
  const NodeId me = node_id();
  // The head watches every worker; a worker watches the head.
  std::vector<NodeId> watched = membership_.Watched();
  static const msgpack::sbuffer kNil = [] {
    msgpack::sbuffer b;
    msgpack::pack(b, msgpack::type::nil_t());
    return b;
  }();
  WireHeader h{MsgType::kHeartbeat, me, ActorId(me, 0), ActorId(), "", 0};
  // Never blocks: a peer whose queue is full or busy is sending anyway.
  for (NodeId id : watched) (void)transport_->Send(id, h, kNil, {}, /*dontwait=*/true);
  for (const auto& [id, reason] : heartbeats_.Silent(watched, backlog, Clock::now())) {
    NodeLeft(id, reason);
  }
}

void Runtime::NodeLeft(NodeId node, const std::string& reason) {
  if (node == node_id() || !transport_) return;
  std::optional<Error> err = membership_.Remove(node, reason);
  if (!err) return;
  if (reason == "left") {
    Log().info("{}", err->message);
  } else {
    Log().warn("{}", err->message);
  }
  directory_.RemoveNode(node);
  transport_->RemovePeer(node);
  pending_.FailNode(node, *err);
  if (options_.on_node_lost) {
    try {
      options_.on_node_lost(node, reason);
    } catch (const std::exception& e) {
      Log().error("on_node_lost threw: {}", e.what());
    }
  }
  if (is_head()) BroadcastNodeTable();
}

}  // namespace olsgd::rt
