// ActorHandle<A>: a typed, copyable reference to an actor anywhere in the
// cluster. Tell (fire and forget) and Call (returns a Future) take a member
// function pointer registered in A's MethodTable and its arguments.
// Handles can travel inside messages (they pack as the actor id and type name).
#ifndef OLSGD_RUNTIME_HANDLE_H_
#define OLSGD_RUNTIME_HANDLE_H_

#include <chrono>
#include <memory>
#include <string>

#include "runtime/error.h"
#include "runtime/future.h"
#include "runtime/ids.h"
#include "runtime/method_table.h"
#include "runtime/msgpack_safe.h"

namespace olsgd::rt {

class Runtime;
namespace detail {
class ActorCell;
// Defined in runtime.cc: the local cell of `id`, or nullptr.
std::shared_ptr<ActorCell> FindLocalCell(Runtime* rt, ActorId id);
// The runtime of the thread that unpacks a message (nullptr elsewhere).
Runtime* CurrentRuntimeForHandles();
}  // namespace detail

template <class A>
class ActorHandle {
 public:
  ActorHandle() = default;
  ActorHandle(Runtime* rt, ActorId id, std::shared_ptr<detail::ActorCell> cell)
      : rt_(rt), id_(id), cell_(std::move(cell)) {}

  // Sends method(args...) without waiting. Errors: the actor is stopped or
  // unknown, the peer is unreachable, backpressure timed out, or the method
  // is not in A's MethodTable (remote only).
  template <class M, class... Args>
  Status Tell(M A::*method, Args&&... args) const;

  // Sends method(args...) and returns the future reply. Errors arrive in the
  // future (an exception in the method: kActorFailed).
  template <class M, class... Args>
  Future<ResultOf<M>> Call(M A::*method, Args&&... args) const;

  // Tell, `delay` from now (through the runtime's timer).
  template <class M, class... Args>
  Status TellAfter(std::chrono::nanoseconds delay, M A::*method, Args&&... args) const;

  ActorId id() const { return id_; }
  bool valid() const { return rt_ != nullptr && id_.is_actor(); }
  // True if the actor lives in this process.
  bool is_local() const { return cell_ != nullptr; }
  Runtime* runtime() const { return rt_; }
  const std::shared_ptr<detail::ActorCell>& cell() const { return cell_; }

  friend bool operator==(const ActorHandle& a, const ActorHandle& b) { return a.id_ == b.id_; }
  friend bool operator!=(const ActorHandle& a, const ActorHandle& b) { return a.id_ != b.id_; }
  friend bool operator<(const ActorHandle& a, const ActorHandle& b) { return a.id_ < b.id_; }

 private:
  Runtime* rt_ = nullptr;
  ActorId id_;
  std::shared_ptr<detail::ActorCell> cell_;
};

}  // namespace olsgd::rt

namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(MSGPACK_DEFAULT_API_NS) {
  namespace adaptor {
  // A handle packs as [actor id, kTypeName]; unpacking checks the type name and
  // binds the handle to the runtime of the unpacking thread.
  template <class A>
  struct convert<olsgd::rt::ActorHandle<A>> {
    const msgpack::object& operator()(const msgpack::object& o,
                                      olsgd::rt::ActorHandle<A>& v) const {
      if (o.type != msgpack::type::ARRAY || o.via.array.size != 2) throw msgpack::type_error();
      auto id = o.via.array.ptr[0].as<olsgd::rt::ActorId>();
      const auto& tn = o.via.array.ptr[1];
      if (tn.type != msgpack::type::STR ||
          std::string_view(tn.via.str.ptr, tn.via.str.size) != A::kTypeName) {
        throw msgpack::type_error();
      }
      olsgd::rt::Runtime* rt = olsgd::rt::detail::CurrentRuntimeForHandles();
      if (!id.is_actor()) {
        v = olsgd::rt::ActorHandle<A>();
        return o;
      }
      v = olsgd::rt::ActorHandle<A>(rt, id, olsgd::rt::detail::FindLocalCell(rt, id));
      return o;
    }
  };
  template <class A>
  struct pack<olsgd::rt::ActorHandle<A>> {
    template <class Stream>
    msgpack::packer<Stream>& operator()(msgpack::packer<Stream>& p,
                                        const olsgd::rt::ActorHandle<A>& v) const {
      p.pack_array(2);
      p.pack(v.id());
      p.pack(std::string_view(A::kTypeName));
      return p;
    }
  };
  }  // namespace adaptor
}  // MSGPACK_API_VERSION_NAMESPACE
}  // namespace msgpack

#endif  // OLSGD_RUNTIME_HANDLE_H_
