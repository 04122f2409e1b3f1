// The annotated locks of runtime/mutex.h and their lock-rank check.
#include "runtime/mutex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;

TEST(Mutex, LockTryLockAndSharedLock) {
  Mutex mu(LockRank::kDirectory);
  {
    MutexLock lock(mu);
    std::thread other([&] { EXPECT_FALSE(mu.TryLock()); });
    other.join();
  }
  {
    ASSERT_TRUE(mu.TryLock());
    MutexLock adopted(mu, kAdoptLock);
  }
  EXPECT_TRUE(mu.TryLock());  // the adopting lock released it
  mu.Unlock();

  SharedMutex smu(LockRank::kLocalActors);
  ReaderMutexLock a(smu);
  std::thread reader([&] { ReaderMutexLock b(smu); });
  reader.join();
}

TEST(Mutex, CondVarWaitsAndTimesOut) {
  Mutex mu(LockRank::kWorkerPool);
  CondVar cv;
  bool ready = false;
  std::thread setter([&] {
    MutexLock lock(mu);
    ready = true;
    cv.NotifyAll();
  });
  {
    MutexLock lock(mu);
    while (!ready) cv.Wait(mu);
  }
  setter.join();
  MutexLock lock(mu);
  EXPECT_FALSE(cv.WaitUntil(mu, std::chrono::steady_clock::now() + 5ms));
}

TEST(LockOrder, LocksInRankOrderAreFine) {
  Mutex outer(LockRank::kLinkRules), middle(LockRank::kMembership), leaf(LockRank::kDirectory);
  MutexLock a(outer);
  MutexLock b(middle);
  MutexLock c(leaf);
}

#if defined(OLSGD_CHECK_LOCK_ORDER)
TEST(LockOrderDeathTest, OutOfOrderAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Mutex outer(LockRank::kLinkRules), inner(LockRank::kMembership);
  EXPECT_DEATH(
      {
        MutexLock a(inner);
        MutexLock b(outer);
      },
      "lock order violation: taking LinkRules .* while holding Membership");
}

TEST(LockOrderDeathTest, NothingUnderALeaf) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Mutex leaf(LockRank::kActorCell), other_leaf(LockRank::kWorkerPool);
  EXPECT_DEATH(
      {
        MutexLock a(leaf);
        MutexLock b(other_leaf);
      },
      "taking WorkerPool .* while holding ActorCell");
}

TEST(LockOrderDeathTest, TwoLocksOfOneRankAbort) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Mutex a(LockRank::kTransportPeer), b(LockRank::kTransportPeer);
  EXPECT_DEATH(
      {
        MutexLock x(a);
        MutexLock y(b);
      },
      "lock order violation");
}

TEST(LockOrder, ReleasedLocksNoLongerCount) {
  Mutex leaf(LockRank::kActorCell), outer(LockRank::kLinkRules);
  { MutexLock a(leaf); }
  MutexLock b(outer);
  MutexLock c(leaf);
}
#else
TEST(LockOrderDeathTest, OutOfOrderAborts) {
  GTEST_SKIP() << "built without OLSGD_CHECK_LOCK_ORDER (on in Debug and sanitizer builds)";
}
#endif

}  // namespace
}  // namespace olsgd::rt
