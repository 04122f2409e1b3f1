// Identifiers of nodes and actors. An ActorId is unique in a cluster: the
// node that hosts the actor in the upper 32 bits, a per-node counter below.
// Local id 0 stands for "no actor" (a driver thread outside every actor).
#ifndef OLSGD_RUNTIME_IDS_H_
#define OLSGD_RUNTIME_IDS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "runtime/msgpack_safe.h"

namespace olsgd::rt {

using NodeId = uint32_t;
inline constexpr NodeId kHeadNode = 0;
inline constexpr NodeId kNoNode = 0xffffffffu;

struct ActorId {
  uint64_t value = 0;

  constexpr ActorId() = default;
  constexpr explicit ActorId(uint64_t v) : value(v) {}
  constexpr ActorId(NodeId node, uint32_t local) : value((uint64_t{node} << 32) | local) {}

  constexpr NodeId node() const { return static_cast<NodeId>(value >> 32); }
  constexpr uint32_t local() const { return static_cast<uint32_t>(value); }
  // True for a real actor (not the "outside any actor" sender of a node).
  constexpr bool is_actor() const { return local() != 0; }
  // "2:17" (node:local).
  std::string ToString() const { return std::to_string(node()) + ":" + std::to_string(local()); }

  friend constexpr bool operator==(ActorId a, ActorId b) { return a.value == b.value; }
  friend constexpr bool operator!=(ActorId a, ActorId b) { return a.value != b.value; }
  friend constexpr bool operator<(ActorId a, ActorId b) { return a.value < b.value; }
};

}  // namespace olsgd::rt

// ActorId packs as a plain unsigned integer.
namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(MSGPACK_DEFAULT_API_NS) {
  namespace adaptor {
  template <>
  struct convert<olsgd::rt::ActorId> {
    const msgpack::object& operator()(const msgpack::object& o, olsgd::rt::ActorId& v) const {
      v.value = o.as<uint64_t>();
      return o;
    }
  };
  template <>
  struct pack<olsgd::rt::ActorId> {
    template <class Stream>
    msgpack::packer<Stream>& operator()(msgpack::packer<Stream>& p,
                                        const olsgd::rt::ActorId& v) const {
      p.pack_uint64(v.value);
      return p;
    }
  };
  }  // namespace adaptor
}  // MSGPACK_API_VERSION_NAMESPACE
}  // namespace msgpack

template <>
struct std::hash<olsgd::rt::ActorId> {
  size_t operator()(olsgd::rt::ActorId id) const noexcept {
    return std::hash<uint64_t>()(id.value);
  }
};

#endif  // OLSGD_RUNTIME_IDS_H_
