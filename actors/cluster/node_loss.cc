#include "actors/cluster/node_loss.h"

#include "actors/run/link_setup.h"

namespace olsgd::actors {

ActorsOnNode ActorsPlacedOn(const Placement& placement, const std::string& node) {
  ActorsOnNode on;
  if (node.empty()) return on;
  for (size_t i = 0; i < placement.trainer_nodes.size(); ++i) {
    if (placement.trainer_nodes[i] == node) on.trainers.push_back(static_cast<int>(i));
  }
  for (size_t j = 0; j < placement.reducer_nodes.size(); ++j) {
    if (placement.reducer_nodes[j] == node) on.shards.push_back(static_cast<int>(j));
  }
  return on;
}

std::string DescribeLoss(const NodeLoss& loss, const ActorsOnNode& on) {
  std::string actors;
  for (int i : on.trainers) actors += (actors.empty() ? "" : ", ") + TrainerName(i);
  for (int j : on.shards) actors += (actors.empty() ? "" : ", ") + ReducerName(j);
  std::string s = "node '" + loss.name + "' lost (" + loss.reason + ")";
  if (!actors.empty()) s += "; it ran " + actors;
  return s;
}

}  // namespace olsgd::actors
