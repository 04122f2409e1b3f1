// TimerQueue: one thread that runs tasks at given times. Carries actor timers
// (ActorContext::After) and link-model delays. Tasks due at the same instant
// run in the order they were scheduled, which keeps per-link FIFO order.
#ifndef OLSGD_RUNTIME_TIMER_QUEUE_H_
#define OLSGD_RUNTIME_TIMER_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "runtime/unique_function.h"

namespace olsgd::rt {

using Clock = std::chrono::steady_clock;
using TimerId = uint64_t;

class TimerQueue {
 public:
  TimerQueue();
  ~TimerQueue();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Runs `task` on the timer thread at `when` (at once if past). Returns 0
  // after Stop() (the task is dropped).
  TimerId Schedule(Clock::time_point when, Task task);
  // Removes a pending task; false if it already ran or never existed.
  bool Cancel(TimerId id);
  // Drops pending tasks (destroying them) and joins the thread. Idempotent.
  void Stop();
  size_t pending() const;

 private:
  void Loop();
  using Key = std::pair<Clock::time_point, TimerId>;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<Key, Task> tasks_;
  std::unordered_map<TimerId, Clock::time_point> when_;
  TimerId next_id_ = 1;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_TIMER_QUEUE_H_
