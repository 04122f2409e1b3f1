// Runtime: cluster-wide link models. Rules set on the head go to every node
// (kLinkRules: the whole list with a version, so an older list never
// replaces a newer one) together with the ids of the actors their name
// selectors mention, so that each node can match them on the messages it
// sends. The rules themselves are LinkRules' (link_rules.h).
#include <tuple>

#include "runtime/link_rules_wire.h"
#include "runtime/log.h"
#include "runtime/runtime.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt {

using detail::MsgType;
using detail::WireHeader;

using detail::FromWire;
using detail::WireLinkRules;

void Runtime::SetLinkModel(LinkSelector from, LinkSelector to, LinkModel model) {
  if (is_head()) {
    MutexLock lock(link_rules_.mu());
    link_rules_.AddClusterRule({std::move(from), std::move(to), model});
    BroadcastLinkRules();
  } else {
    link_rules_.AddLocalRule({std::move(from), std::move(to), model});
  }
}

void Runtime::ClearLinkModels() {
  if (is_head()) {
    MutexLock lock(link_rules_.mu());
    link_rules_.ClearClusterRules();
    BroadcastLinkRules();
  } else {
    link_rules_.ClearLocalRules();
  }
}

void Runtime::ApplyLinkRules(const msgpack::object& body) {
  auto w = body.as<WireLinkRules>();
  std::vector<LinkRule> rules;
  for (const auto& r : std::get<1>(w)) {
    rules.push_back({FromWire(std::get<0>(r)), FromWire(std::get<1>(r)), FromWire(std::get<2>(r))});
  }
  membership_.RememberNames(std::get<2>(w));
  const uint64_t version = std::get<0>(w);
  const size_t n = rules.size();
  if (link_rules_.ApplyClusterRules(version, std::move(rules))) {
    Log().debug("node {}: {} cluster-wide link rules (version {})", node_name(), n, version);
  }
}

void Runtime::SendLinkRules(const std::vector<NodeId>& to) {
  if (!transport_ || to.empty()) return;
  msgpack::sbuffer body =
      link_rules_.PackClusterRules([this](const std::string& name) -> std::optional<ActorId> {
        if (auto e = directory_.Find(name)) return e->id;
        return std::nullopt;
      });
  WireHeader h{MsgType::kLinkRules, node_id(), ActorId(node_id(), 0), ActorId(), "", 0};
  for (NodeId id : to) {
    Status s = transport_->Send(id, h, body, {});
    if (!s.ok()) Log().warn("link rules to node {} failed: {}", id, s.error().message);
  }
}

void Runtime::BroadcastLinkRules() { SendLinkRules(membership_.Others()); }

void Runtime::OnNameRegistered(const std::string& name) {
  if (!is_head() || !transport_) return;
  MutexLock lock(link_rules_.mu());
  if (link_rules_.NameRegistered(name)) BroadcastLinkRules();
}

}  // namespace olsgd::rt
