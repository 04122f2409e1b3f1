// Each update function of ALGORITHMS.md against a tiny hand-worked example.
#include "trainer/algorithms.h"

#include <gtest/gtest.h>

#include <vector>

namespace olsgd::train {
namespace {

using Vec = std::vector<float>;

TEST(AlgorithmsTest, MeanOfAveragesElementwise) {
  Vec a{1, 2}, b{3, 4}, c{5, 9}, out(2);
  std::vector<std::span<const float>> xs{a, b, c};
  MeanOf(xs, out);
  EXPECT_FLOAT_EQ(out[0], 3.0f);
  EXPECT_FLOAT_EQ(out[1], 5.0f);
  SumOf(xs, out);
  EXPECT_FLOAT_EQ(out[0], 9.0f);
  EXPECT_FLOAT_EQ(out[1], 15.0f);
}

TEST(AlgorithmsTest, MeanOfMayWriteIntoItsFirstInput) {
  Vec a{1, 2}, b{3, 6};
  std::vector<std::span<const float>> xs{a, b};
  MeanOf(xs, a);
  EXPECT_FLOAT_EQ(a[0], 2.0f);
  EXPECT_FLOAT_EQ(a[1], 4.0f);
}

TEST(AlgorithmsTest, PullBackMixesTowardsAnchor) {
  // x <- 0.4 x + 0.6 z: [0.4 + 1.8, 1.2 - 0.6].
  Vec x{1, 3}, z{3, -1};
  PullBack(x, z, 0.6f);
  EXPECT_FLOAT_EQ(x[0], 2.2f);
  EXPECT_FLOAT_EQ(x[1], 0.6f);
}

TEST(AlgorithmsTest, AnchorMomentumContributionOverTwoRounds) {
  Vec v{123.0f}, c(1);  // `first` must ignore whatever v held
  // Round 1: v = (2 - 1) / 0.5 = 2; c = 2 - 0.5 * 2 = 1 (the pulled model itself).
  AnchorMomentumContribution(Vec{1.0f}, Vec{2.0f}, v, 0.7f, 0.5f, true, c);
  EXPECT_FLOAT_EQ(v[0], 2.0f);
  EXPECT_FLOAT_EQ(c[0], 1.0f);
  // Round 2: v = 0.7 * 2 + (2.5 - 1.5) / 0.5 = 3.4; c = 2.5 - 0.5 * 3.4 = 0.8.
  AnchorMomentumContribution(Vec{1.5f}, Vec{2.5f}, v, 0.7f, 0.5f, false, c);
  EXPECT_FLOAT_EQ(v[0], 3.4f);
  EXPECT_FLOAT_EQ(c[0], 0.8f);
}

TEST(AlgorithmsTest, AnchorMomentumWithBetaZeroContributesThePulledModel) {
  Vec x{0.25f, -4.0f}, z{1.0f, 2.0f}, v{9, 9}, c(2);
  AnchorMomentumContribution(x, z, v, 0.0f, 0.1f, false, c);
  EXPECT_NEAR(c[0], x[0], 1e-6);
  EXPECT_NEAR(c[1], x[1], 1e-6);
}

TEST(AlgorithmsTest, SlowMoUpdateOverTwoRounds) {
  Vec z{1.0f}, v{-7.0f};
  // Round 1: v = (1 - 0.5) / 0.1 = 5; z = 1 - 0.1 * 5 = 0.5 (= xbar).
  SlowMoUpdate(z, Vec{0.5f}, v, 0.5f, 0.1f, true);
  EXPECT_FLOAT_EQ(v[0], 5.0f);
  EXPECT_FLOAT_EQ(z[0], 0.5f);
  // Round 2: v = 0.5 * 5 + (0.5 - 0.3) / 0.1 = 4.5; z = 0.5 - 0.45 = 0.05.
  SlowMoUpdate(z, Vec{0.3f}, v, 0.5f, 0.1f, false);
  EXPECT_FLOAT_EQ(v[0], 4.5f);
  EXPECT_NEAR(z[0], 0.05f, 1e-6);
}

TEST(AlgorithmsTest, ElasticContributionsSumToTheElasticCentreUpdate) {
  // m = 2, alpha = 0.2: a = 0.25, b = 1/2 - 0.2 - 0.04 / 0.8 = 0.25.
  // x1 = 3, x2 = 0, z = 1. Pulled: x1 = 2.6, x2 = 0.2.
  // c1 = 0.25 + 0.65 = 0.9, c2 = 0.25 + 0.05 = 0.3; sum = 1.2
  // = z + alpha * ((x1 - z) + (x2 - z)) = 1 + 0.2 * (2 - 1).
  const float alpha = 0.2f;
  Vec z{1.0f}, x1{3.0f}, x2{0.0f}, c1(1), c2(1);
  PullBack(x1, z, alpha);
  PullBack(x2, z, alpha);
  ElasticContribution(x1, z, alpha, 2, c1);
  ElasticContribution(x2, z, alpha, 2, c2);
  EXPECT_NEAR(c1[0], 0.9f, 1e-6);
  EXPECT_NEAR(c2[0], 0.3f, 1e-6);
  EXPECT_NEAR(c1[0] + c2[0], 1.2f, 1e-6);
}

TEST(AlgorithmsTest, CocodUpdateAddsOwnProgressToTheAverage) {
  // x = a + (x - s) = 3 + (5 - 2) = 6; s <- x.
  Vec x{5.0f}, s{2.0f}, a{3.0f};
  CocodUpdate(x, s, a);
  EXPECT_FLOAT_EQ(x[0], 6.0f);
  EXPECT_FLOAT_EQ(s[0], 6.0f);
}

TEST(AlgorithmsTest, OverlapWithoutMomentumGivesTheSpecsAnchor) {
  // beta = 0: z_{r+1} = mean_i c_i = (1 - alpha) mean_i x_i + alpha z_r.
  const float alpha = 0.6f;
  Vec z{2.0f, -1.0f}, x1{1.0f, 0.0f}, x2{5.0f, 4.0f}, next(2);
  PullBack(x1, z, alpha);
  PullBack(x2, z, alpha);
  std::vector<std::span<const float>> cs{x1, x2};
  MeanOf(cs, next);
  EXPECT_NEAR(next[0], 0.4f * 3.0f + 0.6f * 2.0f, 1e-6);
  EXPECT_NEAR(next[1], 0.4f * 2.0f + 0.6f * -1.0f, 1e-6);
}

TEST(AlgorithmsTest, LengthMismatchIsRejected) {
  Vec x{1, 2}, z{1};
  EXPECT_THROW(PullBack(x, z, 0.5f), std::invalid_argument);
  std::vector<std::span<const float>> none;
  EXPECT_THROW(MeanOf(none, x), std::invalid_argument);
}

}  // namespace
}  // namespace olsgd::train
