#include "runtime/link_model.h"

#include <algorithm>
#include <cmath>

namespace olsgd::rt {

namespace detail {

uint64_t JitterSampler::Next() {  // splitmix64
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double JitterSampler::Uniform01() { return (static_cast<double>(Next() >> 11) + 0.5) * 0x1.0p-53; }

std::chrono::nanoseconds JitterSampler::Sample(const JitterDist& d) {
  double s = static_cast<double>(d.scale.count());
  double x = 0;
  switch (d.kind) {
    case JitterDist::Kind::kNone:
      return std::chrono::nanoseconds(0);
    case JitterDist::Kind::kUniform:
      x = s * Uniform01();
      break;
    case JitterDist::Kind::kNormal: {  // Box-Muller
      double u1 = Uniform01(), u2 = Uniform01();
      x = s * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
      break;
    }
    case JitterDist::Kind::kExponential:
      x = -s * std::log(Uniform01());
      break;
    case JitterDist::Kind::kPareto: {
      double shape = d.shape > 0 ? d.shape : 1.0;
      x = s * (std::pow(Uniform01(), -1.0 / shape) - 1.0);
      break;
    }
  }
  x = std::clamp(x, -9.0e18, 9.0e18);
  return std::chrono::nanoseconds(static_cast<int64_t>(x));
}

void LinkTable::Add(LinkSelector from, LinkSelector to, LinkModel model) {
  MutexLock lock(mu_);
  rules_.push_back({std::move(from), std::move(to), model});
  links_.clear();  // rule indices and precedence changed
  active_.store(true, std::memory_order_release);
}

void LinkTable::Clear() {
  MutexLock lock(mu_);
  rules_.clear();
  links_.clear();
  active_.store(false, std::memory_order_release);
}

void LinkTable::Replace(const std::vector<LinkRule>& rules) {
  MutexLock lock(mu_);
  rules_.clear();
  for (const auto& r : rules) rules_.push_back({r.from, r.to, r.model});
  links_.clear();
  active_.store(!rules_.empty(), std::memory_order_release);
}

bool LinkTable::Matches(const LinkSelector& s, const LinkEndpoint& e) {
  switch (s.kind) {
    case LinkSelector::Kind::kAny:
      return true;
    case LinkSelector::Kind::kActor:
      return s.actor == e.id;
    case LinkSelector::Kind::kActorName:
      return !e.actor_name.empty() && s.name == e.actor_name;
    case LinkSelector::Kind::kNode:
      return s.node == e.id.node();
    case LinkSelector::Kind::kNodeName:
      return !e.node_name.empty() && s.name == e.node_name;
  }
  return false;
}

// Node selectors model one shared pipe per node pair; the others, one link
// per actor pair.
uint64_t LinkTable::EndKey(const LinkSelector& s, const LinkEndpoint& e) {
  if (s.kind == LinkSelector::Kind::kNode || s.kind == LinkSelector::Kind::kNodeName) {
    return uint64_t{e.id.node()} << 32;
  }
  return e.id.value;
}

std::optional<Clock::time_point> LinkTable::Release(const LinkEndpoint& from,
                                                    const LinkEndpoint& to, uint64_t bytes,
                                                    Clock::time_point now) {
  if (!active()) return std::nullopt;
  std::shared_ptr<LinkState> link;
  LinkModel model;
  {
    MutexLock lock(mu_);
    for (size_t i = rules_.size(); i-- > 0;) {
      const Rule& r = rules_[i];
      if (!Matches(r.from, from) || !Matches(r.to, to)) continue;
      Key key{i, EndKey(r.from, from), EndKey(r.to, to)};
      auto& slot = links_[key];
      if (!slot) {
        uint64_t seed = r.model.seed ^ (key.from * 0x9e3779b97f4a7c15ull) ^
                        (key.to * 0xc2b2ae3d27d4eb4full) ^ (i * 0x165667b19e3779f9ull);
        slot = std::make_shared<LinkState>(seed);
      }
      link = slot;
      model = r.model;
      break;
    }
  }
  if (!link) return std::nullopt;
  MutexLock lock(link->mu);
  Clock::time_point start = std::max(now, link->busy_until);
  if (model.bandwidth_bytes_per_s > 0) {
    double secs = static_cast<double>(bytes) / model.bandwidth_bytes_per_s;
    start += std::chrono::nanoseconds(static_cast<int64_t>(secs * 1e9));
  }
  link->busy_until = start;
  auto delay = model.latency + link->sampler.Sample(model.jitter);
  if (delay < std::chrono::nanoseconds::zero()) delay = std::chrono::nanoseconds::zero();
  Clock::time_point release = std::max(start + delay, link->last_release);
  link->last_release = release;
  return release;
}

}  // namespace detail
}  // namespace olsgd::rt
