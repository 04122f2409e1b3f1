// Membership: the cluster as this node knows it. The node table, the nodes
// that left or were lost, the names of remote actors (for link selectors),
// this node's own id and name, and on the head the id the next joining node
// gets. Node ids are never reused, so a lost node's id stays lost.
#ifndef OLSGD_RUNTIME_MEMBERSHIP_H_
#define OLSGD_RUNTIME_MEMBERSHIP_H_

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runtime/error.h"
#include "runtime/ids.h"
#include "runtime/msgpack_safe.h"
#include "runtime/mutex.h"

namespace olsgd::rt {

struct NodeInfo {
  NodeId id = kNoNode;
  std::string name;
  std::string address;
  int slots = 0;
  std::map<std::string, std::string> labels;
  MSGPACK_DEFINE(id, name, address, slots, labels)
};

namespace detail {

class Membership {
 public:
  // This node. The id changes only while the runtime starts (a worker has
  // kNoNode until the head answers its join); the name is set while it
  // starts and read-only afterwards.
  NodeId self_id() const { return self_id_.load(std::memory_order_acquire); }
  void set_self_id(NodeId id) { self_id_.store(id, std::memory_order_release); }
  const std::string& self_name() const { return self_name_; }
  void set_self_name(std::string name) { self_name_ = std::move(name); }

  // Adds or replaces one node (this node, on the head and when embedded).
  void Add(NodeInfo node) EXCLUDES(mu_);
  std::vector<NodeInfo> All() const EXCLUDES(mu_);
  // Every node but this one.
  std::vector<NodeId> Others() const EXCLUDES(mu_);
  // The nodes this one watches for heartbeats: the head every worker, a
  // worker the head.
  std::vector<NodeId> Watched() const EXCLUDES(mu_);
  Result<NodeId> ByName(const std::string& name) const EXCLUDES(mu_);
  // The names of two nodes ("" if unknown), read together.
  void NamesOf(NodeId a, NodeId b, std::string* a_name, std::string* b_name) const EXCLUDES(mu_);

  // Head: admits a joining node. Names it "node<id>" if it has no name;
  // nullopt if another node has that name. Otherwise the new id and the
  // table including the new node.
  struct Admission {
    NodeId id;
    std::vector<NodeInfo> table;
  };
  std::optional<Admission> Admit(NodeInfo& info) EXCLUDES(mu_);

  // Takes in a node table (a join reply, a reply to a request, or the head's
  // broadcast). Nodes known to be lost stay lost (an older table). Calls
  // `on_listed` for every node it takes in, under the lock, so that a node
  // removed concurrently is removed after (the transport's address book
  // follows this table). With `authoritative` (the head's broadcast) returns
  // the workers missing from it, which are gone.
  std::vector<NodeId> Apply(const std::vector<NodeInfo>& nodes, bool authoritative,
                            const std::function<void(const NodeInfo&)>& on_listed) EXCLUDES(mu_);

  // Removes a node that left (reason "left") or was lost, remembers why, and
  // returns the error that calls to it now get; nullopt if it was unknown.
  std::optional<Error> Remove(NodeId node, const std::string& reason) EXCLUDES(mu_);
  // The error of a node that left or was lost, nullopt for any other node.
  std::optional<Error> LostError(NodeId node) const EXCLUDES(mu_);

  // Names of remote actors, learned by Lookup and from the head's link rules.
  void RememberName(ActorId id, const std::string& name) EXCLUDES(mu_);
  void RememberNames(const std::vector<std::tuple<ActorId, std::string>>& names) EXCLUDES(mu_);
  bool RemoteName(ActorId id, std::string* name) const EXCLUDES(mu_);

 private:
  std::atomic<NodeId> self_id_{kHeadNode};
  std::string self_name_;  // written only while the runtime starts

  mutable Mutex mu_{LockRank::kMembership};
  std::map<NodeId, NodeInfo> nodes_ GUARDED_BY(mu_);  // the node table, this node included
  std::map<NodeId, Error> lost_ GUARDED_BY(mu_);      // nodes that left or were lost
  std::unordered_map<ActorId, std::string> remote_names_ GUARDED_BY(mu_);  // remote actor names
  NodeId next_node_id_ GUARDED_BY(mu_) = 1;  // head: the id the next joining node gets
};

}  // namespace detail
}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_MEMBERSHIP_H_
