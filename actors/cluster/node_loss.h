// Nodes the runtime reported lost during a run (heartbeat timeout or a
// clean leave), handed from the runtime's I/O thread to the run's loop.
#ifndef OLSGD_ACTORS_CLUSTER_NODE_LOSS_H_
#define OLSGD_ACTORS_CLUSTER_NODE_LOSS_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "actors/cluster/placement.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

struct NodeLoss {
  rt::NodeId node = rt::kNoNode;
  std::string name;
  std::string reason;
};

class NodeLossQueue {
 public:
  // Names for node ids (the runtime forgets a node before reporting its loss).
  void RememberNodes(const std::vector<rt::NodeInfo>& nodes) {
    std::lock_guard lock(mu_);
    for (const auto& n : nodes) names_[n.id] = n.name;
  }
  // Called on the runtime's I/O thread.
  void Push(rt::NodeId node, const std::string& reason) {
    std::lock_guard lock(mu_);
    auto it = names_.find(node);
    losses_.push_back(
        NodeLoss{node, it != names_.end() ? it->second : "node " + std::to_string(node), reason});
  }
  std::vector<NodeLoss> Drain() {
    std::lock_guard lock(mu_);
    return std::exchange(losses_, {});
  }

 private:
  std::mutex mu_;
  std::vector<NodeLoss> losses_;
  std::map<rt::NodeId, std::string> names_;
};

// The trainers (worker indices) and reducer shards placed on `node`.
struct ActorsOnNode {
  std::vector<int> trainers;
  std::vector<int> shards;
  bool empty() const { return trainers.empty() && shards.empty(); }
};
ActorsOnNode ActorsPlacedOn(const Placement& placement, const std::string& node);

// "node 'w2' lost (no heartbeat for 3.0 s); it ran trainer:1, reducer:0".
std::string DescribeLoss(const NodeLoss& loss, const ActorsOnNode& on);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_NODE_LOSS_H_
