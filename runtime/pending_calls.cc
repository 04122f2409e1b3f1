#include "runtime/pending_calls.h"

#include <vector>

namespace olsgd::rt::detail {

uint64_t PendingCalls::Add(NodeId node, Handler h) {
  uint64_t id = next_request_.fetch_add(1, std::memory_order_relaxed);
  MutexLock lock(mu_);
  pending_.emplace(id, Pending{node, std::move(h)});
  return id;
}

PendingCalls::Handler PendingCalls::Take(uint64_t request_id) {
  Handler h;
  MutexLock lock(mu_);
  auto it = pending_.find(request_id);
  if (it != pending_.end()) {
    h = std::move(it->second.handler);
    pending_.erase(it);
  }
  return h;
}

void PendingCalls::Fail(uint64_t request_id, Error e) {
  Handler h = Take(request_id);
  if (h) h(std::move(e));
}

void PendingCalls::FailNode(NodeId node, const Error& e) {
  std::vector<Handler> failed;
  {
    MutexLock lock(mu_);
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.node == node) {
        failed.push_back(std::move(it->second.handler));
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& h : failed) h(e);
}

void PendingCalls::FailAll(const Error& e) {
  std::unordered_map<uint64_t, Pending> all;
  {
    MutexLock lock(mu_);
    all.swap(pending_);
  }
  for (auto& [req, p] : all) p.handler(e);
}

}  // namespace olsgd::rt::detail
