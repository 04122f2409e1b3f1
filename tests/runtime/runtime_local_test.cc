// In-process behaviour of the runtime: ordering, calls, errors, timeouts,
// lookup, restarts, timers, Then, tensors, stats.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
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

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;

TEST(RuntimeLocal, NamedLookup) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({.name = "rec"}).value();
  auto found = rt->Lookup<Recorder>("rec");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->id(), h.id());
  EXPECT_EQ(found->Call(&Recorder::Add, 1, 2).Get(5s).value(), 3);
  auto missing = rt->Lookup<Recorder>("nope", 20ms);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto dup = rt->Spawn<Recorder>({.name = "rec"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  // A name becomes free again when its actor stops.
  ASSERT_TRUE(rt->Stop(h.id()).ok());
  EXPECT_FALSE(rt->Lookup<Recorder>("rec").ok());
  auto st = h.Tell(&Recorder::Ping);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kActorStopped);
  EXPECT_EQ(h.Call(&Recorder::Add, 1, 1).Get(5s).error().code, ErrorCode::kActorStopped);
}

// An actor whose Lookup wants a different type.
class Other : public Actor {
 public:
  static constexpr const char* kTypeName = "test.Other";
  static void DefineMethods(MethodTable<Other>&) {}
};

TEST(RuntimeLocal, LookupChecksType) {
  auto rt = Runtime::Start();
  ASSERT_TRUE(rt->Spawn<Recorder>({.name = "rec"}).ok());
  auto r = rt->Lookup<Other>("rec");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTypeMismatch);
}

TEST(RuntimeLocal, RestartAfterFailureRecreatesFromCtorArgs) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({.restart = RestartPolicy::OnFailure(2)}, int64_t{100}).value();
  ASSERT_TRUE(h.Tell(&Recorder::Record, 0, 1).ok());
  EXPECT_EQ(h.Call(&Recorder::Generation).Get(5s).value(), 101);  // ctor arg + 1 record
  EXPECT_EQ(h.Call(&Recorder::Fail, std::string("x")).Get(5s).error().code,
            ErrorCode::kActorFailed);
  // Fresh state from the same constructor arguments.
  EXPECT_EQ(h.Call(&Recorder::Generation).Get(5s).value(), 100);
  EXPECT_EQ(rt->Stats(h.id()).restarts, 1u);
  EXPECT_FALSE(h.Call(&Recorder::Fail, std::string("x")).Get(5s).ok());
  EXPECT_FALSE(h.Call(&Recorder::Fail, std::string("x")).Get(5s).ok());
  // Restarts exhausted: the actor is stopped.
  EXPECT_EQ(h.Call(&Recorder::Add, 1, 1).Get(5s).error().code, ErrorCode::kActorStopped);
}

TEST(RuntimeLocal, StopOnFailurePolicy) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({.restart = RestartPolicy::StopOnFailure()}).value();
  EXPECT_FALSE(h.Call(&Recorder::Fail, std::string("x")).Get(5s).ok());
  EXPECT_EQ(h.Call(&Recorder::Add, 1, 1).Get(5s).error().code, ErrorCode::kActorStopped);
}

// Drives itself with self-tells and a timer; collects a Then result in its own context.
class Driver : public Actor {
 public:
  static constexpr const char* kTypeName = "test.Driver";
  static void DefineMethods(MethodTable<Driver>& t) {
    t.Def("start", &Driver::StartSteps);
    t.Def("step", &Driver::Step);
    t.Def("result", &Driver::GetResult);
    t.Def("ask", &Driver::Ask);
    t.Def("timer", &Driver::StartTimer);
  }
  void StartSteps(int64_t n) {
    target_ = n;
    (void)context().self<Driver>().Tell(&Driver::Step);
  }
  void Step() {
    if (++steps_ < target_) (void)context().self<Driver>().Tell(&Driver::Step);
  }
  // Asks `other` for a+b; the Then callback runs here, on this actor.
  void Ask(ActorHandle<Recorder> other) {
    other.Call(&Recorder::Add, int64_t{20}, int64_t{22}).Then([this](Result<int64_t> r) {
      in_actor_ = detail::CurrentCell() == context().cell();
      answer_ = r.value_or(-1);
    });
  }
  void StartTimer(int64_t ms) {
    started_ = std::chrono::steady_clock::now();
    context().After(std::chrono::milliseconds(ms), [this] {
      fired_after_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started_)
                            .count();
    });
  }
  std::tuple<int64_t, int64_t, bool, int64_t> GetResult() const {
    return {steps_, answer_, in_actor_, fired_after_ms_};
  }

 private:
  int64_t target_ = 0, steps_ = 0, answer_ = 0, fired_after_ms_ = -1;
  bool in_actor_ = false;
  std::chrono::steady_clock::time_point started_;
};

template <class F>
bool Eventually(F f, std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return f();
}

TEST(RuntimeLocal, SelfTellsThenAndTimers) {
  auto rt = Runtime::Start();
  auto d = rt->Spawn<Driver>({.dedicated_thread = true}).value();
  auto r = rt->Spawn<Recorder>({}).value();
  ASSERT_TRUE(d.Tell(&Driver::StartSteps, 1000).ok());
  ASSERT_TRUE(d.Tell(&Driver::Ask, r).ok());
  ASSERT_TRUE(d.Tell(&Driver::StartTimer, 30).ok());
  ASSERT_TRUE(Eventually([&] {
    auto [steps, answer, in_actor, fired] = d.Call(&Driver::GetResult).Get(5s).value();
    return steps == 1000 && answer == 42 && fired >= 0;
  }));
  auto [steps, answer, in_actor, fired] = d.Call(&Driver::GetResult).Get(5s).value();
  EXPECT_TRUE(in_actor);
  EXPECT_GE(fired, 30);
}

TEST(RuntimeLocal, TensorMovesWithoutCopyAndCopiesOnWrite) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({}).value();
  Tensor t = Tensor::Zeros(1000);
  for (size_t i = 0; i < t.size(); ++i) t.floats()[i] = static_cast<float>(i);
  const float* before = t.data();
  auto [sum, n] = h.Call(&Recorder::Sum, t).Get(5s).value();
  EXPECT_EQ(n, 1000u);
  EXPECT_DOUBLE_EQ(sum, 999.0 * 1000.0 / 2.0);
  // Scale gets the only other reference... but we keep ours: it must copy.
  Tensor scaled = h.Call(&Recorder::Scale, t, 2.0f).Get(5s).value();
  EXPECT_EQ(t.data(), before);
  EXPECT_EQ(t.floats()[10], 10.0f);
  EXPECT_EQ(scaled.floats()[10], 20.0f);
  // Moved in and uniquely owned: scaled in place, same buffer comes back.
  Tensor u = Tensor::CopyOf(std::vector<float>{1, 2, 3});
  const float* ubuf = u.data();
  Tensor back = h.Call(&Recorder::Scale, std::move(u), 3.0f).Get(5s).value();
  EXPECT_EQ(back.data(), ubuf);
  EXPECT_EQ(back.floats()[2], 9.0f);
}

TEST(RuntimeLocal, StatsCountMessagesAndBytes) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({}).value();
  Tensor t = Tensor::Zeros(1 << 16);
  ASSERT_TRUE(h.Call(&Recorder::Sum, t).Get(5s).ok());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(h.Tell(&Recorder::Record, 0, i).ok());
  ASSERT_TRUE(h.Call(&Recorder::Count).Get(5s).ok());
  ActorStats s = rt->Stats(h.id());
  EXPECT_GE(s.messages_in, 12u);  // OnStart + 12 messages
  EXPECT_GE(s.bytes_in, t.size_bytes());
  EXPECT_EQ(s.mailbox_depth, 0);
  EXPECT_GT(s.busy_ns, 0);
  EXPECT_TRUE(s.alive);
}

TEST(RuntimeLocal, ThenOutsideActorsRunsOnPool) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({}).value();
  std::atomic<int64_t> got{0};
  h.Call(&Recorder::Add, 3, 4).Then([&](Result<int64_t> r) { got = r.value(); });
  EXPECT_TRUE(Eventually([&] { return got.load() == 7; }));
}

// Where a Then callback made outside any actor ran: which runtime's thread,
// whether inside an actor, and the value it got.
struct ThenSeen {
  Runtime* runtime;
  bool in_actor;
  int64_t value;
};

// Calls h.Add(3, 4) from this (non-runtime) thread and returns where its
// Then callback ran; `complete_first` waits for the reply before calling Then.
ThenSeen ThenOf(const ActorHandle<Recorder>& h, bool complete_first) {
  auto seen = std::make_shared<std::promise<ThenSeen>>();
  std::future<ThenSeen> got = seen->get_future();
  Future<int64_t> f = h.Call(&Recorder::Add, 3, 4);
  if (complete_first) {
    EXPECT_TRUE(f.Get(10s).ok());
  }
  f.Then([seen](Result<int64_t> r) {
    seen->set_value({detail::CurrentRuntime(), detail::CurrentCell() != nullptr, r.value_or(-1)});
  });
  if (got.wait_for(10s) != std::future_status::ready) return {nullptr, false, -2};
  return got.get();
}

void ExpectThenOnPoolOf(Runtime* rt, const ActorHandle<Recorder>& h) {
  for (bool complete_first : {false, true}) {
    ThenSeen s = ThenOf(h, complete_first);
    EXPECT_EQ(s.runtime, rt) << "complete_first=" << complete_first;
    EXPECT_FALSE(s.in_actor) << "complete_first=" << complete_first;
    EXPECT_EQ(s.value, 7) << "complete_first=" << complete_first;
  }
}

// A future knows its runtime: with two runtimes alive, Then outside any
// actor goes to the pool of the runtime that made the call, and shutting
// either runtime down leaves the other's callbacks where they belong. (A
// process-wide default runtime used to serve here; the last one started set
// it, and its shutdown cleared it while the other still ran.)
TEST(RuntimeLocal, ThenOutsideActorsGoesToItsOwnRuntimeWithTwoAlive) {
  for (bool stop_first_started : {false, true}) {
    SCOPED_TRACE(stop_first_started ? "the first one started shuts down"
                                    : "the last one started shuts down");
    auto a = Runtime::Start();
    auto b = Runtime::Start();
    auto ha = a->Spawn<Recorder>({}).value();
    auto hb = b->Spawn<Recorder>({}).value();
    ExpectThenOnPoolOf(a.get(), ha);
    ExpectThenOnPoolOf(b.get(), hb);
    std::unique_ptr<Runtime>& gone = stop_first_started ? a : b;
    Runtime* alive = stop_first_started ? b.get() : a.get();
    const ActorHandle<Recorder>& h = stop_first_started ? hb : ha;
    gone->Shutdown();
    ExpectThenOnPoolOf(alive, h);
    gone.reset();
    ExpectThenOnPoolOf(alive, h);
  }
}

// A future that outlives its runtime: Then runs the callback at once, here.
TEST(RuntimeLocal, ThenAfterItsRuntimeIsGoneRunsInline) {
  auto rt = Runtime::Start();
  auto other = Runtime::Start();  // alive throughout; must not be used
  auto h = rt->Spawn<Recorder>({}).value();
  Future<int64_t> f = h.Call(&Recorder::Add, 1, 2);
  ASSERT_TRUE(f.Get(10s).ok());
  rt.reset();
  std::thread::id ran_on;
  int64_t value = 0;
  f.Then([&](Result<int64_t> r) {
    ran_on = std::this_thread::get_id();
    value = r.value_or(-1);
  });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(value, 3);
}

}  // namespace
}  // namespace olsgd::rt
