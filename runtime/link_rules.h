// LinkRules: the link models in force on this node and the LinkTable they
// feed, which delivery consults for every message. Two lists: the
// cluster-wide rules, set on the head and versioned (the head sends the whole
// list to every node, so an older list never replaces a newer one), and this
// node's own rules, which apply after (so over) the cluster-wide ones.
#ifndef OLSGD_RUNTIME_LINK_RULES_H_
#define OLSGD_RUNTIME_LINK_RULES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/ids.h"
#include "runtime/link_model.h"
#include "runtime/msgpack_safe.h"
#include "runtime/mutex.h"

namespace olsgd::rt::detail {

class LinkRules {
 public:
  // The head holds this while it changes the cluster-wide rules and sends
  // the new list, and while it answers a join, so that a node that joins
  // during a change gets the new list either with its join or in the
  // broadcast.
  Mutex& mu() const RETURN_CAPABILITY(mu_) { return mu_; }

  // What delivery asks for each message (no lock: the table has its own).
  bool active() const { return table_.active(); }
  std::optional<Clock::time_point> Release(const LinkEndpoint& from, const LinkEndpoint& to,
                                           uint64_t bytes, Clock::time_point now) {
    return table_.Release(from, to, bytes, now);
  }

  // Head: the cluster-wide rules. Every change bumps the version.
  void AddClusterRule(LinkRule rule) REQUIRES(mu_);
  void ClearClusterRules() REQUIRES(mu_);
  // Bumps the version if a cluster-wide rule names the actor `name`, whose
  // id the nodes now need (same rules, one more resolved name): true then.
  bool NameRegistered(const std::string& name) REQUIRES(mu_);
  uint64_t version() const REQUIRES(mu_) { return version_; }
  // The kLinkRules body: the version, the cluster-wide rules, and the ids of
  // the actors their name selectors mention (`find_id` resolves a name).
  msgpack::sbuffer PackClusterRules(
      const std::function<std::optional<ActorId>(const std::string&)>& find_id) const REQUIRES(mu_);

  // A worker's own rules, over the head's.
  void AddLocalRule(LinkRule rule) EXCLUDES(mu_);
  void ClearLocalRules() EXCLUDES(mu_);
  // Takes in the head's list; false (and nothing changes) unless it is newer
  // than the one in force.
  bool ApplyClusterRules(uint64_t version, std::vector<LinkRule> rules) EXCLUDES(mu_);

 private:
  mutable Mutex mu_{LockRank::kLinkRules};
  std::vector<LinkRule> cluster_rules_ GUARDED_BY(mu_);  // the head's, cluster-wide
  std::vector<LinkRule> local_rules_ GUARDED_BY(mu_);    // this worker's own
  uint64_t version_ GUARDED_BY(mu_) = 0;                 // of cluster_rules_
  LinkTable table_;  // cluster_rules_ then local_rules_; thread-safe on its own
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_LINK_RULES_H_
