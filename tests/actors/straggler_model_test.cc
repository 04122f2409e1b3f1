#include "actors/worker/straggler_model.h"

#include <gtest/gtest.h>

namespace olsgd::actors {
namespace {

TEST(StragglerModelTest, RulesForOtherWorkersDoNotApply) {
  StragglerSpec s;
  s.worker = 2;
  s.slowdown = 3.0;
  StragglerModel m({s}, 1, 7);
  EXPECT_FALSE(m.active());
  EXPECT_EQ(m.ExtraDelay(1, 0.010), 0.0);
}

TEST(StragglerModelTest, FixedSlowdownAddsFactorMinusOneTimesCompute) {
  StragglerSpec s;
  s.worker = 0;
  s.slowdown = 3.0;
  StragglerModel m({s}, 0, 7);
  EXPECT_DOUBLE_EQ(m.ExtraDelay(5, 0.010), 0.020);
}

TEST(StragglerModelTest, WindowAppliesOnlyInsideItsRounds) {
  StragglerSpec s;
  s.worker = -1;
  s.window_from_round = 3;
  s.window_to_round = 5;
  s.window_factor = 2.0;
  StragglerModel m({s}, 4, 7);
  EXPECT_EQ(m.ExtraDelay(2, 0.01), 0.0);
  EXPECT_DOUBLE_EQ(m.ExtraDelay(3, 0.01), 0.01);
  EXPECT_DOUBLE_EQ(m.ExtraDelay(4, 0.01), 0.01);
  EXPECT_EQ(m.ExtraDelay(5, 0.01), 0.0);
}

TEST(StragglerModelTest, BernoulliPausesHitAboutPOfStepsAndAreSeeded) {
  StragglerSpec s;
  s.pause = PauseKind::kBernoulli;
  s.pause_probability = 0.25;
  s.pause_ms = 40;
  StragglerModel a({s}, 0, 11), b({s}, 0, 11);
  int hits = 0;
  for (int i = 0; i < 4000; ++i) {
    const double d = a.ExtraDelay(1, 0.0);
    EXPECT_EQ(d, b.ExtraDelay(1, 0.0));  // same seed, same draws
    EXPECT_TRUE(d == 0.0 || d == 0.040);
    hits += d > 0;
  }
  EXPECT_GT(hits, 800);  // expected 1000; bounds are many standard deviations wide
  EXPECT_LT(hits, 1200);
}

TEST(StragglerModelTest, ExponentialAndParetoPausesHaveTheConfiguredMean) {
  for (PauseKind dist : {PauseKind::kExponential, PauseKind::kPareto}) {
    StragglerSpec s;
    s.pause = dist;
    s.pause_mean_ms = 10;
    s.pause_pareto_shape = 3.0;
    StragglerModel m({s}, 0, 3);
    double sum = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
      const double d = m.ExtraDelay(1, 0.0);
      EXPECT_GE(d, 0.0);
      sum += d;
    }
    EXPECT_NEAR(sum / n, 0.010, 0.0015) << dist;
  }
}

}  // namespace
}  // namespace olsgd::actors
