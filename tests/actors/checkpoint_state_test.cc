// The pieces of actor state a checkpoint saves and restores, on their own.
#include <gtest/gtest.h>

#include "actors/algorithms/slice_reducer.h"
#include "actors/worker/straggler_model.h"
#include "actors/algorithms/worker_boundary.h"

namespace olsgd::actors {
namespace {

TEST(CheckpointStateTest, StragglerGeneratorContinuesWhereItWasSaved) {
  StragglerSpec rule;
  rule.pause = "exponential";
  rule.pause_mean_ms = 3;
  StragglerModel model({rule}, 1, 9);
  for (int i = 0; i < 5; ++i) model.ExtraDelay(1, 0.001);
  const std::string saved = model.SaveState();
  std::vector<double> first, second;
  for (int i = 0; i < 20; ++i) first.push_back(model.ExtraDelay(2, 0.001));
  StragglerModel fresh({rule}, 1, 9);
  fresh.RestoreState(saved);
  for (int i = 0; i < 20; ++i) second.push_back(fresh.ExtraDelay(2, 0.001));
  EXPECT_EQ(first, second);
  EXPECT_THROW(fresh.RestoreState("not a state"), std::invalid_argument);
}

TEST(CheckpointStateTest, SlowMoReducerContinuesFromRestoredState) {
  const std::vector<float> x0 = {1.0f, 2.0f, 3.0f};
  SliceReducer a(ReduceOp::kSlowMo, 2, x0, 0.5);
  const std::vector<float> c1 = {0.5f, 1.5f, 2.0f}, c2 = {0.7f, 1.1f, 2.5f};
  ASSERT_FALSE(a.Add(1, 0, c1, 0.1f));
  ASSERT_TRUE(a.Add(1, 1, c2, 0.1f));
  a.Reduce(1);
  SliceReducer b(ReduceOp::kSlowMo, 2, x0, 0.5);
  b.Restore(a.anchor(), a.velocity(), a.first_update());
  for (SliceReducer* r : {&a, &b}) {
    r->Add(2, 0, c2, 0.1f);
    r->Add(2, 1, c1, 0.1f);
  }
  EXPECT_EQ(a.Reduce(2), b.Reduce(2));
  EXPECT_THROW(b.Restore(std::vector<float>(2), a.velocity(), false), std::invalid_argument);
}

TEST(CheckpointStateTest, BoundaryStateRestores) {
  AlgorithmSpec spec;
  spec.alpha = 0.5;
  spec.beta = 0.7;
  const std::vector<float> x0 = {1.0f, -1.0f};
  WorkerBoundary a(AlgorithmKind::kOverlapLocalSgd, spec, 2, x0);
  std::vector<float> x = {0.5f, -0.5f}, z = {0.8f, -0.9f}, c(2);
  a.Apply(x, z, 0.1f, c);
  WorkerBoundary b(AlgorithmKind::kOverlapLocalSgd, spec, 2, x0);
  b.Restore(a.anchor_velocity(), a.last_contribution(), a.first());
  std::vector<float> xa = x, xb = x, ca(2), cb(2);
  a.Apply(xa, z, 0.1f, ca);
  b.Apply(xb, z, 0.1f, cb);
  EXPECT_EQ(ca, cb);
  EXPECT_EQ(xa, xb);
  EXPECT_THROW(b.Restore({}, {}, false), std::invalid_argument);
}

}  // namespace
}  // namespace olsgd::actors
