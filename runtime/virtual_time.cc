#include "runtime/virtual_time.h"

#include <algorithm>

#include "runtime/actor_cell.h"
#include "runtime/error.h"

namespace olsgd::rt::detail {
namespace {

// std::push_heap keeps the largest on top; the earliest key must be.
bool Later(const VirtualActorState::Held& a, const VirtualActorState::Held& b) {
  return std::tie(a.arrival, a.sender, a.seq) > std::tie(b.arrival, b.sender, b.seq);
}

}  // namespace

void VirtualClock::Register(ActorCell& cell, VirtualRole role, double ingress_bytes_per_s) {
  MutexLock lock(mu_);
  auto s = std::make_unique<VirtualActorState>();
  s->role = role;
  s->ingress_bytes_per_s = ingress_bytes_per_s;
  cell.set_virtual_state(std::move(s));
  // A self-clocked actor may send from time 0 on as soon as it starts.
  UpdateBound(cell);
}

void VirtualClock::Unregister(ActorCell& cell) {
  std::vector<std::unique_ptr<Message>> dropped;
  std::vector<Release> releases;
  {
    MutexLock lock(mu_);
    VirtualActorState* s = cell.virtual_state();
    if (s == nullptr) return;
    if (s->bound != kNoVirtualTime) bounds_.erase({s->bound, &cell});
    s->bound = kNoVirtualTime;
    s->role = VirtualRole::kUntimed;  // from now on it is nobody's concern
    for (auto& h : s->held) dropped.push_back(std::move(h.message));
    s->held.clear();
    UpdateHead(cell);
    releases = TakeReleasable();
  }
  for (auto& m : dropped) m->Reject(Error{ErrorCode::kActorStopped, "actor is stopped"});
  Hand(std::move(releases));
}

VirtualTime VirtualClock::BoundOf(const VirtualActorState& s) const {
  if (s.running || !s.queued.empty()) {
    // While waiting, whatever it handles next moves its clock to at least
    // that message's arrival before it can send.
    if (s.waiting && !s.running) return std::max(s.clock, *s.queued.begin());
    return s.clock;
  }
  return s.waiting ? kNever : s.clock;
}

void VirtualClock::UpdateBound(ActorCell& cell) {
  VirtualActorState& s = *cell.virtual_state();
  if (s.role != VirtualRole::kSelfClocked) return;
  const VirtualTime b = BoundOf(s);
  if (b == s.bound) return;
  if (s.bound != kNoVirtualTime) bounds_.erase({s.bound, &cell});
  s.bound = b == kNever ? kNoVirtualTime : b;
  if (s.bound != kNoVirtualTime) bounds_.insert({s.bound, &cell});
}

void VirtualClock::UpdateHead(ActorCell& cell) {
  VirtualActorState& s = *cell.virtual_state();
  // heads_ holds at most one entry per actor: erase whatever it was.
  for (auto it = heads_.begin(); it != heads_.end(); ++it) {
    if (std::get<3>(*it) == &cell) {
      heads_.erase(it);
      break;
    }
  }
  if (!s.held.empty()) {
    const auto& h = s.held.front();
    heads_.insert({h.arrival, h.sender, h.seq, &cell});
  }
}

std::pair<VirtualTime, uint64_t> VirtualClock::SendTime(ActorCell* from) {
  MutexLock lock(mu_);
  if (from == nullptr || from->virtual_state() == nullptr) {
    return {kNoVirtualTime, outside_sends_++};
  }
  VirtualActorState& s = *from->virtual_state();
  const uint64_t seq = s.sends++;
  if (s.role == VirtualRole::kUntimed) return {kNoVirtualTime, seq};
  return {s.clock, seq};
}

bool VirtualClock::Deliver(const std::shared_ptr<ActorCell>& to, std::unique_ptr<Message> m) {
  std::vector<Release> releases;
  {
    MutexLock lock(mu_);
    VirtualActorState* s = to->virtual_state();
    if (s != nullptr && s->role == VirtualRole::kOrdered) {
      s->held.push_back({m->arrival, m->sender.value, m->seq, std::move(m)});
      std::push_heap(s->held.begin(), s->held.end(), Later);
      UpdateHead(*to);
      releases = TakeReleasable();
    } else if (s != nullptr && s->role == VirtualRole::kSelfClocked) {
      s->queued.insert(m->arrival);
      m->tracked = true;
      UpdateBound(*to);  // can only go down: nothing becomes releasable
    }
  }
  bool ok = true;
  if (m) {
    const VirtualTime arrival = m->arrival;
    const bool tracked = m->tracked;
    ok = to->Enqueue(std::move(m));
    if (!ok && tracked) {
      MutexLock lock(mu_);
      VirtualActorState& s = *to->virtual_state();
      s.queued.erase(s.queued.find(arrival));
      UpdateBound(*to);
      releases = TakeReleasable();
    }
  }
  Hand(std::move(releases));
  return ok;
}

std::vector<VirtualClock::Release> VirtualClock::TakeReleasable() {
  std::vector<Release> out;
  if (in_flight_ || heads_.empty()) return out;
  const auto [arrival, sender, seq, cell] = *heads_.begin();
  const VirtualTime bound = bounds_.empty() ? kNever : bounds_.begin()->first;
  // Strictly before: a self-clocked actor at exactly `arrival` could still
  // send something that ties and sorts first.
  if (!(arrival < bound)) return out;
  VirtualActorState& s = *cell->virtual_state();
  std::pop_heap(s.held.begin(), s.held.end(), Later);
  std::unique_ptr<Message> m = std::move(s.held.back().message);
  s.held.pop_back();
  UpdateHead(*cell);
  VirtualTime at = arrival;
  if (at != kNoVirtualTime && s.ingress_bytes_per_s > 0) {
    // The receiver's ingress serves messages in arrival order: one is in
    // when both its link and the ingress have carried it.
    const auto transfer = VirtualTime(
        static_cast<int64_t>(static_cast<double>(m->bytes) / s.ingress_bytes_per_s * 1e9));
    at = std::max(at, s.ingress_free + transfer);
    s.ingress_free = at;
  }
  if (at != kNoVirtualTime) s.clock = std::max(s.clock, at);
  latest_ = std::max(latest_, s.clock);
  m->held = true;
  in_flight_ = true;
  out.push_back({cell->shared_from_this(), std::move(m)});
  return out;
}

void VirtualClock::Hand(std::vector<Release> releases) {
  while (!releases.empty()) {
    Release r = std::move(releases.back());
    releases.pop_back();
    if (r.cell->Enqueue(std::move(r.message))) continue;
    // Stopped: nobody will handle it, so the next one may go.
    MutexLock lock(mu_);
    in_flight_ = false;
    releases = TakeReleasable();
  }
}

void VirtualClock::BeforeMessage(ActorCell& cell, const Message& m) {
  MutexLock lock(mu_);
  VirtualActorState* s = cell.virtual_state();
  if (s == nullptr) return;
  s->running = true;
  s->arrival = m.arrival;
  if (s->role == VirtualRole::kSelfClocked) {
    if (m.tracked) s->queued.erase(s->queued.find(m.arrival));
    if (s->waiting && m.arrival != kNoVirtualTime) s->clock = std::max(s->clock, m.arrival);
    latest_ = std::max(latest_, s->clock);
    UpdateBound(cell);
  }
}

void VirtualClock::AfterMessage(ActorCell& cell, bool was_held) {
  std::vector<Release> releases;
  {
    MutexLock lock(mu_);
    VirtualActorState* s = cell.virtual_state();
    if (s == nullptr) return;
    s->running = false;
    s->arrival = kNoVirtualTime;
    if (was_held) in_flight_ = false;
    UpdateBound(cell);
    releases = TakeReleasable();
  }
  Hand(std::move(releases));
}

VirtualTime VirtualClock::Now(const ActorCell& cell) const {
  MutexLock lock(mu_);
  const VirtualActorState* s = cell.virtual_state();
  return s ? s->clock : VirtualTime(0);
}

bool VirtualClock::IsOrdered(const ActorCell& cell) const {
  MutexLock lock(mu_);
  const VirtualActorState* s = cell.virtual_state();
  return s != nullptr && s->role == VirtualRole::kOrdered;
}

VirtualTime VirtualClock::CurrentArrival(const ActorCell& cell) const {
  MutexLock lock(mu_);
  const VirtualActorState* s = cell.virtual_state();
  return s ? s->arrival : kNoVirtualTime;
}

void VirtualClock::Advance(ActorCell& cell, VirtualTime d) {
  std::vector<Release> releases;
  {
    MutexLock lock(mu_);
    VirtualActorState* s = cell.virtual_state();
    if (s == nullptr || d <= VirtualTime(0)) return;
    s->clock += d;
    latest_ = std::max(latest_, s->clock);
    UpdateBound(cell);
    releases = TakeReleasable();
  }
  Hand(std::move(releases));
}

void VirtualClock::AdvanceTo(ActorCell& cell, VirtualTime t) {
  std::vector<Release> releases;
  {
    MutexLock lock(mu_);
    VirtualActorState* s = cell.virtual_state();
    if (s == nullptr || t <= s->clock) return;
    s->clock = t;
    latest_ = std::max(latest_, s->clock);
    UpdateBound(cell);
    releases = TakeReleasable();
  }
  Hand(std::move(releases));
}

void VirtualClock::SetWaiting(ActorCell& cell, bool waiting) {
  std::vector<Release> releases;
  {
    MutexLock lock(mu_);
    VirtualActorState* s = cell.virtual_state();
    if (s == nullptr || s->role != VirtualRole::kSelfClocked || s->waiting == waiting) return;
    s->waiting = waiting;
    UpdateBound(cell);
    releases = TakeReleasable();
  }
  Hand(std::move(releases));
}

VirtualTime VirtualClock::Horizon() const {
  MutexLock lock(mu_);
  return latest_;
}

void VirtualClock::DropHeld() {
  std::vector<std::unique_ptr<Message>> dropped;
  {
    MutexLock lock(mu_);
    for (const Head& h : heads_) {
      for (auto& held : std::get<3>(h)->virtual_state()->held) {
        dropped.push_back(std::move(held.message));
      }
      std::get<3>(h)->virtual_state()->held.clear();
    }
    heads_.clear();
  }
  for (auto& m : dropped) m->Reject(Error{ErrorCode::kShutdown, "runtime is shutting down"});
}

}  // namespace olsgd::rt::detail
