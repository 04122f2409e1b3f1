// Runtime: liveness. Heartbeats between the head and every worker, node loss
// (no sign of life within the timeout) and clean leaves, and what follows:
// pending calls fail, names go, sockets close, the table is broadcast.
#include <algorithm>
#include <cstdio>

#include "runtime/directory.h"
#include "runtime/log.h"
#include "runtime/runtime.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt {

using detail::MsgType;
using detail::WireHeader;

void Runtime::HeartbeatTick(bool backlog) {
  if (!heartbeats_on_.load(std::memory_order_acquire) || shutting_down()) return;
  const NodeId me = node_id();
  // The head watches every worker; a worker watches the head.
  std::vector<NodeId> watched;
  {
    std::lock_guard lock(nodes_mu_);
    for (const auto& [id, n] : nodes_) {
      if (id != me && (is_head() || id == kHeadNode)) watched.push_back(id);
    }
  }
  static const msgpack::sbuffer kNil = [] {
    msgpack::sbuffer b;
    msgpack::pack(b, msgpack::type::nil_t());
    return b;
  }();
  WireHeader h{MsgType::kHeartbeat, me, ActorId(me, 0), ActorId(), "", 0};
  // Never blocks: a peer whose queue is full or busy is sending anyway.
  for (NodeId id : watched) (void)transport_->Send(id, h, kNil, {}, /*dontwait=*/true);

  const auto now = Clock::now();
  std::vector<std::pair<NodeId, std::string>> lost;
  for (NodeId id : watched) {
    auto [it, fresh] = last_heard_.try_emplace(id, now);
    if (fresh) continue;
    auto silent = now - it->second;
    // With input still waiting (the drain stopped at its budget) a sign of
    // life may be in it: judge after reading it.
    if (backlog || silent <= options_.heartbeat.timeout) continue;
    char reason[64];
    std::snprintf(reason, sizeof reason, "no heartbeat for %.1f s",
                  std::chrono::duration<double>(silent).count());
    lost.emplace_back(id, reason);
  }
  for (auto it = last_heard_.begin(); it != last_heard_.end();) {
    bool keep = std::find(watched.begin(), watched.end(), it->first) != watched.end();
    it = keep ? std::next(it) : last_heard_.erase(it);
  }
  for (const auto& [id, reason] : lost) NodeLeft(id, reason);
}

std::optional<Error> Runtime::LostNodeError(NodeId node) const {
  std::lock_guard lock(nodes_mu_);
  auto it = lost_nodes_.find(node);
  if (it == lost_nodes_.end()) return std::nullopt;
  return it->second;
}

void Runtime::NodeLeft(NodeId node, const std::string& reason) {
  if (node == node_id() || !transport_) return;
  Error err;
  {
    std::lock_guard lock(nodes_mu_);
    auto it = nodes_.find(node);
    if (it == nodes_.end()) return;
    std::string who = "node " + it->second.name + " (id " + std::to_string(node) + ")";
    err = Error{ErrorCode::kNodeLost, reason == "left" ? who + " left the cluster" : who + " was lost: " + reason};
    nodes_.erase(it);
    lost_nodes_[node] = err;
  }
  if (reason == "left") {
    Log().info("{}", err.message);
  } else {
    Log().warn("{}", err.message);
  }
  directory_->RemoveNode(node);
  transport_->RemovePeer(node);
  std::vector<uint64_t> pending;
  {
    std::lock_guard lock(pending_mu_);
    for (const auto& [req, p] : pending_) {
      if (p.node == node) pending.push_back(req);
    }
  }
  for (uint64_t req : pending) FailPending(req, err);
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
