// Future<T> / Promise<T>: the reply side of ActorHandle::Call.
//
// Get(timeout) blocks a plain thread; inside an actor use Then, whose callback
// runs later as a message of the calling actor (so actor state needs no lock).
// Outside any actor, Then callbacks run on the shared pool of the runtime the
// future belongs to: the one whose handle made the call, or the one whose
// thread made the promise. If that runtime has shut down, or the future
// belongs to none, they run inline on the completing thread.
#ifndef OLSGD_RUNTIME_FUTURE_H_
#define OLSGD_RUNTIME_FUTURE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/error.h"
#include "runtime/unique_function.h"

namespace olsgd::rt {

namespace detail {

class RuntimeExecutor;  // runtime/runtime_executor.h
// The executor of the current thread's runtime, nullptr outside runtime
// threads (runtime_executor.cc).
RuntimeExecutor* CurrentExecutor();

// Where a Then callback goes: the calling actor's mailbox (checked against the
// actor's incarnation, so a callback never reaches a restarted instance), a
// runtime's pool, or nowhere (inline). Filled in by the runtime
// (actor_cell.cc) from the calling thread and the future's own runtime.
struct Poster {
  std::shared_ptr<void> target;
  void (*post)(const std::shared_ptr<void>& target, uint64_t incarnation, Task task) = nullptr;
  uint64_t incarnation = 0;
  void Post(Task task) const {
    if (post) {
      post(target, incarnation, std::move(task));
    } else {
      task();
    }
  }
};
Poster CapturePoster(RuntimeExecutor* future_runtime);

// Spin briefly before sleeping: a reply often arrives within microseconds,
// and a futex sleep/wake costs more than that.
inline constexpr int kSpinIterations = 200;

template <class T>
class FutureState {
 public:
  using Callback = UniqueFunction<void(const Result<T>&)>;

  // `runtime`: the runtime this future belongs to (nullptr: none). Its
  // executor lives as long as the process, so a plain pointer is safe.
  explicit FutureState(RuntimeExecutor* runtime) : runtime_(runtime) {}
  RuntimeExecutor* runtime() const { return runtime_; }

  // First Set wins; later ones are ignored (returns false).
  bool Set(Result<T> r) {
    std::vector<Callback> callbacks;
    {
      std::lock_guard lock(mu_);
      if (result_) return false;
      result_.emplace(std::move(r));
      callbacks.swap(callbacks_);
      ready_.store(true, std::memory_order_release);
    }
    cv_.notify_all();
    for (auto& cb : callbacks) cb(*result_);
    return true;
  }

  void OnReady(Callback cb) {
    {
      std::lock_guard lock(mu_);
      if (!result_) {
        callbacks_.push_back(std::move(cb));
        return;
      }
    }
    cb(*result_);
  }

  bool ready() const { return ready_.load(std::memory_order_acquire); }

  // Waits up to `timeout` (negative = forever). Returns the result or nullopt.
  const Result<T>* Wait(std::chrono::nanoseconds timeout) {
    for (int i = 0; i < kSpinIterations && !ready(); ++i) {
      if (i > 50) std::this_thread::yield();
    }
    std::unique_lock lock(mu_);
    if (timeout < std::chrono::nanoseconds::zero()) {
      cv_.wait(lock, [&] { return result_.has_value(); });
    } else if (!cv_.wait_for(lock, timeout, [&] { return result_.has_value(); })) {
      return nullptr;
    }
    return &*result_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Result<T>> result_;
  std::vector<Callback> callbacks_;
  std::atomic<bool> ready_{false};
  RuntimeExecutor* const runtime_;
};

}  // namespace detail

template <class T>
class Promise;

// A value that arrives later. Copyable; all copies see the same result.
template <class T>
class Future {
 public:
  using value_type = T;
  Future() = default;
  explicit Future(std::shared_ptr<detail::FutureState<T>> s) : s_(std::move(s)) {}

  // An already completed future (of the current thread's runtime, if any).
  static Future Ready(Result<T> r) {
    auto s = std::make_shared<detail::FutureState<T>>(detail::CurrentExecutor());
    s->Set(std::move(r));
    return Future(std::move(s));
  }

  bool valid() const { return s_ != nullptr; }
  bool IsReady() const { return s_ && s_->ready(); }

  // The result, or Error{kTimeout} after `timeout`. Never call it inside an
  // actor on a reply that needs the same actor (use Then).
  Result<T> Get(std::chrono::nanoseconds timeout) const {
    if (!s_) return Error{ErrorCode::kInvalidArgument, "Get on an empty Future"};
    const Result<T>* r = s_->Wait(timeout);
    if (!r) {
      return Error{ErrorCode::kTimeout,
                   "no reply within " +
                       std::to_string(
                           std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) +
                       " ms"};
    }
    return *r;
  }
  // Waits without a time limit.
  Result<T> Get() const { return Get(std::chrono::nanoseconds(-1)); }

  // Runs f(Result<T>) when the result is there: as a message of the calling
  // actor if called inside one, else on the pool of the calling thread's
  // runtime or of the future's runtime (inline once that one is shut down).
  // `f` may be move-only.
  template <class F>
  void Then(F&& f) const {
    detail::Poster poster = detail::CapturePoster(s_->runtime());
    s_->OnReady([poster = std::move(poster), f = std::forward<F>(f)](const Result<T>& r) mutable {
      poster.Post([f = std::move(f), r]() mutable { f(std::move(r)); });
    });
  }

  // Runs f(const Result<T>&) on whichever thread completes the future (or
  // now, if already complete). Keep `f` short and non-blocking.
  template <class F>
  void OnReadyInline(F&& f) const {
    s_->OnReady(std::forward<F>(f));
  }

 private:
  std::shared_ptr<detail::FutureState<T>> s_;
};

// The writing side. Move-only; destroying an unfulfilled Promise completes
// its future with Error{kBrokenPromise}, so a lost message never hangs a caller.
template <class T>
class Promise {
 public:
  // A promise of the current thread's runtime (if any): made in an actor, its
  // future's Then callbacks go to that runtime's pool.
  Promise() : s_(std::make_shared<detail::FutureState<T>>(detail::CurrentExecutor())) {}
  // A promise of the runtime `runtime` belongs to (ActorHandle::Call).
  explicit Promise(detail::RuntimeExecutor* runtime)
      : s_(std::make_shared<detail::FutureState<T>>(runtime)) {}
  Promise(Promise&&) noexcept = default;
  Promise& operator=(Promise&& o) noexcept {
    if (this != &o) {
      Abandon();
      s_ = std::move(o.s_);
    }
    return *this;
  }
  Promise(const Promise&) = delete;
  Promise& operator=(const Promise&) = delete;
  ~Promise() { Abandon(); }

  Future<T> future() const { return Future<T>(s_); }

  // Completes the future; later calls are ignored. Returns false if it was
  // already complete.
  template <class U = T, class = std::enable_if_t<!std::is_void_v<U>>>
  bool Set(U value) {
    return s_ && s_->Set(Result<T>(std::move(value)));
  }
  template <class U = T, class = std::enable_if_t<std::is_void_v<U>>>
  bool Set() {
    return s_ && s_->Set(Result<void>());
  }
  bool SetError(Error e) { return s_ && s_->Set(Result<T>(std::move(e))); }
  bool SetResult(Result<T> r) { return s_ && s_->Set(std::move(r)); }
  bool valid() const { return s_ != nullptr; }

 private:
  void Abandon() {
    if (s_ && !s_->ready())
      s_->Set(Result<T>(Error{ErrorCode::kBrokenPromise, "promise dropped without a reply"}));
    s_.reset();
  }
  std::shared_ptr<detail::FutureState<T>> s_;
};

template <class T>
struct IsFuture : std::false_type {};
template <class T>
struct IsFuture<Future<T>> : std::true_type {};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_FUTURE_H_
