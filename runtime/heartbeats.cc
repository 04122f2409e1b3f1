#include "runtime/heartbeats.h"

#include <algorithm>
#include <cstdio>

namespace olsgd::rt::detail {

std::vector<std::pair<NodeId, std::string>> Heartbeats::Silent(const std::vector<NodeId>& watched,
                                                               bool backlog,
                                                               Clock::time_point now) {
  std::vector<std::pair<NodeId, std::string>> lost;
  for (NodeId id : watched) {
    auto [it, fresh] = last_heard_.try_emplace(id, now);
    if (fresh) continue;
    auto silent = now - it->second;
    if (backlog || silent <= timeout_) continue;
    char reason[64];
    std::snprintf(reason, sizeof reason, "no heartbeat for %.1f s",
                  std::chrono::duration<double>(silent).count());
    lost.emplace_back(id, reason);
  }
  // Forget nodes no longer watched (they left), so one that returns starts afresh.
  for (auto it = last_heard_.begin(); it != last_heard_.end();) {
    bool keep = std::find(watched.begin(), watched.end(), it->first) != watched.end();
    it = keep ? std::next(it) : last_heard_.erase(it);
  }
  return lost;
}

}  // namespace olsgd::rt::detail
