// Template definitions for runtime.h (ActorHandle, Spawn, Lookup, messages).
// Included by runtime.h; do not include directly.
#ifndef OLSGD_RUNTIME_RUNTIME_INL_H_
#define OLSGD_RUNTIME_RUNTIME_INL_H_

#include <thread>
#include <tuple>
#include <type_traits>

#include "runtime/codec.h"

namespace olsgd::rt {
namespace detail {

// Bytes `v` occupies as a message: its msgpack size plus its tensors' bytes.
// Counts without copying anything.
template <class T>
uint64_t PayloadBytes(const T& v) {
  if constexpr (std::is_arithmetic_v<T>) {
    return sizeof(T);
  } else {
    std::vector<Tensor> tensors;
    TensorSinkScope scope(&tensors);
    CountingStream s;
    msgpack::packer<CountingStream> p(s);
    p.pack(v);
    uint64_t n = s.n;
    for (const auto& t : tensors) n += t.size_bytes();
    return n;
  }
}

template <class T>
uint64_t ResultBytes(const Result<T>& r) {
  if constexpr (std::is_void_v<T>) {
    return 1;
  } else {
    return r.ok() ? PayloadBytes(r.value()) : 16 + r.error().message.size();
  }
}

template <class A, class M>
class LocalTell final : public Message {
 public:
  using Args = typename MethodTraits<M>::ArgsTuple;
  LocalTell(M A::*m, Args args) : method_(m), args_(std::move(args)) {}
  bool Run(ActorCell& cell) override {
    using R = typename MethodTraits<M>::Return;
    A& a = static_cast<A&>(*cell.actor());
    return RunAndReply<R>([&]() -> R { return InvokeMethod(a, method_, args_); },
                          [](const auto&) {});
  }

 private:
  M A::*method_;
  Args args_;
};

template <class A, class M>
class LocalCall final : public Message {
 public:
  using Args = typename MethodTraits<M>::ArgsTuple;
  using T = ResultOf<M>;
  LocalCall(M A::*m, Args args, Promise<T> p)
      : method_(m), args_(std::move(args)), promise_(std::move(p)) {}
  bool Run(ActorCell& cell) override {
    using R = typename MethodTraits<M>::Return;
    A& a = static_cast<A&>(*cell.actor());
    Runtime* rt = cell.runtime();
    ActorId from = cell.id(), to = sender;
    return RunAndReply<R>([&]() -> R { return InvokeMethod(a, method_, args_); },
                          [rt, from, to, p = std::move(promise_)](const Result<T>& r) mutable {
                            uint64_t n = ResultBytes(r);
                            rt->DeliverReply(from, to, n,
                                             [p = std::move(p), r]() mutable { p.SetResult(r); });
                          });
  }
  void Reject(const Error& e) override { promise_.SetError(e); }

 private:
  M A::*method_;
  Args args_;
  Promise<T> promise_;
};

template <class T>
void CompleteFromWire(Promise<T>& p, Result<WireMessage*> r) {
  if (!r.ok()) {
    p.SetError(r.error());
    return;
  }
  WireMessage& w = *r.value();
  if (w.type == MsgType::kReplyError) {
    Error e;
    try {
      w.body.convert(e);
    } catch (const std::exception&) {
      e = Error{ErrorCode::kDecode, "malformed error reply"};
    }
    p.SetError(std::move(e));
    return;
  }
  if constexpr (std::is_void_v<T>) {
    p.Set();
  } else {
    try {
      T v{};
      TensorSourceScope scope(&w.tensors);
      w.body.convert(v);
      p.Set(std::move(v));
    } catch (const std::exception& e) {
      p.SetError(Error{ErrorCode::kDecode,
                       std::string("reply does not match the method's result type: ") + e.what()});
    }
  }
}

template <class A, class M, class Tuple>
Status SendRemoteMethod(Runtime* rt, ActorId to, M A::*method, const Tuple& args, MsgType type,
                        uint64_t request_id) {
  const std::string* name = MethodTable<A>::Get().NameOf(method);
  if (!name) {
    return Error{ErrorCode::kUnknownMethod,
                 std::string("method not registered in ") + A::kTypeName + "::DefineMethods"};
  }
  ScratchBuffer scratch;
  msgpack::sbuffer& body = scratch.get();
  std::vector<Tensor> tensors;
  try {
    PackValue(body, tensors, args);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kDecode, std::string("cannot pack arguments: ") + e.what()};
  }
  return rt->SendRemote(to, static_cast<uint8_t>(type), *name, request_id, body,
                        std::move(tensors));
}

}  // namespace detail

template <class A>
template <class M, class... Args>
Status ActorHandle<A>::Tell(M A::*method, Args&&... args) const {
  using Traits = detail::MethodTraits<M>;
  static_assert(sizeof...(Args) == Traits::kArity,
                "Tell: wrong number of arguments for this method");
  if (!rt_) return Error{ErrorCode::kInvalidArgument, "Tell on an empty ActorHandle"};
  using ArgsTuple = typename Traits::ArgsTuple;
  ArgsTuple tuple = ArgsTuple(std::forward<Args>(args)...);
  if (cell_) {
    uint64_t bytes = detail::PayloadBytes(tuple);
    auto m = std::make_unique<detail::LocalTell<A, M>>(method, std::move(tuple));
    m->bytes = bytes;
    return rt_->SendLocal(cell_, std::move(m));
  }
  return detail::SendRemoteMethod(rt_, id_, method, tuple, detail::MsgType::kTell, 0);
}

template <class A>
template <class M, class... Args>
Future<ResultOf<M>> ActorHandle<A>::Call(M A::*method, Args&&... args) const {
  using Traits = detail::MethodTraits<M>;
  using T = ResultOf<M>;
  static_assert(sizeof...(Args) == Traits::kArity,
                "Call: wrong number of arguments for this method");
  if (!rt_)
    return Future<T>::Ready(Error{ErrorCode::kInvalidArgument, "Call on an empty ActorHandle"});
  using ArgsTuple = typename Traits::ArgsTuple;
  ArgsTuple tuple = ArgsTuple(std::forward<Args>(args)...);
  Promise<T> p(rt_->executor());  // Then outside an actor goes to this runtime's pool
  Future<T> f = p.future();
  if (cell_) {
    uint64_t bytes = detail::PayloadBytes(tuple);
    auto m = std::make_unique<detail::LocalCall<A, M>>(method, std::move(tuple), std::move(p));
    m->bytes = bytes;
    Status s = rt_->SendLocal(cell_, std::move(m));  // on failure the message rejected the promise
    (void)s;
    return f;
  }
  uint64_t req =
      rt_->AddPending(id_.node(), [p = std::move(p)](Result<detail::WireMessage*> r) mutable {
        detail::CompleteFromWire(p, r);
      });
  Status s = detail::SendRemoteMethod(rt_, id_, method, tuple, detail::MsgType::kCall, req);
  if (!s.ok()) rt_->FailPending(req, s.error());
  return f;
}

template <class A>
template <class M, class... Args>
Status ActorHandle<A>::TellAfter(std::chrono::nanoseconds delay, M A::*method,
                                 Args&&... args) const {
  using Traits = detail::MethodTraits<M>;
  static_assert(sizeof...(Args) == Traits::kArity,
                "TellAfter: wrong number of arguments for this method");
  if (!rt_) return Error{ErrorCode::kInvalidArgument, "TellAfter on an empty ActorHandle"};
  using ArgsTuple = typename Traits::ArgsTuple;
  ArgsTuple tuple = ArgsTuple(std::forward<Args>(args)...);
  TimerId t = rt_->After(delay, [h = *this, method, tuple = std::move(tuple)]() mutable {
    std::apply([&](auto&... a) { (void)h.Tell(method, std::move(a)...); }, tuple);
  });
  if (t == 0) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
  return OkStatus();
}

template <class A>
ActorHandle<A> ActorContext::self() const {
  if (cell_->type_name() != A::kTypeName) {
    throw std::logic_error("context().self<" + std::string(A::kTypeName) + ">() called in a " +
                           cell_->type_name());
  }
  return ActorHandle<A>(cell_->runtime(), cell_->id(), cell_->shared_from_this());
}

template <class A, class... CtorArgs>
Result<ActorHandle<A>> Runtime::SpawnLocal(SpawnOptions options, CtorArgs&&... args) {
  static_assert(std::is_base_of_v<Actor, A>, "actors derive from rt::Actor");
  auto factory = [tup = std::make_tuple(std::decay_t<CtorArgs>(
                      std::forward<CtorArgs>(args))...)]() -> std::unique_ptr<Actor> {
    return std::apply(
        [](const auto&... a) { return std::unique_ptr<Actor>(std::make_unique<A>(a...)); }, tup);
  };
  Result<ActorId> id =
      SpawnCell(options, A::kTypeName, std::move(factory), &MethodTable<A>::FindStatic);
  if (!id.ok()) return id.error();
  return ActorHandle<A>(this, *id, FindCell(*id));
}

template <class A, class... CtorArgs>
Result<ActorHandle<A>> Runtime::Spawn(SpawnOptions options, CtorArgs&&... args) {
  if (!options.node.empty() && options.node != node_name()) {
    msgpack::sbuffer body;
    std::vector<Tensor> tensors;
    try {
      detail::PackValue(body, tensors, std::tuple<std::decay_t<CtorArgs>...>(args...));
    } catch (const std::exception& e) {
      return Error{ErrorCode::kDecode,
                   std::string("cannot pack constructor arguments: ") + e.what()};
    }
    Result<ActorId> id = SpawnRemote(options, A::kTypeName, body, std::move(tensors));
    if (!id.ok()) return id.error();
    return ActorHandle<A>(this, *id, nullptr);
  }
  return SpawnLocal<A>(std::move(options), std::forward<CtorArgs>(args)...);
}

template <class A>
Result<ActorHandle<A>> Runtime::Lookup(const std::string& name, std::chrono::nanoseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto r = LookupOnce(name);
    if (r.ok()) {
      if (r->second != A::kTypeName) {
        return Error{ErrorCode::kTypeMismatch, "actor '" + name + "' is a " + r->second +
                                                   ", not a " + std::string(A::kTypeName)};
      }
      return HandleOf<A>(r->first);
    }
    if (r.error().code != ErrorCode::kNotFound || Clock::now() >= deadline) return r.error();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

template <class A, class... CtorArgs>
void RegisterActorType() {
  ActorTypeRegistry::Global().Add(
      A::kTypeName,
      [](Runtime& rt, const SpawnOptions& o, const msgpack::object& args,
         std::vector<Tensor>& tensors) -> Result<ActorId> {
        std::tuple<std::decay_t<CtorArgs>...> tup;
        try {
          detail::TensorSourceScope scope(&tensors);
          args.convert(tup);
        } catch (const std::exception& e) {
          return Error{ErrorCode::kDecode, std::string("constructor arguments for ") +
                                               A::kTypeName +
                                               " do not match the registered types: " + e.what()};
        }
        auto h = std::apply([&](auto&... a) { return rt.SpawnLocal<A>(o, std::move(a)...); }, tup);
        if (!h.ok()) return h.error();
        return h->id();
      });
}

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_RUNTIME_INL_H_
