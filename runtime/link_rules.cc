#include "runtime/link_rules.h"

#include <set>
#include <tuple>

#include "runtime/link_rules_wire.h"

namespace olsgd::rt::detail {

void LinkRules::AddClusterRule(LinkRule rule) {
  cluster_rules_.push_back(rule);
  table_.Add(std::move(rule.from), std::move(rule.to), rule.model);
  ++version_;
}

void LinkRules::ClearClusterRules() {
  cluster_rules_.clear();
  table_.Clear();
  ++version_;
}

bool LinkRules::NameRegistered(const std::string& name) {
  bool mentioned = false;
  for (const auto& r : cluster_rules_) {
    for (const auto* s : {&r.from, &r.to}) {
      mentioned |= s->kind == LinkSelector::Kind::kActorName && s->name == name;
    }
  }
  if (mentioned) ++version_;
  return mentioned;
}

msgpack::sbuffer LinkRules::PackClusterRules(
    const std::function<std::optional<ActorId>(const std::string&)>& find_id) const {
  WireLinkRules w;
  std::get<0>(w) = version_;
  std::set<std::string> names;
  for (const auto& r : cluster_rules_) {
    std::get<1>(w).emplace_back(ToWire(r.from), ToWire(r.to), ToWire(r.model));
    for (const auto* s : {&r.from, &r.to}) {
      if (s->kind == LinkSelector::Kind::kActorName) names.insert(s->name);
    }
  }
  for (const auto& name : names) {
    if (auto id = find_id(name)) std::get<2>(w).emplace_back(*id, name);
  }
  msgpack::sbuffer body;
  msgpack::pack(body, w);
  return body;
}

void LinkRules::AddLocalRule(LinkRule rule) {
  MutexLock lock(mu_);
  local_rules_.push_back(rule);
  table_.Add(std::move(rule.from), std::move(rule.to), rule.model);
}

void LinkRules::ClearLocalRules() {
  MutexLock lock(mu_);
  local_rules_.clear();
  table_.Replace(cluster_rules_);
}

bool LinkRules::ApplyClusterRules(uint64_t version, std::vector<LinkRule> rules) {
  MutexLock lock(mu_);
  if (version <= version_) return false;  // an older list
  version_ = version;
  cluster_rules_ = std::move(rules);
  std::vector<LinkRule> all = cluster_rules_;
  all.insert(all.end(), local_rules_.begin(), local_rules_.end());
  table_.Replace(all);
  return true;
}

}  // namespace olsgd::rt::detail
