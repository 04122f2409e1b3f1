// RuntimeExecutor: where a Future's Then callback goes when Then is called
// outside any actor and any runtime thread: the pool of the runtime the
// future belongs to while that runtime runs, and inline once it has shut
// down (nothing else would run it then).
//
// A runtime makes one when it starts and detaches it when it shuts down. It
// is never freed: a future may outlive its runtime, and with an executor
// that lives as long as the process a future holds a plain pointer to it, so
// a Call costs no reference counting. That is a few dozen bytes for each
// runtime a process ever starts.
#ifndef OLSGD_RUNTIME_RUNTIME_EXECUTOR_H_
#define OLSGD_RUNTIME_RUNTIME_EXECUTOR_H_

#include "runtime/mutex.h"
#include "runtime/unique_function.h"

namespace olsgd::rt {

class Runtime;

namespace detail {

class RuntimeExecutor {
 public:
  // A new executor for `rt`, valid for the rest of the process.
  static RuntimeExecutor* Create(Runtime* rt);
  RuntimeExecutor(const RuntimeExecutor&) = delete;
  RuntimeExecutor& operator=(const RuntimeExecutor&) = delete;

  // Runs `task` on the runtime's pool, or here if the runtime is shut down.
  void Run(Task task) EXCLUDES(mu_);
  // The runtime is shutting down and no longer runs tasks.
  void Detach() EXCLUDES(mu_);

 private:
  explicit RuntimeExecutor(Runtime* rt) : rt_(rt) {}

  Mutex mu_{LockRank::kRuntimeExecutor};
  Runtime* rt_ GUARDED_BY(mu_);  // nullptr once detached
};

// The executor of the runtime the current thread works for (an actor, pool,
// I/O or timer thread), or nullptr on other threads.
RuntimeExecutor* CurrentExecutor();

}  // namespace detail
}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_RUNTIME_EXECUTOR_H_
