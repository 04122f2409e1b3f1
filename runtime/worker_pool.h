// WorkerPool: N threads running Tasks from one FIFO queue. The shared pool
// runs light actors and Then callbacks; each dedicated actor gets a pool of
// one thread, so heavy compute never holds up the shared pool.
#ifndef OLSGD_RUNTIME_WORKER_POOL_H_
#define OLSGD_RUNTIME_WORKER_POOL_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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
  bool Submit(Task task);
  // Runs what is queued, then joins the threads. Idempotent.
  void Stop();
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop(int index);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::atomic<int64_t> pending_{0};
  int sleepers_ = 0;
  bool stop_ = false;
  int spin_iterations_;
  std::string name_;
  std::vector<std::thread> threads_;
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_WORKER_POOL_H_
