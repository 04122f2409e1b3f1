#include "actors/cluster/placement.h"

#include <algorithm>
#include <stdexcept>

#include "actors/run/link_setup.h"

namespace olsgd::actors {
namespace {

std::string NodeList(const std::vector<rt::NodeInfo>& nodes) {
  std::string s;
  for (const auto& n : nodes) s += (s.empty() ? "" : ", ") + n.name;
  return s;
}

std::vector<std::string> Explicit(const std::vector<std::string>& names, const std::string& key,
                                  const std::vector<rt::NodeInfo>& nodes, const std::string& self) {
  std::vector<std::string> out;
  for (size_t i = 0; i < names.size(); ++i) {
    const bool known = std::any_of(nodes.begin(), nodes.end(),
                                   [&](const rt::NodeInfo& n) { return n.name == names[i]; });
    if (!known) {
      throw std::invalid_argument(key + "[" + std::to_string(i) + "]: no node named '" + names[i] +
                                  "' in the cluster; nodes: " + NodeList(nodes));
    }
    out.push_back(names[i] == self ? "" : names[i]);
  }
  return out;
}

}  // namespace

Placement LocalPlacement(int workers, int shards) {
  Placement p;
  p.trainer_nodes.assign(static_cast<size_t>(workers), "");
  p.reducer_nodes.assign(static_cast<size_t>(shards), "");
  return p;
}

Placement PlaceActors(const ClusterSpec& cluster, int shards,
                      const std::vector<rt::NodeInfo>& nodes, const std::string& self) {
  std::vector<rt::NodeInfo> workers;
  for (const auto& n : nodes) {
    if (n.name != self) workers.push_back(n);
  }
  std::sort(workers.begin(), workers.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  Placement p;
  if (!cluster.trainer_nodes.empty()) {
    p.trainer_nodes = Explicit(cluster.trainer_nodes, "cluster.trainer_nodes", nodes, self);
  } else if (workers.empty()) {
    p.trainer_nodes.assign(static_cast<size_t>(cluster.workers), "");
    p.warnings.push_back("no worker node joined: every trainer runs on the head");
  } else {
    // Round-robin over the nodes that still have a free slot; once every slot
    // is taken, round-robin over all of them.
    std::vector<int> used(workers.size(), 0);
    size_t next = 0;
    bool oversubscribed = false;
    for (int i = 0; i < cluster.workers; ++i) {
      size_t pick = workers.size();
      for (size_t tries = 0; tries < workers.size(); ++tries) {
        const size_t c = (next + tries) % workers.size();
        if (used[c] < std::max(workers[c].slots, 1)) {
          pick = c;
          break;
        }
      }
      if (pick == workers.size()) {
        pick = next % workers.size();
        oversubscribed = true;
      }
      ++used[pick];
      next = pick + 1;
      p.trainer_nodes.push_back(workers[pick].name);
    }
    if (oversubscribed) {
      int slots = 0;
      for (const auto& w : workers) slots += std::max(w.slots, 1);
      p.warnings.push_back(std::to_string(cluster.workers) + " trainers on " +
                           std::to_string(slots) +
                           " worker slots: some nodes run more trainers than slots");
    }
  }
  if (!cluster.reducer_nodes.empty()) {
    p.reducer_nodes = Explicit(cluster.reducer_nodes, "cluster.reducer_nodes", nodes, self);
  } else {
    for (int j = 0; j < shards; ++j) {
      const size_t slot = static_cast<size_t>(j) % (workers.size() + 1);
      p.reducer_nodes.push_back(slot == 0 ? "" : workers[slot - 1].name);
    }
  }
  return p;
}

std::string DescribePlacement(const Placement& p, const std::string& self) {
  std::string s;
  auto add = [&](const std::string& actor, const std::string& node) {
    s += (s.empty() ? "" : ", ") + actor + " -> " + (node.empty() ? self : node);
  };
  for (size_t i = 0; i < p.trainer_nodes.size(); ++i)
    add(TrainerName(static_cast<int>(i)), p.trainer_nodes[i]);
  for (size_t j = 0; j < p.reducer_nodes.size(); ++j)
    add(ReducerName(static_cast<int>(j)), p.reducer_nodes[j]);
  return s;
}

}  // namespace olsgd::actors
