#include "runtime/timer_queue.h"

#include <pthread.h>

#include <vector>

namespace olsgd::rt {

TimerQueue::TimerQueue() : thread_([this] { Loop(); }) {}

TimerQueue::~TimerQueue() { Stop(); }

TimerId TimerQueue::Schedule(Clock::time_point when, Task task) {
  bool wake;
  TimerId id;
  {
    MutexLock lock(mu_);
    if (stop_) return 0;
    id = next_id_++;
    wake = tasks_.empty() || when < tasks_.begin()->first.first;
    tasks_.emplace(Key{when, id}, std::move(task));
    when_.emplace(id, when);
  }
  if (wake) cv_.NotifyOne();
  return id;
}

bool TimerQueue::Cancel(TimerId id) {
  Task dropped;  // destroyed outside the lock
  MutexLock lock(mu_);
  auto it = when_.find(id);
  if (it == when_.end()) return false;
  auto t = tasks_.find(Key{it->second, id});
  dropped = std::move(t->second);
  tasks_.erase(t);
  when_.erase(it);
  return true;
}

void TimerQueue::Stop() {
  std::map<Key, Task> dropped;
  {
    MutexLock lock(mu_);
    stop_ = true;
    dropped.swap(tasks_);
    when_.clear();
  }
  cv_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

size_t TimerQueue::pending() const {
  MutexLock lock(mu_);
  return tasks_.size();
}

void TimerQueue::Loop() {
  pthread_setname_np(pthread_self(), "olsgd-timer");
  std::vector<Task> due;
  mu_.Lock();
  while (!stop_) {
    if (tasks_.empty()) {
      cv_.Wait(mu_);
      continue;
    }
    auto next = tasks_.begin()->first.first;
    auto now = Clock::now();
    if (next > now) {
      cv_.WaitUntil(mu_, next);
      continue;
    }
    // Take everything due now, in (time, id) order.
    while (!tasks_.empty() && tasks_.begin()->first.first <= now) {
      auto it = tasks_.begin();
      when_.erase(it->first.second);
      due.push_back(std::move(it->second));
      tasks_.erase(it);
    }
    // Run them without the lock: a task may schedule another.
    mu_.Unlock();
    for (auto& t : due) t();
    due.clear();
    mu_.Lock();
  }
  mu_.Unlock();
}

}  // namespace olsgd::rt
