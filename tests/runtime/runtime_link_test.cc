// Link models: delays apply to in-process delivery and replies, keep FIFO
// order, and respect latency and bandwidth lower bounds.
#include <gtest/gtest.h>

#include "runtime/runtime.h"
#include "tests/runtime/test_actors.h"

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;

// Sends `n` tells to a recorder and reports when each was sent.
class Sender : public Actor {
 public:
  static constexpr const char* kTypeName = "test.Sender";
  static void DefineMethods(MethodTable<Sender>& t) { t.Def("send", &Sender::Send); }
  void Send(ActorHandle<Recorder> to, int id, int64_t n) {
    for (int64_t i = 0; i < n; ++i) (void)to.Tell(&Recorder::Record, id, i);
  }
};

TEST(LinkModel, DelaysLocalMessagesKeepingOrder) {
  auto rt = Runtime::Start();
  auto rec = rt->Spawn<Recorder>({.name = "rec"}).value();
  auto slow = rt->Spawn<Sender>({.name = "slow"}).value();
  auto fast = rt->Spawn<Sender>({.name = "fast"}).value();
  LinkModel m;
  m.latency = 50ms;
  m.jitter = JitterDist::Exponential(5ms);
  m.seed = 7;
  rt->SetLinkModel(LinkSelector::ActorNamed("slow"), LinkSelector::ActorNamed("rec"), m);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(slow.Tell(&Sender::Send, rec, 1, int64_t{200}).ok());
  ASSERT_TRUE(fast.Tell(&Sender::Send, rec, 2, int64_t{200}).ok());
  // The fast sender's messages are all in long before the slow link releases any.
  for (;;) {
    auto count = rec.Call(&Recorder::Count).Get(5s).value();
    if (count >= 200) break;
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 50ms * 10);  // sanity only
  for (;;) {
    if (rec.Call(&Recorder::Count).Get(5s).value() == 400) break;
    std::this_thread::sleep_for(1ms);
  }
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, 50ms);
  auto log = rec.Call(&Recorder::Log).Get(5s).value();
  int64_t next1 = 0, next2 = 0;
  size_t first_slow = log.size();
  for (size_t i = 0; i < log.size(); ++i) {
    auto [s, seq] = log[i];
    if (s == 1) {
      EXPECT_EQ(seq, next1++);
      first_slow = std::min(first_slow, i);
    } else {
      EXPECT_EQ(seq, next2++);
    }
  }
  EXPECT_EQ(next1, 200);
  EXPECT_EQ(next2, 200);
  EXPECT_GE(first_slow, 200u) << "a delayed message overtook the undelayed ones";
}

TEST(LinkModel, AppliesToRepliesAndDriverCalls) {
  auto rt = Runtime::Start();
  auto rec = rt->Spawn<Recorder>({}).value();
  LinkModel m;
  m.latency = 30ms;
  rt->SetLinkModel(LinkSelector::Any(), LinkSelector::Actor(rec.id()), m);
  rt->SetLinkModel(LinkSelector::Actor(rec.id()), LinkSelector::Any(), m);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(rec.Call(&Recorder::Add, 1, 2).Get(5s).value(), 3);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 60ms);  // there and back
}

TEST(LinkModel, BandwidthSerialisesMessages) {
  auto rt = Runtime::Start();
  auto rec = rt->Spawn<Recorder>({}).value();
  LinkModel m;
  m.bandwidth_bytes_per_s = 40e6;  // 4 MB tensors take 100 ms each
  rt->SetLinkModel(LinkSelector::Any(), LinkSelector::Actor(rec.id()), m);
  Tensor t = Tensor::Zeros(1'000'000);
  auto t0 = std::chrono::steady_clock::now();
  auto a = rec.Call(&Recorder::Sum, t);
  auto b = rec.Call(&Recorder::Sum, t);
  auto c = rec.Call(&Recorder::Sum, t);
  ASSERT_TRUE(a.Get(10s).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 100ms);
  ASSERT_TRUE(c.Get(10s).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 300ms);  // queued behind each other
  ASSERT_TRUE(b.Get(10s).ok());
}

TEST(LinkModel, JitterIsDeterministicFromSeed) {
  for (auto kind : {JitterDist::Uniform(10ms), JitterDist::Normal(10ms),
                    JitterDist::Exponential(10ms), JitterDist::Pareto(10ms, 2.5)}) {
    detail::JitterSampler a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 100; ++i) {
      auto x = a.Sample(kind);
      EXPECT_EQ(x, b.Sample(kind));
      differs |= x != c.Sample(kind);
      if (kind.kind != JitterDist::Kind::kNormal) {
        EXPECT_GE(x.count(), 0);
      }
    }
    EXPECT_TRUE(differs);
  }
}

TEST(LinkModel, ReleaseTimesAreMonotonicPerLink) {
  detail::LinkTable table;
  LinkModel m;
  m.latency = 10ms;
  m.jitter = JitterDist::Pareto(20ms, 1.5);  // heavy tail: later draws are often smaller
  m.seed = 3;
  table.Add(LinkSelector::Any(), LinkSelector::Any(), m);
  LinkEndpoint a{ActorId(0, 1), "", ""}, b{ActorId(0, 2), "", ""};
  auto now = Clock::now();
  Clock::time_point last{};
  for (int i = 0; i < 1000; ++i) {
    auto r = table.Release(a, b, 100, now + std::chrono::microseconds(i));
    ASSERT_TRUE(r.has_value());
    EXPECT_GE(*r, last);
    EXPECT_GE(*r - (now + std::chrono::microseconds(i)), 10ms);
    last = *r;
  }
}

}  // namespace
}  // namespace olsgd::rt
