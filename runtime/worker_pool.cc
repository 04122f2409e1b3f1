#include "runtime/worker_pool.h"

#include <pthread.h>

namespace olsgd::rt {

WorkerPool::WorkerPool(int threads, std::string name, int spin_iterations)
    : spin_iterations_(spin_iterations), name_(std::move(name)) {
  if (threads < 1) threads = 1;
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Loop(i); });
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::Submit(Task task) {
  bool wake;
  {
    MutexLock lock(mu_);
    if (stop_) return false;
    queue_.push_back(std::move(task));
    pending_.fetch_add(1, std::memory_order_release);
    wake = sleepers_ > 0;
  }
  if (wake) cv_.NotifyOne();
  return true;
}

void WorkerPool::Stop() {
  {
    MutexLock lock(mu_);
    if (stop_ && threads_.empty()) return;
    stop_ = true;
  }
  cv_.NotifyAll();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::Loop(int index) {
  std::string tname = name_.substr(0, 12) + "/" + std::to_string(index);
  pthread_setname_np(pthread_self(), tname.substr(0, 15).c_str());
  for (;;) {
    // Spin a little before sleeping: a message often follows within microseconds.
    for (int i = 0; i < spin_iterations_ && pending_.load(std::memory_order_acquire) == 0; ++i) {
      if (i > 64) std::this_thread::yield();
    }
    Task task;
    {
      MutexLock lock(mu_);
      ++sleepers_;
      while (!stop_ && queue_.empty()) cv_.Wait(mu_);
      --sleepers_;
      if (queue_.empty()) return;  // stopped and drained
      task = std::move(queue_.front());
      queue_.pop_front();
      pending_.fetch_sub(1, std::memory_order_relaxed);
    }
    task();
  }
}

}  // namespace olsgd::rt
