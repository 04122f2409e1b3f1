#include "runtime/membership.h"

#include <set>

namespace olsgd::rt::detail {

void Membership::Add(NodeInfo node) {
  MutexLock lock(mu_);
  NodeId id = node.id;
  nodes_[id] = std::move(node);
}

std::vector<NodeInfo> Membership::All() const {
  MutexLock lock(mu_);
  std::vector<NodeInfo> out;
  for (const auto& [id, n] : nodes_) out.push_back(n);
  return out;
}

std::vector<NodeId> Membership::Others() const {
  const NodeId me = self_id();
  MutexLock lock(mu_);
  std::vector<NodeId> out;
  for (const auto& [id, n] : nodes_) {
    if (id != me) out.push_back(id);
  }
  return out;
}

std::vector<NodeId> Membership::Watched() const {
  const NodeId me = self_id();
  const bool head = me == kHeadNode;
  MutexLock lock(mu_);
  std::vector<NodeId> out;
  for (const auto& [id, n] : nodes_) {
    if (id != me && (head || id == kHeadNode)) out.push_back(id);
  }
  return out;
}

Result<NodeId> Membership::ByName(const std::string& name) const {
  MutexLock lock(mu_);
  std::string known;
  for (const auto& [id, n] : nodes_) {
    if (n.name == name) return id;
    known += (known.empty() ? "" : ", ") + n.name;
  }
  return Error{ErrorCode::kNotFound, "no node named '" + name + "' (known: " + known + ")"};
}

void Membership::NamesOf(NodeId a, NodeId b, std::string* a_name, std::string* b_name) const {
  MutexLock lock(mu_);
  if (auto it = nodes_.find(a); it != nodes_.end()) *a_name = it->second.name;
  if (auto it = nodes_.find(b); it != nodes_.end()) *b_name = it->second.name;
}

std::optional<Membership::Admission> Membership::Admit(NodeInfo& info) {
  MutexLock lock(mu_);
  NodeId id = next_node_id_;
  if (info.name.empty()) info.name = "node" + std::to_string(id);
  for (const auto& [nid, n] : nodes_) {
    if (n.name == info.name) return std::nullopt;
  }
  info.id = id;
  ++next_node_id_;  // ids are never reused, so a lost node's id stays lost
  nodes_[id] = info;
  Admission a{id, {}};
  for (const auto& [nid, n] : nodes_) a.table.push_back(n);
  return a;
}

std::vector<NodeId> Membership::Apply(const std::vector<NodeInfo>& nodes, bool authoritative,
                                      const std::function<void(const NodeInfo&)>& on_listed) {
  const NodeId me = self_id();
  std::vector<NodeId> gone;
  MutexLock lock(mu_);
  std::set<NodeId> listed;
  for (const auto& n : nodes) {
    listed.insert(n.id);
    if (lost_.count(n.id)) continue;  // an older table than our news of its loss
    nodes_[n.id] = n;
    on_listed(n);
  }
  if (authoritative) {
    for (const auto& [id, n] : nodes_) {
      if (id != me && id != kHeadNode && !listed.count(id)) gone.push_back(id);
    }
  }
  return gone;
}

std::optional<Error> Membership::Remove(NodeId node, const std::string& reason) {
  MutexLock lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return std::nullopt;
  std::string who = "node " + it->second.name + " (id " + std::to_string(node) + ")";
  Error err{ErrorCode::kNodeLost,
            reason == "left" ? who + " left the cluster" : who + " was lost: " + reason};
  nodes_.erase(it);
  lost_[node] = err;
  return err;
}

std::optional<Error> Membership::LostError(NodeId node) const {
  MutexLock lock(mu_);
  auto it = lost_.find(node);
  if (it == lost_.end()) return std::nullopt;
  return it->second;
}

void Membership::RememberName(ActorId id, const std::string& name) {
  MutexLock lock(mu_);
  remote_names_[id] = name;
}

void Membership::RememberNames(const std::vector<std::tuple<ActorId, std::string>>& names) {
  MutexLock lock(mu_);
  for (const auto& [id, name] : names) remote_names_[id] = name;
}

bool Membership::RemoteName(ActorId id, std::string* name) const {
  MutexLock lock(mu_);
  auto it = remote_names_.find(id);
  if (it == remote_names_.end()) return false;
  *name = it->second;
  return true;
}

}  // namespace olsgd::rt::detail
