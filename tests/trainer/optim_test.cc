// Sgd against hand-computed steps (PyTorch semantics) and the LR schedule.
#include <gtest/gtest.h>

#include <vector>

#include "trainer/lr_schedule.h"
#include "trainer/sgd.h"

namespace olsgd::train {
namespace {

TEST(SgdTest, PlainStepWithWeightDecay) {
  // x = 2 - 0.5 * (1 + 0.1 * 2) = 1.4
  std::vector<float> x{2.0f}, g{1.0f};
  Sgd sgd(1);
  sgd.Step(x, g, {.lr = 0.5f, .momentum = 0.0f, .nesterov = false, .weight_decay = 0.1f});
  EXPECT_FLOAT_EQ(x[0], 1.4f);
  EXPECT_FALSE(sgd.momentum_initialized());
  EXPECT_FLOAT_EQ(g[0], 1.0f);  // the gradient is not modified
}

TEST(SgdTest, HeavyBallMomentum) {
  // v = 1, 1.9, 2.71; x = 1 - 0.1 v each step: 0.9, 0.71, 0.439.
  std::vector<float> x{1.0f}, g{1.0f};
  Sgd sgd(1);
  const SgdOptions o{.lr = 0.1f, .momentum = 0.9f, .nesterov = false, .weight_decay = 0.0f};
  const float expect_x[] = {0.9f, 0.71f, 0.439f}, expect_v[] = {1.0f, 1.9f, 2.71f};
  for (int t = 0; t < 3; ++t) {
    sgd.Step(x, g, o);
    EXPECT_NEAR(x[0], expect_x[t], 1e-6) << "step " << t;
    EXPECT_NEAR(sgd.momentum_buffer()[0], expect_v[t], 1e-6) << "step " << t;
  }
}

TEST(SgdTest, NesterovWithWeightDecayTwoSteps) {
  // lr 0.1, mu 0.9, wd 0.01, g = [0.5, 0.25] both steps, x0 = [1, -2].
  // Step 1: g' = [0.51, 0.23]; v = g'; d = g' + 0.9 v = [0.969, 0.437];
  //         x = [0.9031, -2.0437].
  // Step 2: g' = [0.509031, 0.229563]; v = 0.9 [0.51, 0.23] + g' = [0.968031, 0.436563];
  //         d = g' + 0.9 v = [1.3802589, 0.6224697]; x = [0.76507411, -2.10594697].
  std::vector<float> x{1.0f, -2.0f}, g{0.5f, 0.25f};
  Sgd sgd(2);
  const SgdOptions o{.lr = 0.1f, .momentum = 0.9f, .nesterov = true, .weight_decay = 0.01f};
  sgd.Step(x, g, o);
  EXPECT_TRUE(sgd.momentum_initialized());
  EXPECT_NEAR(sgd.momentum_buffer()[0], 0.51f, 1e-6);
  EXPECT_NEAR(sgd.momentum_buffer()[1], 0.23f, 1e-6);
  EXPECT_NEAR(x[0], 0.9031f, 1e-6);
  EXPECT_NEAR(x[1], -2.0437f, 1e-6);
  sgd.Step(x, g, o);
  EXPECT_NEAR(sgd.momentum_buffer()[0], 0.968031f, 1e-6);
  EXPECT_NEAR(sgd.momentum_buffer()[1], 0.436563f, 1e-6);
  EXPECT_NEAR(x[0], 0.76507411f, 1e-6);
  EXPECT_NEAR(x[1], -2.10594697f, 1e-6);
}

TEST(SgdTest, RestoredStateContinuesBitIdentically) {
  const SgdOptions o{.lr = 0.05f, .momentum = 0.9f, .nesterov = true, .weight_decay = 1e-4f};
  std::vector<float> x{0.3f, -0.7f, 1.1f}, g1{0.2f, -0.1f, 0.4f}, g2{-0.3f, 0.05f, 0.2f};
  Sgd a(3);
  a.Step(x, g1, o);
  std::vector<float> x_copy = x;
  Sgd b(3);
  b.RestoreState(a.momentum_buffer(), a.momentum_initialized());
  a.Step(x, g2, o);
  b.Step(x_copy, g2, o);
  EXPECT_EQ(x, x_copy);
  // A fresh optimiser (flag false) would have set v = g' instead.
  Sgd fresh(3);
  std::vector<float> x_fresh = x_copy;
  fresh.Step(x_fresh, g2, o);
  EXPECT_NE(fresh.momentum_buffer()[0], a.momentum_buffer()[0]);
}

TEST(SgdTest, SizeMismatchIsRejected) {
  Sgd sgd(2);
  std::vector<float> x{1.0f}, g{1.0f};
  EXPECT_THROW(sgd.Step(x, g, {}), std::invalid_argument);
}

TEST(LrScheduleTest, LinearScalingWarmupAndMilestones) {
  // Paper setting: 0.1 scaled by 512/128 = 0.4, warm-up 5 epochs from 0.1,
  // decay x0.1 at epochs 150 and 250.
  LrSchedule s({.base_lr = 0.1f,
                .total_batch = 512,
                .reference_batch = 128,
                .warmup_epochs = 5.0,
                .milestones = {150, 250},
                .gamma = 0.1f});
  EXPECT_FLOAT_EQ(s.peak(), 0.4f);
  EXPECT_FLOAT_EQ(s.At(0.0), 0.1f);
  EXPECT_FLOAT_EQ(s.At(2.5), 0.25f);
  EXPECT_FLOAT_EQ(s.At(5.0), 0.4f);
  EXPECT_FLOAT_EQ(s.At(149.9), 0.4f);
  EXPECT_FLOAT_EQ(s.At(150.0), 0.04f);
  EXPECT_FLOAT_EQ(s.At(250.0), 0.004f);
}

TEST(LrScheduleTest, WarmupFromAGivenStartAndNoScaling) {
  LrSchedule s({.base_lr = 0.2f, .warmup_epochs = 2.0, .warmup_start_lr = 0.0f});
  EXPECT_FLOAT_EQ(s.At(0.0), 0.0f);
  EXPECT_FLOAT_EQ(s.At(1.0), 0.1f);
  EXPECT_FLOAT_EQ(s.At(3.0), 0.2f);
}

}  // namespace
}  // namespace olsgd::train
