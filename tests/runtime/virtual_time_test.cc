// Virtual time (runtime/virtual_time.h): ordered actors handle messages in
// virtual-arrival order whatever the real order, ties break by sender and
// sequence, link models set arrival times, a waiting self-clocked actor's
// clock jumps to what it waited for, timers are messages in arrival order,
// and runs are deterministic.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <tuple>
#include <vector>

#include "runtime/runtime.h"

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;

int64_t Ms(VirtualTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
}

// Ordered (the default role): records what it handles, in order.
class Log : public Actor {
 public:
  static constexpr const char* kTypeName = "test.VirtualLog";
  static void DefineMethods(MethodTable<Log>& t) {
    t.Def("note", &Log::Note);
    t.Def("entries", &Log::Entries);
    t.Def("arm", &Log::Arm);
    t.Def("echo", &Log::Echo);
  }
  struct Entry {
    int who;
    int64_t arrival_ns;  // of the message
    int64_t clock_ns;    // this actor's clock while handling it
    MSGPACK_DEFINE(who, arrival_ns, clock_ns)
  };
  void Note(int who) {
    entries_.push_back({who, context().MessageArrival().count(), context().VirtualNow().count()});
  }
  std::vector<Entry> Entries() const { return entries_; }
  // Sets a timer `delay_ms` after this actor's clock; it notes -1 when it fires.
  void Arm(int64_t delay_ms) {
    context().After(std::chrono::milliseconds(delay_ms), [this] {
      entries_.push_back({-1, 0, context().VirtualNow().count()});
    });
  }
  // Answers `to` with Woken().
  void Echo(ActorHandle<class Worker> to);

 private:
  std::vector<Entry> entries_;
};

// Self-clocked: computes for `cost_ms` (virtual), optionally sleeps first
// (real time, to invert the real order of sends), then notes itself at `log`.
class Worker : public Actor {
 public:
  static constexpr const char* kTypeName = "test.VirtualWorker";
  static void DefineMethods(MethodTable<Worker>& t) {
    t.Def("run", &Worker::Run);
    t.Def("ask", &Worker::Ask);
    t.Def("woken", &Worker::Woken);
    t.Def("clock", &Worker::Clock);
  }
  explicit Worker(int id) : id_(id) {}
  void Run(ActorHandle<Log> log, std::vector<int64_t> costs_ms, int64_t sleep_real_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_real_ms));
    for (int64_t c : costs_ms) {
      context().Advance(std::chrono::milliseconds(c));
      (void)log.Tell(&Log::Note, id_);
    }
    context().SetWaiting(true);  // done: it will send nothing more
  }
  // Computes `cost_ms`, asks `log` to answer, and waits for the answer.
  void Ask(ActorHandle<Log> log, int64_t cost_ms) {
    context().Advance(std::chrono::milliseconds(cost_ms));
    (void)log.Tell(&Log::Echo, context().self<Worker>());
    context().SetWaiting(true);
  }
  void Woken() { woken_ = context().VirtualNow().count(); }
  int64_t Clock() const { return woken_; }

 private:
  int id_;
  int64_t woken_ = -1;
};

void Log::Echo(ActorHandle<Worker> to) { (void)to.Tell(&Worker::Woken); }

RuntimeOptions Virtual() {
  RuntimeOptions o;
  o.virtual_time = true;
  return o;
}

ActorHandle<Worker> SpawnWorker(Runtime& rt, int id) {
  return rt.Spawn<Worker>(SpawnOptions{.virtual_role = VirtualRole::kSelfClocked}, id).value();
}

// Polls until the log holds `n` entries (an untimed Call is handled as soon
// as no ordered message is in flight, so it may come before pending ones).
std::vector<Log::Entry> AwaitEntries(ActorHandle<Log>& log, size_t n) {
  std::vector<Log::Entry> e;
  for (int i = 0; i < 1000; ++i) {
    e = log.Call(&Log::Entries).Get(5s).value();
    if (e.size() >= n) break;
    std::this_thread::sleep_for(5ms);
  }
  return e;
}

TEST(VirtualTime, OrderedActorHandlesMessagesInVirtualArrivalOrder) {
  auto rt = Runtime::Start(Virtual());
  auto log = rt->Spawn<Log>(SpawnOptions{}).value();
  auto slow = SpawnWorker(*rt, 1);  // sends first in real time, at virtual 30 ms
  auto fast = SpawnWorker(*rt, 2);  // sends 100 ms later in real time, at virtual 10 ms
  ASSERT_TRUE(slow.Tell(&Worker::Run, log, std::vector<int64_t>{30}, int64_t{0}).ok());
  ASSERT_TRUE(fast.Tell(&Worker::Run, log, std::vector<int64_t>{10}, int64_t{100}).ok());
  const auto e = AwaitEntries(log, 2);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].who, 2);
  EXPECT_EQ(e[0].arrival_ns, 10'000'000);
  EXPECT_EQ(e[0].clock_ns, 10'000'000);
  EXPECT_EQ(e[1].who, 1);
  EXPECT_EQ(e[1].clock_ns, 30'000'000);
}

TEST(VirtualTime, TiesBreakBySenderThenSequence) {
  auto rt = Runtime::Start(Virtual());
  auto log = rt->Spawn<Log>(SpawnOptions{}).value();
  auto b = SpawnWorker(*rt, 20);
  auto a = SpawnWorker(*rt, 10);
  // Both send twice at exactly 20 ms (costs 20 then 0); b was spawned first,
  // so its id is lower and its messages sort first.
  ASSERT_TRUE(a.Tell(&Worker::Run, log, std::vector<int64_t>{20, 0}, int64_t{0}).ok());
  ASSERT_TRUE(b.Tell(&Worker::Run, log, std::vector<int64_t>{20, 0}, int64_t{30}).ok());
  const auto e = AwaitEntries(log, 4);
  ASSERT_EQ(e.size(), 4u);
  std::vector<int> who;
  for (const auto& x : e) who.push_back(x.who);
  EXPECT_EQ(who, (std::vector<int>{20, 20, 10, 10}));
  for (const auto& x : e) EXPECT_EQ(x.arrival_ns, 20'000'000);
}

TEST(VirtualTime, LinkLatencySetsArrivalTimesInOrder) {
  auto rt = Runtime::Start(Virtual());
  auto log = rt->Spawn<Log>(SpawnOptions{}).value();
  auto w = SpawnWorker(*rt, 1);
  LinkModel m;
  m.latency = 5ms;
  rt->SetLinkModel(LinkSelector::Actor(w.id()), LinkSelector::Actor(log.id()), m);
  // Sends at 10 and 12 ms: each arrives 5 ms later, never overtaking.
  ASSERT_TRUE(w.Tell(&Worker::Run, log, std::vector<int64_t>{10, 2}, int64_t{0}).ok());
  const auto e = AwaitEntries(log, 2);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].arrival_ns, 15'000'000);
  EXPECT_EQ(e[1].arrival_ns, 17'000'000);
}

TEST(VirtualTime, AWaitingActorsClockJumpsToTheAnswersArrival) {
  auto rt = Runtime::Start(Virtual());
  auto log = rt->Spawn<Log>(SpawnOptions{}).value();
  auto w = SpawnWorker(*rt, 1);
  LinkModel m;
  m.latency = 7ms;
  rt->SetLinkModel(LinkSelector::Any(), LinkSelector::Any(), m);
  ASSERT_TRUE(w.Tell(&Worker::Ask, log, int64_t{2}).ok());
  // Request: sent at 2 ms, in at 9 ms; answer: sent at 9 ms, in at 16 ms.
  int64_t woken = -1;
  for (int i = 0; i < 1000 && woken < 0; ++i) {
    woken = w.Call(&Worker::Clock).Get(5s).value();
    if (woken < 0) std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(woken, 16'000'000);
}

TEST(VirtualTime, AnOrderedActorsTimerComesInArrivalOrder) {
  auto rt = Runtime::Start(Virtual());
  auto log = rt->Spawn<Log>(SpawnOptions{}).value();
  auto w = SpawnWorker(*rt, 1);
  ASSERT_TRUE(log.Tell(&Log::Arm, int64_t{25}).ok());  // the log's clock is 0: fires at 25 ms
  ASSERT_TRUE(w.Tell(&Worker::Run, log, std::vector<int64_t>{10, 10, 10}, int64_t{0}).ok());
  const auto e = AwaitEntries(log, 4);
  ASSERT_EQ(e.size(), 4u);
  std::vector<std::pair<int, int64_t>> seen;
  for (const auto& x : e) seen.emplace_back(x.who, Ms(VirtualTime(x.clock_ns)));
  EXPECT_EQ(seen, (std::vector<std::pair<int, int64_t>>{{1, 10}, {1, 20}, {-1, 25}, {1, 30}}));
}

// Many self-clocked senders with uneven costs, twice: the same order, sorted
// by (arrival, sender, sequence).
std::vector<std::tuple<int64_t, int>> ManySenders() {
  auto rt = Runtime::Start(Virtual());
  auto log = rt->Spawn<Log>(SpawnOptions{}).value();
  const int kSenders = 24, kSteps = 5;
  std::vector<ActorHandle<Worker>> workers;
  for (int i = 0; i < kSenders; ++i) workers.push_back(SpawnWorker(*rt, i));
  for (int i = 0; i < kSenders; ++i) {
    std::vector<int64_t> costs;
    for (int s = 0; s < kSteps; ++s) costs.push_back(1 + (i * 7 + s * 13) % 11);
    EXPECT_TRUE(workers[i].Tell(&Worker::Run, log, costs, int64_t{i % 3}).ok());
  }
  std::vector<std::tuple<int64_t, int>> out;
  for (const auto& e : AwaitEntries(log, kSenders * kSteps)) out.emplace_back(e.arrival_ns, e.who);
  return out;
}

TEST(VirtualTime, RunsAreDeterministic) {
  const auto first = ManySenders();
  ASSERT_EQ(first.size(), 24u * 5u);
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) < std::get<0>(b);
  }));
  EXPECT_EQ(ManySenders(), first);
}

TEST(VirtualTime, NeedsAnEmbeddedRuntime) {
  RuntimeOptions o = Virtual();
  o.listen = "tcp://127.0.0.1:0";
  EXPECT_THROW(Runtime::Start(o), ErrorException);
}

}  // namespace
}  // namespace olsgd::rt
