#include "runtime/runtime_executor.h"

#include <memory>
#include <vector>

#include "runtime/runtime.h"

namespace olsgd::rt::detail {

RuntimeExecutor* RuntimeExecutor::Create(Runtime* rt) {
  // Kept reachable here, so that leak checkers see them as the deliberate
  // process-long objects they are.
  static Mutex mu(LockRank::kRuntimeExecutor);
  static auto* all = new std::vector<std::unique_ptr<RuntimeExecutor>>;
  MutexLock lock(mu);
  all->push_back(std::unique_ptr<RuntimeExecutor>(new RuntimeExecutor(rt)));
  return all->back().get();
}

void RuntimeExecutor::Run(Task task) {
  auto shared = std::make_shared<Task>(std::move(task));
  {
    MutexLock lock(mu_);
    if (rt_ && rt_->Post([shared] { (*shared)(); })) return;
  }
  // Shut down: run it here rather than lose it.
  (*shared)();
}

void RuntimeExecutor::Detach() {
  MutexLock lock(mu_);
  rt_ = nullptr;
}

RuntimeExecutor* CurrentExecutor() {
  Runtime* rt = CurrentRuntime();
  return rt ? rt->executor() : nullptr;
}

}  // namespace olsgd::rt::detail
