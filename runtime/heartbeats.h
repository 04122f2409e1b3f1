// Heartbeats: when this node last heard from each node it watches, and
// which of them have been silent for longer than the timeout. Sending the
// heartbeats and acting on a loss is the runtime's (runtime_liveness.cc).
// Only the I/O thread hears and checks, so the times need no lock.
#ifndef OLSGD_RUNTIME_HEARTBEATS_H_
#define OLSGD_RUNTIME_HEARTBEATS_H_

#include <atomic>
#include <chrono>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runtime/ids.h"
#include "runtime/timer_queue.h"

namespace olsgd::rt::detail {

class Heartbeats {
 public:
  explicit Heartbeats(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  // On once the node has joined (or, on the head, listens) with an interval.
  bool on() const { return on_.load(std::memory_order_acquire); }
  void set_on(bool on) { on_.store(on, std::memory_order_release); }

  // I/O thread: a message from `node` arrived (any message is a sign of life).
  void Heard(NodeId node, Clock::time_point now) { last_heard_[node] = now; }
  // I/O thread, once per tick: the nodes of `watched` silent for longer than
  // the timeout, with the reason to give ("no heartbeat for 3.1 s"). A node
  // starts its clock when it is first watched. With `backlog` (input still
  // waiting to be read, which may hold a sign of life) nobody is judged.
  std::vector<std::pair<NodeId, std::string>> Silent(const std::vector<NodeId>& watched,
                                                     bool backlog, Clock::time_point now);

 private:
  const std::chrono::milliseconds timeout_;
  std::atomic<bool> on_{false};
  std::unordered_map<NodeId, Clock::time_point> last_heard_;  // only the I/O thread
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_HEARTBEATS_H_
