// The wire form of link rules (MsgType::kLinkRules): body =
// [version, [[from, to, model]...], [[actor id, name]...]], selectors as
// [kind, actor id, node id, name], models as [latency ns, jitter kind,
// jitter scale ns, jitter shape, bandwidth bytes/s, seed].
#ifndef OLSGD_RUNTIME_LINK_RULES_WIRE_H_
#define OLSGD_RUNTIME_LINK_RULES_WIRE_H_

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "runtime/ids.h"
#include "runtime/link_model.h"
#include "runtime/msgpack_safe.h"

namespace olsgd::rt::detail {

using WireSelector = std::tuple<int, ActorId, NodeId, std::string>;
using WireModel = std::tuple<int64_t, int, int64_t, double, double, uint64_t>;
using WireRule = std::tuple<WireSelector, WireSelector, WireModel>;
using WireLinkRules =
    std::tuple<uint64_t, std::vector<WireRule>, std::vector<std::tuple<ActorId, std::string>>>;

inline WireSelector ToWire(const LinkSelector& s) {
  return {static_cast<int>(s.kind), s.actor, s.node, s.name};
}

inline LinkSelector FromWire(const WireSelector& w) {
  int kind = std::get<0>(w);
  if (kind < 0 || kind > static_cast<int>(LinkSelector::Kind::kNodeName)) {
    throw std::runtime_error("bad link selector kind " + std::to_string(kind));
  }
  LinkSelector s;
  s.kind = static_cast<LinkSelector::Kind>(kind);
  s.actor = std::get<1>(w);
  s.node = std::get<2>(w);
  s.name = std::get<3>(w);
  return s;
}

inline WireModel ToWire(const LinkModel& m) {
  return {m.latency.count(), static_cast<int>(m.jitter.kind), m.jitter.scale.count(),
          m.jitter.shape,    m.bandwidth_bytes_per_s,         m.seed};
}

inline LinkModel FromWire(const WireModel& w) {
  int kind = std::get<1>(w);
  if (kind < 0 || kind > static_cast<int>(JitterDist::Kind::kPareto)) {
    throw std::runtime_error("bad jitter kind " + std::to_string(kind));
  }
  LinkModel m;
  m.latency = std::chrono::nanoseconds(std::get<0>(w));
  m.jitter.kind = static_cast<JitterDist::Kind>(kind);
  m.jitter.scale = std::chrono::nanoseconds(std::get<2>(w));
  m.jitter.shape = std::get<3>(w);
  m.bandwidth_bytes_per_s = std::get<4>(w);
  m.seed = std::get<5>(w);
  return m;
}

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_LINK_RULES_WIRE_H_
