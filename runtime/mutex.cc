#include "runtime/mutex.h"

#include <cstdio>
#include <cstdlib>

namespace olsgd::rt {

const char* LockRankName(LockRank rank) {
  switch (rank) {
    case LockRank::kRuntimeShutdown:
      return "Runtime::shutdown_mu_";
    case LockRank::kLinkRules:
      return "LinkRules";
    case LockRank::kMembership:
      return "Membership";
    case LockRank::kTransportPeers:
      return "Transport::peers_mu_";
    case LockRank::kTransportPeer:
      return "Transport::Peer::mu";
    case LockRank::kRuntimeExecutor:
      return "RuntimeExecutor";
    case LockRank::kLocalActors:
      return "LocalActors";
    case LockRank::kPendingCalls:
      return "PendingCalls";
    case LockRank::kDirectory:
      return "Directory";
    case LockRank::kLinkTable:
      return "LinkTable";
    case LockRank::kLinkState:
      return "LinkTable::LinkState";
    case LockRank::kTimerQueue:
      return "TimerQueue";
    case LockRank::kActorCell:
      return "ActorCell";
    case LockRank::kWorkerPool:
      return "WorkerPool";
    case LockRank::kSpanRecorder:
      return "SpanRecorder";
    case LockRank::kTypeRegistry:
      return "ActorTypeRegistry";
    case LockRank::kVirtualClock:
      return "VirtualClock";
  }
  return "?";
}

namespace detail {
namespace {

// The ranks this thread holds, in the order taken. An order-respecting thread
// holds at most one lock per non-leaf rank plus one leaf.
struct HeldLocks {
  static constexpr int kMax = 16;
  LockRank ranks[kMax];
  int n = 0;
};

HeldLocks& Held() {
  thread_local HeldLocks held;
  return held;
}

[[noreturn]] void Violation(LockRank taking, LockRank held) {
  std::fprintf(stderr,
               "olsgd: lock order violation: taking %s (rank %d) while holding %s (rank %d); "
               "see the lock order in runtime/runtime.h\n",
               LockRankName(taking), static_cast<int>(taking), LockRankName(held),
               static_cast<int>(held));
  std::abort();
}

void Push(LockRank rank) {
  HeldLocks& h = Held();
  if (h.n == HeldLocks::kMax) Violation(rank, h.ranks[h.n - 1]);
  h.ranks[h.n++] = rank;
}

}  // namespace

void OnLock(LockRank rank) {
  HeldLocks& h = Held();
  for (int i = 0; i < h.n; ++i) {
    LockRank held = h.ranks[i];
    if (static_cast<int>(held) >= static_cast<int>(rank) ||
        static_cast<int>(held) >= static_cast<int>(LockRank::kFirstLeaf)) {
      Violation(rank, held);
    }
  }
  Push(rank);
}

void OnTryLock(LockRank rank) { Push(rank); }

void OnUnlock(LockRank rank) {
  HeldLocks& h = Held();
  // Locks need not be released in reverse order: drop the latest entry of
  // this rank.
  for (int i = h.n - 1; i >= 0; --i) {
    if (h.ranks[i] == rank) {
      for (int j = i; j + 1 < h.n; ++j) h.ranks[j] = h.ranks[j + 1];
      --h.n;
      return;
    }
  }
}

}  // namespace detail
}  // namespace olsgd::rt
