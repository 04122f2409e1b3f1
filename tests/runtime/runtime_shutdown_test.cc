// Clean shutdown: no thread or file descriptor (socket) outlives the runtime.
#include <dirent.h>
#include <gtest/gtest.h>

#include "runtime/runtime.h"
#include "tests/runtime/test_actors.h"

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;

int CountEntries(const char* dir) {
  int n = 0;
  if (DIR* d = opendir(dir)) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') ++n;
    }
    closedir(d);
  }
  return n;
}

void Exercise(RuntimeOptions head_opts, bool with_worker) {
  auto head = Runtime::Start(head_opts);
  std::unique_ptr<Runtime> worker;
  if (with_worker) {
    RuntimeOptions w;
    w.join = head->address();
    w.node_name = "w1";
    worker = Runtime::Start(w);
  }
  auto a = head->Spawn<Recorder>({.name = "a", .dedicated_thread = true}).value();
  auto b = head->Spawn<Recorder>({.name = "b"}).value();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(a.Tell(&Recorder::Record, 0, i).ok());
  ASSERT_EQ(b.Call(&Recorder::Add, 1, 2).Get(5s).value(), 3);
  if (worker) {
    auto ra = worker->Lookup<Recorder>("a", 5s).value();
    ASSERT_EQ(ra.Call(&Recorder::Add, 2, 2).Get(5s).value(), 4);
    // Leave a call in flight to an actor that will be stopped.
    (void)ra.Tell(&Recorder::Ping);
    worker->Shutdown();
  }
  head->Shutdown();
}

// Each test first runs one runtime to let process-wide helpers start (the
// sanitizers' background thread, spdlog's registry), then checks that a
// second full runtime lifetime leaves threads and descriptors as they were.
TEST(Shutdown, NoLeakedThreadsOrFdsEmbedded) {
  Exercise({}, false);
  int threads = CountEntries("/proc/self/task");
  int fds = CountEntries("/proc/self/fd");
  Exercise({}, false);
  EXPECT_EQ(CountEntries("/proc/self/task"), threads);
  EXPECT_EQ(CountEntries("/proc/self/fd"), fds);
}

TEST(Shutdown, NoLeakedThreadsOrSocketsNetworked) {
  int threads = CountEntries("/proc/self/task");
  int fds = CountEntries("/proc/self/fd");
  RuntimeOptions o;
  o.listen = "tcp://127.0.0.1:0";
  o.linger_ms = 0;
  Exercise(o, true);
  threads = CountEntries("/proc/self/task");
  fds = CountEntries("/proc/self/fd");
  Exercise(o, true);
  EXPECT_EQ(CountEntries("/proc/self/task"), threads);
  EXPECT_EQ(CountEntries("/proc/self/fd"), fds);
}

TEST(Shutdown, PendingCallsFailInsteadOfHanging) {
  auto rt = Runtime::Start();
  auto h = rt->Spawn<Recorder>({}).value();
  LinkModel slow;
  slow.latency = 10s;
  rt->SetLinkModel(LinkSelector::Any(), LinkSelector::Any(), slow);
  auto f = h.Call(&Recorder::Add, 1, 1);  // parked in the link delay
  rt->Shutdown();
  auto r = f.Get(5s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().code, ErrorCode::kTimeout);
}

}  // namespace
}  // namespace olsgd::rt
