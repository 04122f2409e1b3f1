// Runtime: cluster-wide link models. Rules set on the head go to every node
// (kLinkRules: the whole list with a version, so an older list never
// replaces a newer one) together with the ids of the actors their name
// selectors mention, so that each node can match them on the messages it
// sends.
#include <set>
#include <tuple>

#include "runtime/directory.h"
#include "runtime/link_rules_wire.h"
#include "runtime/log.h"
#include "runtime/runtime.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt {

using detail::MsgType;
using detail::WireHeader;

using detail::FromWire;
using detail::ToWire;
using detail::WireLinkRules;

void Runtime::SetLinkModel(LinkSelector from, LinkSelector to, LinkModel model) {
  std::lock_guard lock(link_rules_mu_);
  if (is_head()) {
    cluster_rules_.push_back({from, to, model});
    links_.Add(std::move(from), std::move(to), model);
    ++link_rules_version_;
    BroadcastLinkRulesLocked();
  } else {
    local_rules_.push_back({from, to, model});
    links_.Add(std::move(from), std::move(to), model);
  }
}

void Runtime::ClearLinkModels() {
  std::lock_guard lock(link_rules_mu_);
  if (is_head()) {
    cluster_rules_.clear();
    links_.Clear();
    ++link_rules_version_;
    BroadcastLinkRulesLocked();
  } else {
    local_rules_.clear();
    links_.Replace(cluster_rules_);
  }
}

void Runtime::ApplyLinkRules(const msgpack::object& body) {
  auto w = body.as<WireLinkRules>();
  std::vector<LinkRule> rules;
  for (const auto& r : std::get<1>(w)) {
    rules.push_back({FromWire(std::get<0>(r)), FromWire(std::get<1>(r)), FromWire(std::get<2>(r))});
  }
  {
    std::lock_guard lock(nodes_mu_);
    for (const auto& [id, name] : std::get<2>(w)) remote_names_[id] = name;
  }
  std::lock_guard lock(link_rules_mu_);
  if (std::get<0>(w) <= link_rules_version_) return;  // an older list
  link_rules_version_ = std::get<0>(w);
  cluster_rules_ = std::move(rules);
  std::vector<LinkRule> all = cluster_rules_;
  all.insert(all.end(), local_rules_.begin(), local_rules_.end());
  links_.Replace(all);
  Log().debug("node {}: {} cluster-wide link rules (version {})", node_name_, cluster_rules_.size(),
              link_rules_version_);
}

void Runtime::SendLinkRulesLocked(const std::vector<NodeId>& to) {
  if (!transport_ || to.empty()) return;
  WireLinkRules w;
  std::get<0>(w) = link_rules_version_;
  std::set<std::string> names;
  for (const auto& r : cluster_rules_) {
    std::get<1>(w).emplace_back(ToWire(r.from), ToWire(r.to), ToWire(r.model));
    for (const auto* s : {&r.from, &r.to}) {
      if (s->kind == LinkSelector::Kind::kActorName) names.insert(s->name);
    }
  }
  for (const auto& name : names) {
    if (auto e = directory_->Find(name)) std::get<2>(w).emplace_back(e->id, name);
  }
  msgpack::sbuffer body;
  msgpack::pack(body, w);
  WireHeader h{MsgType::kLinkRules, node_id(), ActorId(node_id(), 0), ActorId(), "", 0};
  for (NodeId id : to) {
    Status s = transport_->Send(id, h, body, {});
    if (!s.ok()) Log().warn("link rules to node {} failed: {}", id, s.error().message);
  }
}

void Runtime::BroadcastLinkRulesLocked() {
  std::vector<NodeId> to;
  {
    std::lock_guard lock(nodes_mu_);
    for (const auto& [id, n] : nodes_) {
      if (id != node_id()) to.push_back(id);
    }
  }
  SendLinkRulesLocked(to);
}

void Runtime::OnNameRegistered(const std::string& name) {
  if (!is_head() || !transport_) return;
  std::lock_guard lock(link_rules_mu_);
  bool mentioned = false;
  for (const auto& r : cluster_rules_) {
    for (const auto* s : {&r.from, &r.to}) mentioned |= s->kind == LinkSelector::Kind::kActorName && s->name == name;
  }
  if (!mentioned) return;
  ++link_rules_version_;  // same rules, one more resolved name
  BroadcastLinkRulesLocked();
}

}  // namespace olsgd::rt
