// Recovery under cluster.on_failure: continue, on a head and worker nodes in
// this process (tcp loopback): a reducer shard on a lost node is re-created
// on the head, and a worker process started after a loss takes the lost
// trainer back at a round boundary.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <list>
#include <mutex>
#include <thread>

#include "actors/cluster/cluster_head.h"
#include "actors/cluster/cluster_worker.h"
#include "actors/roles/trainer_actor.h"
#include "actors/run/link_setup.h"
#include "runtime/runtime.h"
#include "tests/actors/run_test_util.h"

namespace olsgd::actors {
namespace {

using test_util::EvalHook;
using test_util::RunSpec;
using test_util::TinySpec;

// A head on its own thread and worker nodes that can be started and stopped
// while it runs.
class TestCluster {
 public:
  explicit TestCluster(ExperimentSpec spec, int wait_for = 2)
      : spec_(std::move(spec)), hook_([this](const EvalRecord&) { evaluated_ = true; }) {
    spec_.cluster.mode = ClusterMode::kHead;
    spec_.cluster.insecure = true;
    spec_.cluster.wait_for_workers = wait_for;
    spec_.cluster.join_timeout_s = 60;
    HeadOptions head;
    head.listen = "tcp://127.0.0.1:0";
    head.say = [this](const std::string& line) {
      const std::string prefix = "head: listening on ";
      if (line.rfind(prefix, 0) == 0) {
        std::call_once(said_, [&] {
          address_.set_value(
              line.substr(prefix.size(), line.find(' ', prefix.size()) - prefix.size()));
        });
      }
    };
    head_ = std::async(std::launch::async,
                       [this, head] { return RunOnCluster(spec_, hook_, RunOptions{}, head); });
    addr_ = address_.get_future().get();
  }

  void AddWorker(const std::string& name) {
    Worker& w = workers_.emplace_back();
    w.name = name;
    w.result = std::async(std::launch::async, [this, &w] {
      WorkerNodeOptions o;
      o.head = addr_;
      o.name = w.name;
      o.insecure = true;
      o.heartbeat_s = 0.2;
      o.failure_timeout_s = 1.5;
      o.say = [](const std::string&) {};
      return RunWorkerNode(o, &w.stop);
    });
  }
  // The node leaves, as if its process were stopped.
  void StopWorker(const std::string& name) {
    for (Worker& w : workers_) {
      if (w.name == name) w.stop = true;
    }
  }

  // Workers w0 and w1 join; w1 leaves at the first evaluation, and then a
  // worker named `restarted` joins, unless it is "". Returns the outcome.
  RunOutcome RunLosingW1(const std::string& restarted = "") {
    AddWorker("w0");
    AddWorker("w1");
    while (!evaluated_ &&
           head_.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    }
    StopWorker("w1");
    if (!restarted.empty()) AddWorker(restarted);
    return head_.get();
  }
  // Workers w0 and w1 join; at the first evaluation another process-like
  // node joins and stops actor `victim` with a message, as if one of its
  // methods had thrown. Returns the outcome.
  RunOutcome RunStoppingActor(const std::string& victim) {
    AddWorker("w0");
    AddWorker("w1");
    while (!evaluated_ &&
           head_.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    }
    rt::RuntimeOptions o;
    o.join = addr_;
    o.node_name = "intruder";
    auto node = rt::Runtime::Start(o);
    auto trainer = node->Lookup<TrainerActor>(victim, std::chrono::seconds(10));
    EXPECT_TRUE(trainer.ok()) << trainer.error().ToString();
    if (trainer.ok()) {
      EXPECT_TRUE(trainer->Tell(&TrainerActor::Dismiss).ok());
    }
    RunOutcome out = head_.get();
    node->Shutdown();
    return out;
  }
  int ExitCode(const std::string& name) {
    for (Worker& w : workers_) {
      if (w.name == name) return w.result.get().exit_code;
    }
    return -1;
  }

 private:
  struct Worker {
    std::string name;
    std::atomic<bool> stop{false};
    std::future<WorkerNodeResult> result;
  };
  ExperimentSpec spec_;
  std::atomic<bool> evaluated_{false};
  EvalHook hook_;
  std::promise<std::string> address_;
  std::once_flag said_;
  std::string addr_;
  std::future<RunOutcome> head_;
  std::list<Worker> workers_;  // stable addresses
};

ExperimentSpec RecoverySpec(const std::string& algorithm, int steps, int workers = 2) {
  return test_util::LossSpec(algorithm, steps, OnFailure::kContinue, workers);
}

std::string Joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += "[" + x + "] ";
  return s;
}

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Reducer shard 1 runs on node w1, which hosts no trainer. When w1 leaves,
// the head re-creates the shard from the anchor state the trainers hold, the
// trainers send their kept contributions again, and the run ends with the
// very models of an uninterrupted run: nothing of the math was lost.
TEST(ReducerRecoveryTest, ALostShardIsRecreatedOnTheHeadAndTheModelsMatchAnUninterruptedRun) {
  for (const std::string alg : {"overlap_local_sgd", "sync_sgd"}) {
    ExperimentSpec spec = RecoverySpec(alg, 400);
    spec.algorithm.reducer_shards = 2;
    spec.cluster.trainer_nodes = {"w0", "w0"};
    spec.cluster.reducer_nodes = {"head", "w1"};
    const RunOutcome uninterrupted = RunSpec(spec);
    TestCluster cluster(spec);
    const RunOutcome out = cluster.RunLosingW1();
    ASSERT_EQ(out.summary.status, "completed") << alg << ": " << out.summary.failure;
    EXPECT_TRUE(out.summary.lost_shards.empty()) << Joined(out.summary.lost_shards);
    ASSERT_EQ(out.summary.recovery.size(), 1u) << Joined(out.summary.recovery);
    EXPECT_NE(out.summary.recovery[0].find("reducer:1 of lost node 'w1' re-created on node 'head'"),
              std::string::npos)
        << out.summary.recovery[0];
    ASSERT_EQ(out.final_models.size(), uninterrupted.final_models.size());
    for (size_t w = 0; w < out.final_models.size(); ++w) {
      EXPECT_TRUE(SameBits(out.final_models[w], uninterrupted.final_models[w]))
          << alg << ": worker " << w << " differs from the uninterrupted run";
    }
    EXPECT_EQ(cluster.ExitCode("w0"), 0);
    EXPECT_EQ(cluster.ExitCode("w1"), 130);
  }
}

// local_sgd with anchor momentum keeps that momentum only in the reducer:
// losing a shard cannot be recovered from the trainers, and the run says so.
TEST(ReducerRecoveryTest, AnchorMomentumInTheReducerCannotBeRecreatedAndTheRunSaysWhy) {
  ExperimentSpec spec = RecoverySpec("local_sgd", 400);
  spec.algorithm.beta = 0.5;
  spec.cluster.trainer_nodes = {"w0", "w0"};
  spec.cluster.reducer_nodes = {"w1"};
  TestCluster cluster(spec);
  const RunOutcome out = cluster.RunLosingW1();
  EXPECT_EQ(out.summary.status, "failed");
  EXPECT_NE(out.summary.failure.find("node 'w1' lost"), std::string::npos) << out.summary.failure;
  EXPECT_NE(out.summary.failure.find("anchor momentum"), std::string::npos) << out.summary.failure;
}

// What every rejoin run must show: it completed, trainer `rejoined` came back
// on node w1-restarted, every worker ran to the end and counted in the last
// evaluation, and under sync_sgd (all replicas equal) every final model is
// bit-identical: the rejoined worker started from the right state and took
// part in every average after the rejoin.
void ExpectRejoined(const RunOutcome& out, const std::string& alg, int rejoined, size_t workers) {
  ASSERT_EQ(out.summary.status, "completed") << alg << ": " << out.summary.failure;
  ASSERT_EQ(out.summary.recovery.size(), 1u) << alg << ": " << Joined(out.summary.recovery);
  EXPECT_NE(out.summary.recovery[0].find(TrainerName(rejoined) +
                                         " rejoined on node 'w1-restarted' from round "),
            std::string::npos)
      << out.summary.recovery[0];
  ASSERT_EQ(out.summary.workers.size(), workers);
  ASSERT_EQ(out.final_models.size(), workers);
  for (size_t w = 0; w < workers; ++w) {
    ASSERT_FALSE(out.final_models[w].empty()) << alg << ": worker " << w;
  }
  ASSERT_FALSE(out.evals.empty());
  EXPECT_EQ(out.evals.back().workers.size(), workers)
      << alg << ": the last evaluation left a worker out";
  if (alg == "sync_sgd") {
    for (size_t w = 1; w < workers; ++w) {
      EXPECT_TRUE(SameBits(out.final_models[0], out.final_models[w]))
          << "worker " << w << "'s model differs from worker 0's";
    }
  }
}

// Worker 1's node leaves at the first evaluation; a new worker process joins.
// The head pauses the surviving trainer at a round boundary, starts trainer 1
// on the new node from its state and readmits it from the next round, and the
// run finishes with both workers.
TEST(RejoinTest, ARestartedWorkerTakesTheLostTrainerBackAtARoundBoundary) {
  for (const std::string alg : {"sync_sgd", "overlap_local_sgd"}) {
    ExperimentSpec spec = RecoverySpec(alg, 1000);
    spec.cluster.trainer_nodes = {"w0", "w1"};
    TestCluster cluster(spec);
    const RunOutcome out = cluster.RunLosingW1("w1-restarted");
    ExpectRejoined(out, alg, 1, 2);
    ASSERT_EQ(out.summary.lost_shards.size(), 1u) << Joined(out.summary.lost_shards);
    EXPECT_EQ(out.summary.iterations, 1000);
    EXPECT_EQ(cluster.ExitCode("w0"), 0);
    EXPECT_EQ(cluster.ExitCode("w1"), 130);
    EXPECT_EQ(cluster.ExitCode("w1-restarted"), 0);
  }
}

// Two trainers survive (both on w0) and must pause at the same boundary
// while each needs the other's contributions to get there: asked one after
// the other, the first would pause and the second could never end its
// round. Every algorithm family: lockstep (sync_sgd), blocking rounds
// (local_sgd) and overlapped rounds.
TEST(RejoinTest, TwoSurvivingTrainersPauseAtOneBoundaryAndTheLostOneRejoins) {
  for (const std::string alg : {"sync_sgd", "local_sgd", "overlap_local_sgd"}) {
    ExperimentSpec spec = RecoverySpec(alg, 1000, 3);
    spec.cluster.trainer_nodes = {"w0", "w0", "w1"};
    TestCluster cluster(spec);
    const RunOutcome out = cluster.RunLosingW1("w1-restarted");
    ExpectRejoined(out, alg, 2, 3);
    EXPECT_EQ(cluster.ExitCode("w0"), 0);
    EXPECT_EQ(cluster.ExitCode("w1-restarted"), 0);
  }
}

// A trainer on a worker node that stops (a method threw) while its node stays
// connected ends the run at once, naming it, instead of stalling until
// cluster.stall_timeout_s.
TEST(RemoteFailureTest, ARemoteTrainerThatStopsEndsTheRunNamingIt) {
  ExperimentSpec spec = RecoverySpec("overlap_local_sgd", 100000);
  spec.cluster.on_failure = OnFailure::kAbort;
  spec.cluster.trainer_nodes = {"w0", "w1"};
  TestCluster cluster(spec);
  const auto begin = std::chrono::steady_clock::now();
  const RunOutcome out = cluster.RunStoppingActor("trainer:1");
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  EXPECT_EQ(out.summary.status, "failed");
  EXPECT_NE(
      out.summary.failure.find("trainer:1 on node 'w1' stopped while its node is still connected"),
      std::string::npos)
      << out.summary.failure;
  // 100,000 steps of at least 5 ms each: the run ended long before it could finish.
  EXPECT_LT(secs, 120.0);
  std::printf("[ measured ] run ended %.2f s after it started (a stopped remote trainer)\n", secs);
}

}  // namespace
}  // namespace olsgd::actors
