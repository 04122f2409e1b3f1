#include "actors/algorithms/slice_reducer.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/actors/algorithm_test_util.h"

namespace olsgd::actors {
namespace {

using test_util::ReducerHalfFor;

TEST(SliceReducerTest, MeanWaitsForEveryWorkerThenAverages) {
  SliceReducer r(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(2, 0.0f)), 3, 2);
  EXPECT_FALSE(r.Add(1, 2, std::vector<float>{3, 6}, 0.1f));
  EXPECT_FALSE(r.Add(1, 0, std::vector<float>{0, 0}, 0.1f));
  EXPECT_TRUE(r.Add(1, 1, std::vector<float>{3, 0}, 0.1f));
  EXPECT_EQ(r.Reduce(1), (std::vector<float>{2, 2}));
}

TEST(SliceReducerTest, RoundsAreKeptApart) {
  SliceReducer r(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(1, 0.0f)), 2, 1);
  EXPECT_FALSE(r.Add(2, 0, std::vector<float>{10}, 0.1f));
  EXPECT_FALSE(r.Add(1, 0, std::vector<float>{1}, 0.1f));
  EXPECT_TRUE(r.Add(1, 1, std::vector<float>{3}, 0.1f));
  EXPECT_EQ(r.Reduce(1), (std::vector<float>{2}));
  EXPECT_TRUE(r.Add(2, 1, std::vector<float>{20}, 0.1f));
  EXPECT_EQ(r.Reduce(2), (std::vector<float>{15}));
}

TEST(SliceReducerTest, SumForElasticAveraging) {
  SliceReducer r(ReducerHalfFor("easgd", 0.0, std::vector<float>(1, 0.0f)), 2, 1);
  r.Add(1, 0, std::vector<float>{1.5f}, 0.1f);
  ASSERT_TRUE(r.Add(1, 1, std::vector<float>{2.0f}, 0.1f));
  EXPECT_EQ(r.Reduce(1), (std::vector<float>{3.5f}));
}

TEST(SliceReducerTest, ResultDoesNotDependOnArrivalOrder) {
  const std::vector<std::vector<float>> c = {{0.1f, 1e8f}, {0.2f, -1e8f}, {0.3f, 1.0f}};
  SliceReducer a(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(2, 0.0f)), 3, 2);
  SliceReducer b(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(2, 0.0f)), 3, 2);
  for (int w : {0, 1, 2}) a.Add(1, w, c[w], 0.1f);
  for (int w : {2, 0, 1}) b.Add(1, w, c[w], 0.1f);
  EXPECT_EQ(a.Reduce(1), b.Reduce(1));
}

// Local SGD with anchor momentum (BMUF/SlowMo), ALGORITHMS.md, worked by hand:
// z = 1, lr = 0.5, beta = 0.5. Round 1: xbar = 0.8, v = (1 - 0.8)/0.5 = 0.4,
// z = 1 - 0.5*0.4 = 0.8. Round 2: xbar = 0.5, v = 0.5*0.4 + (0.8-0.5)/0.5 = 0.8,
// z = 0.8 - 0.5*0.8 = 0.4.
TEST(SliceReducerTest, SlowMoMatchesHandWorkedExample) {
  SliceReducer r(ReducerHalfFor("local_sgd", 0.5, std::vector<float>{1.0f}), 2, 1);
  r.Add(1, 0, std::vector<float>{0.7f}, 0.5f);
  ASSERT_TRUE(r.Add(1, 1, std::vector<float>{0.9f}, 0.5f));
  EXPECT_NEAR(r.Reduce(1)[0], 0.8f, 1e-6);
  EXPECT_NEAR(r.Save().arrays.at(1)[0], 0.4f, 1e-6);  // v
  r.Add(2, 0, std::vector<float>{0.4f}, 0.5f);
  ASSERT_TRUE(r.Add(2, 1, std::vector<float>{0.6f}, 0.5f));
  EXPECT_NEAR(r.Reduce(2)[0], 0.4f, 1e-6);
  EXPECT_NEAR(r.Save().arrays.at(1)[0], 0.8f, 1e-6);
}

TEST(SliceReducerTest, RejectsBadContributions) {
  SliceReducer r(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(2, 0.0f)), 2, 2);
  EXPECT_THROW(r.Add(1, 2, std::vector<float>{1, 2}, 0.1f), std::invalid_argument);
  EXPECT_THROW(r.Add(1, -1, std::vector<float>{1, 2}, 0.1f), std::invalid_argument);
  EXPECT_THROW(r.Add(1, 0, std::vector<float>{1}, 0.1f), std::invalid_argument);
  r.Add(1, 0, std::vector<float>{1, 2}, 0.1f);
  EXPECT_THROW(r.Add(1, 0, std::vector<float>{1, 2}, 0.1f), std::invalid_argument);
}

TEST(SliceReducerTest, DroppedWorkerNoLongerAwaited) {
  SliceReducer r(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(1, 0.0f)), 3, 1);
  r.DropWorker(1);
  EXPECT_EQ(r.live_workers(), 2);
  EXPECT_FALSE(r.Add(1, 0, std::vector<float>{1}, 0.1f));
  EXPECT_TRUE(r.Add(1, 2, std::vector<float>{3}, 0.1f));
  EXPECT_EQ(r.Reduce(1), (std::vector<float>{2}));
}

// A worker that rejoins counts from its first round on: earlier rounds
// complete without it, later ones wait for it.
TEST(SliceReducerTest, ReadmittedWorkerCountsFromItsFirstRoundOn) {
  SliceReducer r(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(1, 0.0f)), 2, 1);
  r.DropWorker(1);
  EXPECT_FALSE(r.Member(1));
  r.Readmit(1, 5);
  EXPECT_TRUE(r.Member(1));
  EXPECT_EQ(r.live_workers(), 2);
  EXPECT_FALSE(r.Counts(1, 4));
  EXPECT_TRUE(r.Counts(1, 5));
  EXPECT_TRUE(r.Add(4, 0, std::vector<float>{2}, 0.1f));
  EXPECT_EQ(r.Reduce(4), (std::vector<float>{2}));
  EXPECT_FALSE(r.Add(5, 0, std::vector<float>{2}, 0.1f));
  EXPECT_TRUE(r.Add(5, 1, std::vector<float>{4}, 0.1f));
  EXPECT_EQ(r.Reduce(5), (std::vector<float>{3}));
  EXPECT_THROW(r.Readmit(2, 1), std::invalid_argument);
}

// Leftovers of earlier rounds (contributions re-sent to a replacement
// reducer) are forgotten once a later round is complete.
TEST(SliceReducerTest, DiscardBeforeForgetsRoundsThatCanNoLongerComplete) {
  SliceReducer r(ReducerHalfFor("overlap_local_sgd", 0.0, std::vector<float>(1, 0.0f)), 2, 1);
  EXPECT_FALSE(r.Add(3, 1, std::vector<float>{1}, 0.1f));
  EXPECT_FALSE(r.Add(4, 0, std::vector<float>{1}, 0.1f));
  EXPECT_TRUE(r.Add(4, 1, std::vector<float>{3}, 0.1f));
  EXPECT_EQ(r.Reduce(4), (std::vector<float>{2}));
  r.DiscardBefore(4);
  r.DropWorker(0);
  EXPECT_TRUE(r.CompleteRounds().empty()) << "round 3 should have been forgotten";
}

}  // namespace
}  // namespace olsgd::actors
