// Mutex, SharedMutex, their scoped locks, and CondVar: std::mutex,
// std::shared_mutex and std::condition_variable with clang thread-safety
// annotations (runtime/thread_annotations.h; libstdc++'s carry none), for
// the runtime's own classes.
//
// Every lock has a rank: the runtime's lock order (runtime/runtime.h) as
// numbers. A thread may take a lock only if it ranks above every lock the
// thread holds already, and may take nothing while it holds a leaf. Builds
// with OLSGD_CHECK_LOCK_ORDER (CMake: on for Debug and sanitizer builds)
// check this on every acquisition and abort naming both locks, so a test
// that takes two locks in the wrong order fails even if the interleaving
// that would deadlock never happens. Other builds compile the check out: a
// Mutex is then a std::mutex and nothing more.
#ifndef OLSGD_RUNTIME_MUTEX_H_
#define OLSGD_RUNTIME_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>

#include "runtime/thread_annotations.h"

namespace olsgd::rt {

// The lock order, outermost first (see runtime/runtime.h for why).
enum class LockRank : int {
  kRuntimeShutdown = 10,  // Runtime::shutdown_mu_: held through the whole shutdown
  kLinkRules = 20,        // LinkRules: held while the head sends rules, answers a join
  kMembership = 30,       // Membership: held while the transport learns addresses
  kTransportPeers = 40,   // Transport::peers_mu_: the peer table
  kTransportPeer = 41,    // Transport::Peer::mu: one peer's DEALER
  kRuntimeExecutor = 45,  // RuntimeExecutor: held while posting to the pool
  // Leaves: a thread holding one takes no other lock.
  kFirstLeaf = 50,
  kLocalActors = 50,   // LocalActors: the id -> cell map
  kPendingCalls = 51,  // PendingCalls: request id -> reply handler
  kDirectory = 52,     // Directory: the names
  kLinkTable = 53,     // LinkTable: rules and links
  kLinkState = 54,     // LinkTable::LinkState: one link's clock and sampler
  kTimerQueue = 55,    // TimerQueue
  kActorCell = 56,     // ActorCell: one mailbox
  kWorkerPool = 57,    // WorkerPool: the task queue
  kSpanRecorder = 58,  // SpanRecorder
  kTypeRegistry = 59,  // ActorTypeRegistry
  kVirtualClock = 60,  // VirtualClock: clocks, held messages, bounds
};
const char* LockRankName(LockRank rank);

namespace detail {
// The checking build's bookkeeping (mutex.cc): a per-thread list of the ranks
// held. OnLock aborts on an out-of-order acquisition.
void OnLock(LockRank rank);
void OnTryLock(LockRank rank);  // a successful try: cannot deadlock, recorded only
void OnUnlock(LockRank rank);
}  // namespace detail

#if defined(OLSGD_CHECK_LOCK_ORDER)
#define OLSGD_LOCK_RANK_(call) call
#else
#define OLSGD_LOCK_RANK_(call) static_cast<void>(0)
#endif

class CondVar;

class CAPABILITY("mutex") Mutex {
 public:
  explicit constexpr Mutex(LockRank rank) {
#if defined(OLSGD_CHECK_LOCK_ORDER)
    rank_ = rank;
#else
    static_cast<void>(rank);
#endif
  }
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() {
    OLSGD_LOCK_RANK_(detail::OnLock(rank_));
    mu_.lock();
  }
  bool TryLock() TRY_ACQUIRE(true) {
    if (!mu_.try_lock()) return false;
    OLSGD_LOCK_RANK_(detail::OnTryLock(rank_));
    return true;
  }
  void Unlock() RELEASE() {
    mu_.unlock();
    OLSGD_LOCK_RANK_(detail::OnUnlock(rank_));
  }

 private:
  friend class CondVar;
  std::mutex mu_;
#if defined(OLSGD_CHECK_LOCK_ORDER)
  LockRank rank_;
#endif
};

class CAPABILITY("shared mutex") SharedMutex {
 public:
  explicit SharedMutex(LockRank rank) {
#if defined(OLSGD_CHECK_LOCK_ORDER)
    rank_ = rank;
#else
    static_cast<void>(rank);
#endif
  }
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void Lock() ACQUIRE() {
    OLSGD_LOCK_RANK_(detail::OnLock(rank_));
    mu_.lock();
  }
  void Unlock() RELEASE() {
    mu_.unlock();
    OLSGD_LOCK_RANK_(detail::OnUnlock(rank_));
  }
  void LockShared() ACQUIRE_SHARED() {
    OLSGD_LOCK_RANK_(detail::OnLock(rank_));
    mu_.lock_shared();
  }
  void UnlockShared() RELEASE_SHARED() {
    mu_.unlock_shared();
    OLSGD_LOCK_RANK_(detail::OnUnlock(rank_));
  }

 private:
  std::shared_mutex mu_;
#if defined(OLSGD_CHECK_LOCK_ORDER)
  LockRank rank_;
#endif
};

// Tag for MutexLock: the lock is held already (e.g. after a TryLock).
struct AdoptLock {};
inline constexpr AdoptLock kAdoptLock{};

// Holds `mu` for its lifetime.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  MutexLock(Mutex& mu, AdoptLock) REQUIRES(mu) : mu_(mu) {}
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

// Holds `mu` exclusively / shared for its lifetime.
class SCOPED_CAPABILITY WriterMutexLock {
 public:
  explicit WriterMutexLock(SharedMutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~WriterMutexLock() RELEASE() { mu_.Unlock(); }
  WriterMutexLock(const WriterMutexLock&) = delete;
  WriterMutexLock& operator=(const WriterMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

class SCOPED_CAPABILITY ReaderMutexLock {
 public:
  explicit ReaderMutexLock(SharedMutex& mu) ACQUIRE_SHARED(mu) : mu_(mu) { mu_.LockShared(); }
  ~ReaderMutexLock() RELEASE() { mu_.UnlockShared(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ReaderMutexLock& operator=(const ReaderMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

// std::condition_variable over a Mutex. Waits return with the mutex held and
// may wake spuriously: callers loop on their condition.
class CondVar {
 public:
  void Wait(Mutex& mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still held; the caller's scope releases it
  }
  // False once `deadline` has passed.
  template <class Clock, class Duration>
  bool WaitUntil(Mutex& mu, const std::chrono::time_point<Clock, Duration>& deadline) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    bool woken = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }
  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_MUTEX_H_
