// TimerQueue: one thread that runs tasks at given times. Carries actor timers
// (ActorContext::After) and link-model delays. Tasks due at the same instant
// run in the order they were scheduled, which keeps per-link FIFO order.
#ifndef OLSGD_RUNTIME_TIMER_QUEUE_H_
#define OLSGD_RUNTIME_TIMER_QUEUE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <thread>
#include <unordered_map>
#include <utility>

#include "runtime/mutex.h"
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
  TimerId Schedule(Clock::time_point when, Task task) EXCLUDES(mu_);
  // Removes a pending task; false if it already ran or never existed.
  bool Cancel(TimerId id) EXCLUDES(mu_);
  // Drops pending tasks (destroying them, outside the lock) and joins the
  // thread. Idempotent.
  void Stop() EXCLUDES(mu_);
  size_t pending() const EXCLUDES(mu_);

 private:
  void Loop() EXCLUDES(mu_);
  using Key = std::pair<Clock::time_point, TimerId>;

  mutable Mutex mu_{LockRank::kTimerQueue};
  CondVar cv_;                                 // an earlier task, or stop_
  std::map<Key, Task> tasks_ GUARDED_BY(mu_);  // pending, in (time, id) order
  std::unordered_map<TimerId, Clock::time_point> when_ GUARDED_BY(mu_);  // id -> its key's time
  TimerId next_id_ GUARDED_BY(mu_) = 1;
  bool stop_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_TIMER_QUEUE_H_
