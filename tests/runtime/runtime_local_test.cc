// In-process behaviour of the runtime: ordering, calls, errors, timeouts,
// lookup, restarts, timers, Then, tensors, stats.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "runtime/runtime.h"
#include "tests/runtime/test_actors.h"

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;

TEST(RuntimeLocal, CallReply) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({});
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  auto r = h->Call(&Recorder::Add, 2, 40).Get(5s);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(h->Call(&Recorder::Echo, std::string("hi")).Get(5s).value(), "hi");
}

TEST(RuntimeLocal, FifoUnderLoadFromSeveralSenders) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({}).value();
  constexpr int kSenders = 4;
  constexpr int64_t kPerSender = 20000;
  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      for (int64_t i = 0; i < kPerSender; ++i) ASSERT_TRUE(h.Tell(&Recorder::Record, s, i).ok());
    });
  }
  for (auto& t : threads) t.join();
  auto log = h.Call(&Recorder::Log).Get(30s).value();
  ASSERT_EQ(log.size(), static_cast<size_t>(kSenders * kPerSender));
  std::vector<int64_t> next(kSenders, 0);
  for (auto [s, seq] : log) {
    ASSERT_EQ(seq, next[s]) << "sender " << s;
    ++next[s];
  }
}

TEST(RuntimeLocal, ExceptionBecomesError) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({}).value();
  auto r = h.Call(&Recorder::Fail, std::string("boom")).Get(5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kActorFailed);
  EXPECT_NE(r.error().message.find("boom"), std::string::npos);
  // Policy "never": the actor keeps running with its state.
  EXPECT_EQ(h.Call(&Recorder::Add, 1, 1).Get(5s).value(), 2);
  EXPECT_EQ(rt->Stats(h.id()).failures, 1u);
}

TEST(RuntimeLocal, GetTimesOut) {
  auto rt = Runtime::Start();
  Promise<int> p;
  auto r = p.future().Get(20ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
}

}  // namespace
}  // namespace olsgd::rt
