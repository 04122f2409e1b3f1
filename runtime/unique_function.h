// UniqueFunction<R(Args...)>: a move-only std::function, so tasks and
// callbacks can own move-only state (promises, buffers). C++23 has
// std::move_only_function; this is the C++20 stand-in.
#ifndef OLSGD_RUNTIME_UNIQUE_FUNCTION_H_
#define OLSGD_RUNTIME_UNIQUE_FUNCTION_H_

#include <memory>
#include <type_traits>
#include <utility>

namespace olsgd::rt {

template <class Sig>
class UniqueFunction;

template <class R, class... Args>
class UniqueFunction<R(Args...)> {
 public:
  UniqueFunction() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, UniqueFunction>>>
  UniqueFunction(F&& f)  // NOLINT: implicit like std::function
      : impl_(std::make_unique<Impl<std::decay_t<F>>>(std::forward<F>(f))) {}
  UniqueFunction(UniqueFunction&&) noexcept = default;
  UniqueFunction& operator=(UniqueFunction&&) noexcept = default;

  explicit operator bool() const { return impl_ != nullptr; }
  R operator()(Args... args) { return impl_->Call(std::forward<Args>(args)...); }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual R Call(Args... args) = 0;
  };
  template <class F>
  struct Impl final : Base {
    template <class G>
    explicit Impl(G&& g) : f(std::forward<G>(g)) {}
    R Call(Args... args) override { return f(std::forward<Args>(args)...); }
    F f;
  };
  std::unique_ptr<Base> impl_;
};

// A unit of work for a thread pool, a timer or a mailbox.
using Task = UniqueFunction<void()>;

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_UNIQUE_FUNCTION_H_
