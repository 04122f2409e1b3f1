// Heartbeats and node loss with real processes: a worker killed with
// SIGKILL is declared lost by the head within the heartbeat timeout (pending
// calls fail, its names go, later sends fail at once, its name can join
// again); a worker notices a killed head; clean leaves report "left".
#include <gtest/gtest.h>
#include <signal.h>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "runtime/runtime.h"
#include "tests/runtime/peer_process.h"
#include "tests/runtime/test_actors.h"

#ifndef OLSGD_RUNTIME_PEER
#error "OLSGD_RUNTIME_PEER must name the runtime_peer executable"
#endif

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Control;
using testing::PeerProcess;
using testing::Recorder;

// Records on_node_lost calls.
class LostLog {
 public:
  std::function<void(NodeId, const std::string&)> Hook() {
    return [this](NodeId n, const std::string& reason) {
      std::lock_guard lock(mu_);
      events_.push_back({n, reason, std::chrono::steady_clock::now()});
      cv_.notify_all();
    };
  }
  struct Event {
    NodeId node;
    std::string reason;
    std::chrono::steady_clock::time_point when;
  };
  std::optional<Event> WaitFor(NodeId node, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    std::optional<Event> found;
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& e : events_) {
        if (e.node == node) found = e;
      }
      return found.has_value();
    });
    return found;
  }
  size_t count(NodeId node) {
    std::lock_guard lock(mu_);
    return std::count_if(events_.begin(), events_.end(),
                         [&](const Event& e) { return e.node == node; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Event> events_;
};

RuntimeOptions WithHeartbeat(RuntimeOptions o, LostLog& log) {
  o.heartbeat.interval = 500ms;
  o.heartbeat.timeout = 2500ms;
  o.on_node_lost = log.Hook();
  return o;
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

TEST(Liveness, HeadDeclaresAKilledWorkerLost) {
  RegisterActorType<Recorder, int64_t>();
  LostLog lost;
  auto head = Runtime::Start(WithHeartbeat({.listen = "tcp://127.0.0.1:0"}, lost));
  auto peer = std::make_unique<PeerProcess>(std::vector<std::string>{
      OLSGD_RUNTIME_PEER, "worker", head->address(), "w1", "--heartbeat", "500"});
  auto remote = head->Lookup<Recorder>("w1.rec", 30s);
  ASSERT_TRUE(remote.ok()) << remote.error().ToString();
  const NodeId w1 = remote->id().node();
  ASSERT_EQ(remote->Call(&Recorder::Add, 1, 2).Get(10s).value(), 3);
  // Heartbeats keep an idle node alive well past the timeout.
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(lost.count(w1), 0u);
  EXPECT_EQ(head->Nodes().size(), 2u);

  ASSERT_EQ(kill(peer->pid(), SIGKILL), 0);
  auto killed = std::chrono::steady_clock::now();
  EXPECT_EQ(peer->Wait(10s), 128 + SIGKILL);
  auto pending = remote->Call(&Recorder::Add, 40, 2);  // can never be answered
  auto ev = lost.WaitFor(w1, 15s);
  ASSERT_TRUE(ev.has_value()) << "node loss not detected within 15 s";
  std::printf("kill -9 of a worker detected after %.2f s (heartbeat 0.5 s, timeout 2.5 s): %s\n",
              Seconds(ev->when - killed), ev->reason.c_str());
  EXPECT_NE(ev->reason.find("no heartbeat"), std::string::npos) << ev->reason;
  auto r = pending.Get(10s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNodeLost) << r.error().ToString();
  EXPECT_NE(r.error().message.find("w1"), std::string::npos) << r.error().message;
  // Its names are gone, later sends fail at once, the table shrank.
  auto gone = head->Lookup<Recorder>("w1.rec");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  Status tell = remote->Tell(&Recorder::Ping);
  ASSERT_FALSE(tell.ok());
  EXPECT_EQ(tell.error().code, ErrorCode::kNodeLost);
  EXPECT_NE(tell.error().message.find("w1"), std::string::npos) << tell.error().message;
  auto late = remote->Call(&Recorder::Add, 1, 1).Get(1s);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kNodeLost);
  EXPECT_EQ(head->Nodes().size(), 1u);
  EXPECT_EQ(lost.count(w1), 1u);

  // A new process with the same name joins again, as a new node.
  peer = std::make_unique<PeerProcess>(std::vector<std::string>{
      OLSGD_RUNTIME_PEER, "worker", head->address(), "w1", "--heartbeat", "500"});
  auto again = head->Lookup<Recorder>("w1.rec", 30s);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_NE(again->id().node(), w1);
  EXPECT_EQ(again->Call(&Recorder::Add, 2, 3).Get(10s).value(), 5);
  // A clean exit is reported as "left".
  ASSERT_TRUE(head->Lookup<Control>("w1.control", 10s)->Tell(&Control::Quit).ok());
  EXPECT_EQ(peer->Wait(20s), 0);
  auto left = lost.WaitFor(again->id().node(), 15s);
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(left->reason, "left");
  head->Shutdown();
}

TEST(Liveness, WorkerNoticesAKilledHead) {
  namespace fs = std::filesystem;
  std::string addr_file =
      (fs::temp_directory_path() / ("olsgd_head_" + std::to_string(getpid()))).string();
  fs::remove(addr_file);
  PeerProcess head_proc({OLSGD_RUNTIME_PEER, "head", addr_file, "--heartbeat", "500"});
  std::string address;
  for (int i = 0; i < 3000 && address.empty(); ++i) {
    std::ifstream(addr_file) >> address;
    if (address.empty()) std::this_thread::sleep_for(10ms);
  }
  fs::remove(addr_file);
  ASSERT_FALSE(address.empty()) << "the head process did not start";
  LostLog lost;
  auto worker = Runtime::Start(WithHeartbeat({.join = address, .node_name = "w1"}, lost));
  auto rec = worker->Lookup<Recorder>("head.rec", 10s);
  ASSERT_TRUE(rec.ok()) << rec.error().ToString();
  ASSERT_EQ(rec->Call(&Recorder::Add, 1, 2).Get(10s).value(), 3);
  ASSERT_EQ(kill(head_proc.pid(), SIGKILL), 0);
  auto killed = std::chrono::steady_clock::now();
  auto pending = rec->Call(&Recorder::Add, 40, 2);
  auto ev = lost.WaitFor(kHeadNode, 15s);
  ASSERT_TRUE(ev.has_value()) << "the worker did not notice the dead head within 15 s";
  std::printf("kill -9 of the head noticed by a worker after %.2f s: %s\n",
              Seconds(ev->when - killed), ev->reason.c_str());
  auto r = pending.Get(10s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNodeLost) << r.error().ToString();
  worker->Shutdown();
}

TEST(Liveness, CleanLeavesAreReportedAsLeft) {
  LostLog head_lost, w1_lost, w2_lost;
  auto head = Runtime::Start(WithHeartbeat({.listen = "tcp://127.0.0.1:0"}, head_lost));
  auto w1 = Runtime::Start(WithHeartbeat({.join = head->address(), .node_name = "w1"}, w1_lost));
  auto w2 = Runtime::Start(WithHeartbeat({.join = head->address(), .node_name = "w2"}, w2_lost));
  const NodeId id1 = w1->node_id();
  // w2 knows w1 (from the head's table) and hears that it went.
  for (int i = 0; i < 500 && w2->Nodes().size() < 3; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(w2->Nodes().size(), 3u);
  w1->Shutdown();
  auto ev = head_lost.WaitFor(id1, 10s);
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->reason, "left");
  ASSERT_TRUE(w2_lost.WaitFor(id1, 10s).has_value());
  head->Shutdown();
  auto head_left = w2_lost.WaitFor(kHeadNode, 10s);
  ASSERT_TRUE(head_left.has_value());
  EXPECT_EQ(head_left->reason, "left");
  w2->Shutdown();
}

TEST(Liveness, ANodeWithHeartbeatsOffAnswersThem) {
  LostLog head_lost, w_lost;
  RuntimeOptions plain{.listen = "tcp://127.0.0.1:0"};
  plain.on_node_lost = head_lost.Hook();
  auto head = Runtime::Start(plain);  // heartbeats off
  auto w = Runtime::Start(WithHeartbeat({.join = head->address(), .node_name = "w"}, w_lost));
  std::this_thread::sleep_for(4s);  // longer than the worker's timeout, no other traffic
  EXPECT_EQ(w_lost.count(kHeadNode), 0u);
  EXPECT_EQ(w->Nodes().size(), 2u);
  w->Shutdown();
  head->Shutdown();
}

TEST(Liveness, TimeoutMustExceedInterval) {
  RuntimeOptions o{.listen = "tcp://127.0.0.1:0"};
  o.heartbeat = {.interval = 1000ms, .timeout = 500ms};
  EXPECT_THROW(Runtime::Start(o), ErrorException);
}

}  // namespace
}  // namespace olsgd::rt
