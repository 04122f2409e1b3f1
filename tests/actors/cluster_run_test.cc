// Multi-host runs inside one test process: a head (RunOnCluster) and worker
// nodes (RunWorkerNode) on their own threads, talking over tcp loopback. The
// same code runs in separate processes with `olsgd head` / `olsgd worker`
// (tests/cli/cluster_binary_test.cc). Also placement rules.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>

#include "actors/cluster/cluster_head.h"
#include "actors/cluster/cluster_worker.h"
#include "actors/cluster/placement.h"
#include "tests/actors/run_test_util.h"

namespace olsgd::actors {
namespace {

using test_util::EvalHook;
using test_util::RunSpec;
using test_util::TinySpec;

rt::NodeInfo Node(rt::NodeId id, const std::string& name, int slots) {
  rt::NodeInfo n;
  n.id = id;
  n.name = name;
  n.slots = slots;
  return n;
}

TEST(PlacementTest, SpreadsTrainersOverWorkerSlotsAndKeepsReducersOnTheHead) {
  ClusterSpec c;
  c.workers = 5;
  const std::vector<rt::NodeInfo> nodes = {Node(0, "head", 0), Node(2, "b", 2), Node(1, "a", 3)};
  const Placement p = PlaceActors(c, 1, nodes, "head");
  EXPECT_EQ(p.trainer_nodes, (std::vector<std::string>{"a", "b", "a", "b", "a"}));
  EXPECT_EQ(p.reducer_nodes, (std::vector<std::string>{""}));
  EXPECT_TRUE(p.warnings.empty());
}

TEST(PlacementTest, OversubscribesWithAWarningAndSpreadsReducerShards) {
  ClusterSpec c;
  c.workers = 3;
  const std::vector<rt::NodeInfo> nodes = {Node(0, "head", 0), Node(1, "a", 1)};
  const Placement p = PlaceActors(c, 3, nodes, "head");
  EXPECT_EQ(p.trainer_nodes, (std::vector<std::string>{"a", "a", "a"}));
  EXPECT_EQ(p.reducer_nodes, (std::vector<std::string>{"", "a", ""}));
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("3 trainers on 1 worker slots"), std::string::npos) << p.warnings[0];
}

TEST(PlacementTest, ExplicitPlacementNamesNodesAndRejectsUnknownOnes) {
  ClusterSpec c;
  c.workers = 2;
  c.trainer_nodes = {"b", "head"};
  c.reducer_nodes = {"a"};
  const std::vector<rt::NodeInfo> nodes = {Node(0, "head", 0), Node(1, "a", 1), Node(2, "b", 1)};
  const Placement p = PlaceActors(c, 1, nodes, "head");
  EXPECT_EQ(p.trainer_nodes, (std::vector<std::string>{"b", ""}));
  EXPECT_EQ(p.reducer_nodes, (std::vector<std::string>{"a"}));
  c.trainer_nodes = {"b", "nope"};
  try {
    PlaceActors(c, 1, nodes, "head");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("cluster.trainer_nodes[1]: no node named 'nope'"),
              std::string::npos)
        << e.what();
  }
}

// A head and `n` worker nodes in this process. `on_eval` runs on the head's
// coordinator thread at every evaluation.
struct LocalCluster {
  RunOutcome outcome;
  std::vector<WorkerNodeResult> workers;
};

LocalCluster RunLocalCluster(ExperimentSpec spec, int nodes, std::vector<std::atomic<bool>>* stops,
                             std::function<void(const EvalRecord&)> on_eval) {
  spec.cluster.mode = ClusterMode::kHead;
  spec.cluster.insecure = true;
  spec.cluster.wait_for_workers = nodes;
  spec.cluster.join_timeout_s = 60;
  std::promise<std::string> address;
  std::once_flag said;
  HeadOptions head;
  head.listen = "tcp://127.0.0.1:0";
  head.say = [&](const std::string& line) {
    const std::string prefix = "head: listening on ";
    if (line.rfind(prefix, 0) == 0) {
      std::call_once(said, [&] {
        address.set_value(
            line.substr(prefix.size(), line.find(' ', prefix.size()) - prefix.size()));
      });
    }
  };
  EvalHook hook(std::move(on_eval));
  std::future<RunOutcome> head_run =
      std::async(std::launch::async, [&] { return RunOnCluster(spec, hook, RunOptions{}, head); });
  const std::string addr = address.get_future().get();
  std::vector<std::future<WorkerNodeResult>> workers;
  for (int i = 0; i < nodes; ++i) {
    workers.push_back(std::async(std::launch::async, [&, i] {
      WorkerNodeOptions w;
      w.head = addr;
      w.name = "w" + std::to_string(i);
      w.insecure = true;
      w.say = [](const std::string&) {};
      return RunWorkerNode(w, stops != nullptr ? &(*stops)[i] : nullptr);
    }));
  }
  LocalCluster out;
  out.outcome = head_run.get();
  for (auto& w : workers) out.workers.push_back(w.get());
  return out;
}

void ExpectSameModels(const RunOutcome& a, const RunOutcome& b) {
  ASSERT_EQ(a.final_models.size(), b.final_models.size());
  for (size_t w = 0; w < a.final_models.size(); ++w) {
    ASSERT_EQ(a.final_models[w].size(), b.final_models[w].size()) << "worker " << w;
    EXPECT_EQ(0, std::memcmp(a.final_models[w].data(), b.final_models[w].data(),
                             a.final_models[w].size() * sizeof(float)))
        << "worker " << w << " differs from the embedded run";
  }
}

// The same experiment on three nodes gives bit-identical models to the
// embedded run: placement changes where actors run, never the math.
TEST(ClusterRunTest, HeadAndTwoWorkersMatchTheEmbeddedRunBitForBit) {
  for (const std::string alg : {"overlap_local_sgd", "sync_sgd"}) {
    ExperimentSpec spec = TinySpec(alg, 3);
    spec.algorithm.reducer_shards = 2;
    const RunOutcome embedded = RunSpec(spec);
    const LocalCluster cluster = RunLocalCluster(spec, 2, nullptr, [](const EvalRecord&) {});
    EXPECT_EQ(cluster.outcome.summary.status, "completed")
        << alg << ": " << cluster.outcome.summary.failure;
    ExpectSameModels(cluster.outcome, embedded);
    for (const auto& w : cluster.workers) EXPECT_EQ(w.exit_code, 0) << w.message;
  }
}

ExperimentSpec LongerSpec(OnFailure on_failure) {
  return test_util::LossSpec("overlap_local_sgd", 400, on_failure);
}

// A worker node leaves in the middle of the run (its process is stopped).
TEST(ClusterRunTest, LostWorkerUnderAbortFailsTheRunNamingTheNode) {
  std::vector<std::atomic<bool>> stops(2);
  const LocalCluster cluster = RunLocalCluster(LongerSpec(OnFailure::kAbort), 2, &stops,
                                               [&](const EvalRecord&) { stops[1] = true; });
  EXPECT_EQ(cluster.outcome.summary.status, "failed");
  EXPECT_NE(cluster.outcome.summary.failure.find("node 'w1' lost"), std::string::npos)
      << cluster.outcome.summary.failure;
  EXPECT_NE(cluster.outcome.summary.failure.find("trainer:"), std::string::npos);
  EXPECT_EQ(cluster.workers[0].exit_code, 1) << cluster.workers[0].message;
  EXPECT_EQ(cluster.workers[1].exit_code, 130);
}

TEST(ClusterRunTest, LostWorkerUnderContinueFinishesWithTheOthersAndReportsItsShard) {
  std::vector<std::atomic<bool>> stops(2);
  const LocalCluster cluster = RunLocalCluster(LongerSpec(OnFailure::kContinue), 2, &stops,
                                               [&](const EvalRecord&) { stops[1] = true; });
  EXPECT_EQ(cluster.outcome.summary.status, "completed") << cluster.outcome.summary.failure;
  ASSERT_EQ(cluster.outcome.summary.lost_shards.size(), 1u);
  EXPECT_NE(cluster.outcome.summary.lost_shards[0].find("on node 'w1'"), std::string::npos)
      << cluster.outcome.summary.lost_shards[0];
  EXPECT_NE(cluster.outcome.summary.lost_shards[0].find("training samples"), std::string::npos);
  EXPECT_EQ(cluster.outcome.summary.workers.size(), 1u);
  EXPECT_EQ(cluster.workers[0].exit_code, 0) << cluster.workers[0].message;
  // The survivor ran every one of its steps.
  EXPECT_EQ(cluster.outcome.summary.iterations, 400);
}

// Nothing waits forever: a run in which no round completes within
// cluster.stall_timeout_s fails and says where each trainer was.
TEST(StallTest, ARunWithNoProgressFailsAfterTheStallTimeout) {
  ExperimentSpec spec = TinySpec("overlap_local_sgd", 2);
  spec.cluster.stall_timeout_s = 0.5;
  spec.time.mode = TimeMode::kWall;  // the pause is a real 1.5 s sleep only on the wall clock
  StragglerSpec slow;
  slow.worker = 1;
  slow.pause = PauseKind::kBernoulli;
  slow.pause_probability = 1.0;
  slow.pause_ms = 1500;  // every step of worker 1 takes 1.5 s
  spec.injection.stragglers.push_back(slow);
  const RunOutcome out = RunSpec(spec);
  EXPECT_EQ(out.summary.status, "failed");
  EXPECT_NE(out.summary.failure.find("cluster.stall_timeout_s"), std::string::npos)
      << out.summary.failure;
  EXPECT_NE(out.summary.failure.find("trainer:1 finished round 0"), std::string::npos)
      << out.summary.failure;
}

}  // namespace
}  // namespace olsgd::actors
