// WorkerPool: N threads running Tasks from one FIFO queue. The shared pool
// runs light actors and Then callbacks; each dedicated actor gets a pool of
// one thread, so heavy compute never holds up the shared pool.
#ifndef OLSGD_RUNTIME_WORKER_POOL_H_
#define OLSGD_RUNTIME_WORKER_POOL_H_

#include <atomic>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "runtime/mutex.h"
#include "runtime/unique_function.h"

namespace olsgd::rt {

class WorkerPool {
 public:
  // `name` (<= 15 chars) names the threads for debuggers and the trace.
  WorkerPool(int threads, std::string name, int spin_iterations = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; returns false (and drops it) after Stop().
  bool Submit(Task task) EXCLUDES(mu_);
  // Runs what is queued, then joins the threads. Idempotent; not to be
  // called from two threads at once.
  void Stop() EXCLUDES(mu_);
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop(int index) EXCLUDES(mu_);

  Mutex mu_{LockRank::kWorkerPool};
  CondVar cv_;                              // a task arrived, or stop_
  std::deque<Task> queue_ GUARDED_BY(mu_);  // FIFO
  std::atomic<int64_t> pending_{0};         // queue_.size(), for spinning without the lock
  int sleepers_ GUARDED_BY(mu_) = 0;        // threads waiting on cv_
  bool stop_ GUARDED_BY(mu_) = false;
  const int spin_iterations_;
  const std::string name_;
  std::vector<std::thread> threads_;  // only the constructor and Stop
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_WORKER_POOL_H_
