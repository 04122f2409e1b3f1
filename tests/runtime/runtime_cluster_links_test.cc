// Cluster-wide link models: rules set on the head apply to messages that
// other nodes send, with actor names from the head's directory, also on
// nodes that join after the rule was set.
#include <gtest/gtest.h>

#include <cstdio>

#include "runtime/runtime.h"
#include "tests/runtime/test_actors.h"

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;

// Tells `from` to send one message to `to`; returns how long until it arrived.
std::chrono::duration<double> ForwardOne(ActorHandle<Recorder> from, ActorHandle<Recorder> to) {
  int64_t before = to.Call(&Recorder::Count).Get(10s).value();
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(from.Tell(&Recorder::Forward, to, 9, int64_t{1}).ok());
  auto end = t0 + 30s;
  while (to.Call(&Recorder::Count).Get(10s).value() == before &&
         std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(1ms);
  }
  return std::chrono::steady_clock::now() - t0;
}

class ClusterLinks : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterActorType<Recorder, int64_t>();
    head_ = Runtime::Start({.listen = "tcp://127.0.0.1:0"});
    sink_ = head_->Spawn<Recorder>({.name = "sink"}).value();
  }
  std::unique_ptr<Runtime> Join(const std::string& name) {
    return Runtime::Start({.join = head_->address(), .node_name = name});
  }
  std::unique_ptr<Runtime> head_;
  ActorHandle<Recorder> sink_;
};

TEST_F(ClusterLinks, HeadRuleDelaysAWorkersActorByName) {
  auto w1 = Join("w1");
  auto a = head_->Spawn<Recorder>({.name = "a", .node = "w1"}).value();
  auto before = ForwardOne(a, sink_);
  constexpr auto kLatency = 400ms;
  head_->SetLinkModel(LinkSelector::ActorNamed("a"), LinkSelector::ActorNamed("sink"),
                      {.latency = kLatency});
  // The rules travel ahead of this call on the same connection.
  ASSERT_EQ(a.Call(&Recorder::Count).Get(10s).value(), 0);
  auto with = ForwardOne(a, sink_);
  std::printf(
      "a (on w1) -> sink (on head): %.1f ms without the rule, %.1f ms with 400 ms latency\n",
      before.count() * 1e3, with.count() * 1e3);
  EXPECT_GE(with, kLatency);
  // The head's own sends to sink are local and not from "a": unaffected by
  // construction; the rule is applied on w1, the sending node.
  head_->ClearLinkModels();
  ASSERT_EQ(a.Call(&Recorder::Count).Get(10s).value(), 0);
  auto cleared = ForwardOne(a, sink_);
  std::printf("after ClearLinkModels on the head: %.1f ms\n", cleared.count() * 1e3);
  w1->Shutdown();
}

TEST_F(ClusterLinks, NodesThatJoinLaterGetTheRulesAndNodeSelectorsResolve) {
  constexpr auto kLatency = 300ms;
  head_->SetLinkModel(LinkSelector::NodeNamed("late"), LinkSelector::NodeNamed("head"),
                      {.latency = kLatency});
  head_->SetLinkModel(LinkSelector::ActorNamed("b"), LinkSelector::ActorNamed("sink"),
                      {.latency = 2 * kLatency});
  auto w = Join("late");
  auto from_node = head_->Spawn<Recorder>({.name = "c", .node = "late"}).value();
  auto b = head_->Spawn<Recorder>({.name = "b", .node = "late"}).value();
  ASSERT_EQ(b.Call(&Recorder::Count).Get(10s).value(), 0);
  auto by_node = ForwardOne(from_node, sink_);
  auto by_name = ForwardOne(b, sink_);
  std::printf("late -> head by node rule: %.1f ms (300 ms), by actor rule: %.1f ms (600 ms)\n",
              by_node.count() * 1e3, by_name.count() * 1e3);
  EXPECT_GE(by_node, kLatency);
  EXPECT_GE(by_name, 2 * kLatency);  // the later, actor-named rule wins
  w->Shutdown();
}

}  // namespace
}  // namespace olsgd::rt
