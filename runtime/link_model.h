// Link models: fault injection on the links between actors or nodes.
//
// A link model delays every message on a matching link by
//   serialisation (size / bandwidth, queued behind earlier messages on the link)
//   + latency + jitter (drawn from a seeded distribution),
// and never lets a message overtake an earlier one on the same link (release
// times are monotonic per link), so per-sender FIFO order holds. Models apply
// to in-process delivery too, and to replies. Everything is deterministic from
// the model's seed and the sequence of messages on the link.
#ifndef OLSGD_RUNTIME_LINK_MODEL_H_
#define OLSGD_RUNTIME_LINK_MODEL_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/ids.h"
#include "runtime/mutex.h"
#include "runtime/timer_queue.h"

namespace olsgd::rt {

// The random part of a link's delay; never negative in total.
struct JitterDist {
  enum class Kind { kNone, kUniform, kNormal, kExponential, kPareto };
  Kind kind = Kind::kNone;
  std::chrono::nanoseconds scale{0};
  double shape = 2.0;  // Pareto tail index (alpha > 0)

  static JitterDist None() { return {}; }
  // Uniform on [0, max).
  static JitterDist Uniform(std::chrono::nanoseconds max) { return {Kind::kUniform, max}; }
  // Normal with mean 0 and this standard deviation; the total delay is
  // clamped at 0.
  static JitterDist Normal(std::chrono::nanoseconds stddev) { return {Kind::kNormal, stddev}; }
  // Exponential with this mean.
  static JitterDist Exponential(std::chrono::nanoseconds mean) {
    return {Kind::kExponential, mean};
  }
  // Pareto (Lomax) tail: scale * (U^(-1/shape) - 1), >= 0, heavy-tailed.
  static JitterDist Pareto(std::chrono::nanoseconds scale, double shape) {
    return {Kind::kPareto, scale, shape};
  }
};

struct LinkModel {
  std::chrono::nanoseconds latency{0};
  JitterDist jitter;
  double bandwidth_bytes_per_s = 0;  // 0 = unlimited
  uint64_t seed = 0;
};

// One end of a link: any actor, one actor (by id or by name), or every actor
// of a node (by id or by name). Names resolve against the actors this runtime
// knows: its own, and on the head every named actor in the cluster.
struct LinkSelector {
  enum class Kind { kAny, kActor, kActorName, kNode, kNodeName };
  Kind kind = Kind::kAny;
  ActorId actor;
  NodeId node = 0;
  std::string name;

  static LinkSelector Any() { return {}; }
  static LinkSelector Actor(ActorId id) { return {Kind::kActor, id}; }
  static LinkSelector ActorNamed(std::string name) {
    return {Kind::kActorName, {}, 0, std::move(name)};
  }
  static LinkSelector Node(NodeId node) { return {Kind::kNode, {}, node}; }
  static LinkSelector NodeNamed(std::string name) {
    return {Kind::kNodeName, {}, 0, std::move(name)};
  }
};

// One rule: messages from `from` to `to` follow `model`.
struct LinkRule {
  LinkSelector from, to;
  LinkModel model;
};

// What a selector sees of a message's end.
struct LinkEndpoint {
  ActorId id;
  std::string_view actor_name;  // empty if unnamed or unknown
  std::string_view node_name;
};

namespace detail {

// Deterministic sampler (own formulas, so results do not depend on the
// standard library's distributions).
class JitterSampler {
 public:
  explicit JitterSampler(uint64_t seed) : state_(seed ? seed : 0x9e3779b97f4a7c15ull) {}
  std::chrono::nanoseconds Sample(const JitterDist& d);
  double Uniform01();  // (0, 1)

 private:
  uint64_t Next();
  uint64_t state_;
};

// The rules and the per-link state. Thread-safe.
class LinkTable {
 public:
  // Later rules take precedence over earlier ones.
  void Add(LinkSelector from, LinkSelector to, LinkModel model) EXCLUDES(mu_);
  void Clear() EXCLUDES(mu_);
  // Replaces every rule at once (the cluster-wide rules from the head).
  void Replace(const std::vector<LinkRule>& rules) EXCLUDES(mu_);
  bool active() const { return active_.load(std::memory_order_acquire); }

  // For a message of `bytes` from `from` to `to` sent at `now`: the release
  // time if a rule matches, else nullopt.
  std::optional<Clock::time_point> Release(const LinkEndpoint& from, const LinkEndpoint& to,
                                           uint64_t bytes, Clock::time_point now) EXCLUDES(mu_);

 private:
  struct Rule {
    LinkSelector from, to;
    LinkModel model;
  };
  struct LinkState {
    explicit LinkState(uint64_t seed) : sampler(seed) {}
    Mutex mu{LockRank::kLinkState};
    JitterSampler sampler GUARDED_BY(mu);
    Clock::time_point busy_until GUARDED_BY(mu) = {};    // the link is sending until then
    Clock::time_point last_release GUARDED_BY(mu) = {};  // of the latest message (FIFO)
  };
  static bool Matches(const LinkSelector& s, const LinkEndpoint& e);
  static uint64_t EndKey(const LinkSelector& s, const LinkEndpoint& e);

  std::atomic<bool> active_{false};  // any rules; read without the lock on every message
  Mutex mu_{LockRank::kLinkTable};
  std::vector<Rule> rules_ GUARDED_BY(mu_);  // later ones take precedence
  // key: rule index, from key, to key
  struct Key {
    size_t rule;
    uint64_t from, to;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.rule * 0x9e3779b97f4a7c15ull ^ k.from * 31 ^ k.to);
    }
  };
  std::unordered_map<Key, std::shared_ptr<LinkState>, KeyHash> links_ GUARDED_BY(mu_);
};

}  // namespace detail
}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_LINK_MODEL_H_
