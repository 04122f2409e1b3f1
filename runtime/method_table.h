// MethodTable<A>: the registered methods of an actor type, by stable name.
//
//   static void DefineMethods(rt::MethodTable<Reducer>& t) {
//     t.Def("contribute", &Reducer::Contribute);
//   }
//
// Local messages call the member function directly (no table lookup, no
// serialisation). Remote messages carry the name and are dispatched through
// the table, which unpacks the arguments with msgpack.
//
// A method may return void, a value, Result<T> (an error goes to the caller
// without counting as a failure) or Future<T> (the reply is sent when the
// future completes: deferred replies). Parameters are taken by value or by
// const reference; they must be msgpack-able (Tensor and ActorHandle are)
// and default-constructible.
#ifndef OLSGD_RUNTIME_METHOD_TABLE_H_
#define OLSGD_RUNTIME_METHOD_TABLE_H_

#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

#include "runtime/error.h"
#include "runtime/future.h"
#include "runtime/msgpack_safe.h"
#include "runtime/tensor.h"
#include "runtime/unique_function.h"

namespace olsgd::rt {

class Actor;

namespace detail {

template <class M>
struct MethodTraits;
template <class R, class... P>
struct MethodTraits<R(P...)> {
  using Return = R;
  using ArgsTuple = std::tuple<std::decay_t<P>...>;
  static constexpr size_t kArity = sizeof...(P);
  static constexpr bool kRefArgsOk =
      ((!std::is_lvalue_reference_v<P> || std::is_const_v<std::remove_reference_t<P>>)&&...);
};
template <class R, class... P>
struct MethodTraits<R(P...) const> : MethodTraits<R(P...)> {};
template <class R, class... P>
struct MethodTraits<R(P...) noexcept> : MethodTraits<R(P...)> {};
template <class R, class... P>
struct MethodTraits<R(P...) const noexcept> : MethodTraits<R(P...)> {};

template <class R>
struct ReplyType {
  using type = R;
};
template <class T>
struct ReplyType<Future<T>> {
  using type = T;
};
template <class T>
struct ReplyType<Result<T>> {
  using type = T;
};

}  // namespace detail

// The type a Call on method type M resolves to: R for R, Result<R> and Future<R>.
template <class M>
using ResultOf = typename detail::ReplyType<typename detail::MethodTraits<M>::Return>::type;

namespace detail {

// Packed reply for the wire: msgpack body plus tensors for raw frames.
struct WirePayload {
  msgpack::sbuffer body{256};
  std::vector<Tensor> tensors;
};
using RemoteReplySink = UniqueFunction<void(Result<WirePayload>)>;
// Unpacks args, runs the method, replies through sink (may be empty for a
// tell). Returns false if the method threw.
using RemoteInvoker = std::function<bool(Actor&, const msgpack::object& args,
                                         std::vector<Tensor>& tensors, RemoteReplySink sink)>;

// msgpack-packs `v`, moving tensors aside into `tensors`.
template <class T>
void PackValue(msgpack::sbuffer& out, std::vector<Tensor>& tensors, const T& v) {
  TensorSinkScope scope(&tensors);
  msgpack::pack(out, v);
}

template <class T>
Result<WirePayload> PackResult(const Result<T>& r) {
  if (!r.ok()) return r.error();
  WirePayload p;
  try {
    if constexpr (std::is_void_v<T>) {
      msgpack::pack(p.body, msgpack::type::nil_t());
    } else {
      PackValue(p.body, p.tensors, r.value());
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::kDecode, std::string("cannot pack reply: ") + e.what()};
  }
  return p;
}

inline Error FailureError(std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const ErrorException& e) {
    return Error{ErrorCode::kActorFailed, e.error().ToString()};
  } catch (const std::exception& e) {
    return Error{ErrorCode::kActorFailed, e.what()};
  } catch (...) {
    return Error{ErrorCode::kActorFailed, "unknown exception"};
  }
}

// Runs fn() (the method call) and hands its outcome to sink(Result<T>).
// Returns false if fn threw (the sink gets Error{kActorFailed}).
template <class R, class Fn, class Sink>
bool RunAndReply(Fn&& fn, Sink&& sink) {
  using T = typename ReplyType<R>::type;
  try {
    if constexpr (std::is_void_v<R>) {
      fn();
      sink(Result<void>());
    } else if constexpr (IsFuture<R>::value) {
      R f = fn();
      f.OnReadyInline([sink = std::forward<Sink>(sink)](const Result<T>& r) mutable { sink(r); });
    } else if constexpr (std::is_same_v<R, Result<T>>) {
      sink(fn());
    } else {
      sink(Result<T>(fn()));
    }
    return true;
  } catch (...) {
    sink(Result<T>(FailureError(std::current_exception())));
    return false;
  }
}

template <class A, class M, class Tuple>
decltype(auto) InvokeMethod(A& a, M A::*method, Tuple&& args) {
  return std::apply([&](auto&... xs) -> decltype(auto) { return (a.*method)(std::move(xs)...); },
                    args);
}

template <class A, class M>
RemoteInvoker MakeRemoteInvoker(M A::*method) {
  using Traits = MethodTraits<M>;
  using R = typename Traits::Return;
  using T = typename ReplyType<R>::type;
  return [method](Actor& base, const msgpack::object& args, std::vector<Tensor>& tensors,
                  RemoteReplySink sink) -> bool {
    A& a = static_cast<A&>(base);
    typename Traits::ArgsTuple tuple;
    try {
      TensorSourceScope scope(&tensors);
      args.convert(tuple);
    } catch (const std::exception& e) {
      if (sink)
        sink(Error{ErrorCode::kDecode,
                   std::string("arguments do not match the method: ") + e.what()});
      return true;
    }
    return RunAndReply<R>([&]() -> R { return InvokeMethod(a, method, tuple); },
                          [sink = std::move(sink)](const Result<T>& r) mutable {
                            if (sink) sink(PackResult(r));
                          });
  };
}

}  // namespace detail

template <class A>
class MethodTable {
 public:
  // Registers `method` under `name` (unique per actor type, stable across
  // processes).
  template <class M>
  MethodTable& Def(std::string name, M A::*method) {
    static_assert(std::is_function_v<M>, "Def takes a member function");
    static_assert(detail::MethodTraits<M>::kRefArgsOk,
                  "parameters must be values or const references");
    for (const auto& e : entries_) {
      if (e.name == name)
        throw std::logic_error("method '" + name + "' defined twice in " + A::kTypeName);
    }
    Entry e;
    e.name = std::move(name);
    e.key_type = std::type_index(typeid(M A::*));
    static_assert(sizeof(method) <= sizeof(e.key));
    std::memcpy(e.key, &method, sizeof(method));
    e.key_size = sizeof(method);
    e.invoke = detail::MakeRemoteInvoker<A>(method);
    entries_.push_back(std::move(e));
    return *this;
  }

  // The registered name of `method`, or nullptr.
  template <class M>
  const std::string* NameOf(M A::*method) const {
    // The bytes first: comparing type_index may compare mangled names.
    for (const auto& e : entries_) {
      if (e.key_size == sizeof(method) && std::memcmp(e.key, &method, sizeof(method)) == 0 &&
          e.key_type == std::type_index(typeid(M A::*))) {
        return &e.name;
      }
    }
    return nullptr;
  }

  const detail::RemoteInvoker* Find(std::string_view name) const {
    for (const auto& e : entries_) {
      if (e.name == name) return &e.invoke;
    }
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.name);
    return out;
  }

  // The table of A, built once from A::DefineMethods.
  static const MethodTable& Get() {
    static const MethodTable table = [] {
      MethodTable t;
      A::DefineMethods(t);
      return t;
    }();
    return table;
  }
  static const detail::RemoteInvoker* FindStatic(std::string_view name) { return Get().Find(name); }

 private:
  struct Entry {
    std::string name;
    std::type_index key_type = std::type_index(typeid(void));
    alignas(8) char key[32] = {};
    size_t key_size = 0;
    detail::RemoteInvoker invoke;
  };
  std::vector<Entry> entries_;
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_METHOD_TABLE_H_
