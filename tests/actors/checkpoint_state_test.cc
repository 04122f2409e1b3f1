// The pieces of actor state a checkpoint saves and restores, on their own.
#include <gtest/gtest.h>

#include "actors/algorithms/slice_reducer.h"
#include "actors/worker/straggler_model.h"
#include "tests/actors/algorithm_test_util.h"

namespace olsgd::actors {
namespace {

TEST(CheckpointStateTest, StragglerGeneratorContinuesWhereItWasSaved) {
  StragglerSpec rule;
  rule.pause = PauseKind::kExponential;
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
  SliceReducer a(test_util::ReducerHalfFor("local_sgd", 0.5, x0), 2, x0.size());
  const std::vector<float> c1 = {0.5f, 1.5f, 2.0f}, c2 = {0.7f, 1.1f, 2.5f};
  ASSERT_FALSE(a.Add(1, 0, c1, 0.1f));
  ASSERT_TRUE(a.Add(1, 1, c2, 0.1f));
  a.Reduce(1);
  SliceReducer b(test_util::ReducerHalfFor("local_sgd", 0.5, x0), 2, x0.size());
  b.Restore(a.Save());
  for (SliceReducer* r : {&a, &b}) {
    r->Add(2, 0, c2, 0.1f);
    r->Add(2, 1, c1, 0.1f);
  }
  EXPECT_EQ(a.Reduce(2), b.Reduce(2));
  HalfState wrong = a.Save();
  wrong.arrays[0].resize(2);
  EXPECT_THROW(b.Restore(wrong), std::invalid_argument);
}

// Every algorithm's worker half continues from its saved state exactly.
TEST(CheckpointStateTest, WorkerHalfStateRestores) {
  for (const Algorithm* algorithm : Algorithms()) {
    if (!algorithm->overlapped()) continue;  // the blocking halves keep nothing
    SCOPED_TRACE(std::string(algorithm->name));
    const ExperimentSpec spec = test_util::AlgorithmSpecFor(
        std::string(algorithm->name), algorithm->name == "easgd" ? 0.2 : 0.5, 0.7);
    const std::vector<float> x0 = {1.0f, -1.0f};
    const std::vector<float> z = {0.8f, -0.9f};
    auto a = algorithm->make_worker(WorkerSetup{spec, 0, x0});
    test_util::VectorModel w({0.5f, -0.5f});
    std::vector<float> c(2);
    a->Boundary(w, z, 0.1f, c);
    auto b = algorithm->make_worker(WorkerSetup{spec, 0, x0});
    b->Restore(a->Save());
    test_util::VectorModel wa = w, wb = w;
    std::vector<float> ca(2), cb(2);
    a->Boundary(wa, z, 0.1f, ca);
    b->Boundary(wb, z, 0.1f, cb);
    EXPECT_EQ(ca, cb);
    EXPECT_EQ(wa.x_, wb.x_);
    HalfState wrong = a->Save();
    wrong.arrays.emplace_back(7);
    EXPECT_THROW(b->Restore(wrong), std::invalid_argument);
  }
}

}  // namespace
}  // namespace olsgd::actors
