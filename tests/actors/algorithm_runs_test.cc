// Real runs of the actors (embedded cluster) checked against serial SGD and
// against each other, as ALGORITHMS.md says they must relate.
#include <gtest/gtest.h>

#include "actors/worker/dataset_cache.h"
#include "actors/worker/local_worker.h"
#include "actors/worker/run_plan.h"
#include "run_test_util.h"

namespace olsgd::actors {
namespace {

using test_util::MaxAbsDiff;
using test_util::RunSpec;
using test_util::TinySpec;

// m = 1, tau = 1, alpha = 0: the anchor never pulls, so Overlap-Local-SGD is
// serial SGD, bit for bit.
TEST(AlgorithmRunsTest, OverlapWithOneWorkerTauOneAlphaZeroIsSerialSgd) {
  ExperimentSpec spec = TinySpec("overlap_local_sgd", 1);
  spec.algorithm.tau = 1;
  spec.algorithm.alpha = 0.0;
  const RunOutcome out = RunSpec(spec);
  ASSERT_EQ(out.summary.status, "completed") << out.summary.failure;

  auto data = LoadSplit(spec.data, spec.seed, train::Split::kTrain);
  LocalWorker serial(spec, 0, data, StepsPerEpoch(spec, data->n));
  for (int64_t s = 0; s < spec.training.steps; ++s) serial.LocalStep();
  const std::vector<float> expected(serial.params().begin(), serial.params().end());
  ASSERT_EQ(out.final_models.at(0).size(), expected.size());
  EXPECT_EQ(out.final_models[0], expected);
}

// Plain SGD and tau = 1: averaging models after one step each equals one step
// with the averaged gradient, up to float rounding.
TEST(AlgorithmRunsTest, LocalSgdTauOneMatchesSyncSgdWithPlainSgd) {
  ExperimentSpec spec = TinySpec("local_sgd", 3);
  spec.algorithm.tau = 1;
  spec.training.momentum = 0.0;
  spec.training.nesterov = false;
  spec.training.weight_decay = 0.0;
  const RunOutcome local = RunSpec(spec);
  spec.algorithm.name = "sync_sgd";
  const RunOutcome sync = RunSpec(spec);
  ASSERT_EQ(local.summary.status, "completed");
  ASSERT_EQ(sync.summary.status, "completed");
  for (int w = 0; w < 3; ++w) {
    EXPECT_LT(MaxAbsDiff(local.final_models[w], sync.final_models[w]), 1e-5f) << "worker " << w;
    EXPECT_NE(local.final_models[w], std::vector<float>(local.final_models[w].size(), 0.0f));
  }
}

// Sharding the reducer only spreads the traffic: every element is still the
// same sum in the same worker order, so the models are identical.
TEST(AlgorithmRunsTest, ShardedReducersGiveTheSameModels) {
  for (const char* algorithm : {"overlap_local_sgd", "local_sgd", "sync_sgd"}) {
    ExperimentSpec spec = TinySpec(algorithm, 3);
    spec.algorithm.beta = std::string(algorithm) == "sync_sgd" ? 0.0 : 0.5;
    const RunOutcome one = RunSpec(spec);
    spec.algorithm.reducer_shards = 3;
    const RunOutcome three = RunSpec(spec);
    ASSERT_EQ(three.summary.status, "completed") << algorithm;
    EXPECT_EQ(one.final_models, three.final_models) << algorithm;
  }
}

TEST(AlgorithmRunsTest, SameSeedGivesBitIdenticalModels) {
  for (const char* algorithm : {"overlap_local_sgd", "easgd", "cocod_sgd"}) {
    ExperimentSpec spec = TinySpec(algorithm, 3);
    spec.algorithm.alpha = 0.2;
    EXPECT_EQ(RunSpec(spec).final_models, RunSpec(spec).final_models) << algorithm;
  }
}

TEST(AlgorithmRunsTest, ReportsEvaluationsRoundsAndTraffic) {
  ExperimentSpec spec = TinySpec("overlap_local_sgd", 2);
  const RunOutcome out = RunSpec(spec);
  ASSERT_EQ(out.summary.status, "completed");
  EXPECT_EQ(out.summary.iterations, spec.training.steps);
  EXPECT_EQ(out.summary.rounds, spec.training.steps / spec.algorithm.tau);
  // every_rounds = 2 over 6 rounds: rounds 2, 4 and 6.
  ASSERT_EQ(out.evals.size(), 3u);
  EXPECT_EQ(out.evals.back().round, 6);
  EXPECT_EQ(out.evals.back().iteration, 12);
  EXPECT_FALSE(std::isnan(out.evals.back().anchor_test_accuracy));
  ASSERT_EQ(out.summary.workers.size(), 2u);
  for (const WorkerSummary& w : out.summary.workers) {
    EXPECT_GT(w.bytes_out, 0u);
    EXPECT_GT(w.bytes_in, 0u);
    EXPECT_GT(w.compute_s, 0.0);
    EXPECT_LE(w.blocked_share, 1.0);
  }
}

}  // namespace
}  // namespace olsgd::actors
