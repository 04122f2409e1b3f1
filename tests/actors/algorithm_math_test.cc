// Real 3-worker runs, with every boundary's vectors recorded, checked against
// ALGORITHMS.md's formulas computed here independently (plain loops, not the
// trainer library's functions).
#include <gtest/gtest.h>

#include "run_test_util.h"

namespace olsgd::actors {
namespace {

using test_util::IndexProbes;
using test_util::MaxAbsDiff;
using test_util::ProbeMap;
using test_util::RunSpec;
using test_util::TinySpec;

constexpr int kWorkers = 3;
constexpr float kTol = 2e-6f;

std::vector<float> MeanOver(const ProbeMap& p, const std::string& what, int64_t round) {
  std::vector<float> sum;
  for (int w = 0; w < kWorkers; ++w) {
    const std::vector<float>& v = p.at(what).at({w, round});
    if (sum.empty()) sum.assign(v.size(), 0.0f);
    for (size_t j = 0; j < v.size(); ++j) sum[j] += v[j];
  }
  for (float& x : sum) x /= kWorkers;
  return sum;
}

int64_t Rounds(const ExperimentSpec& s) { return s.training.steps / s.algorithm.tau; }

// The anchor used at round r is the mean of the round r-1 contributions:
// exactly one round stale. Round 1 uses x0.
TEST(AlgorithmMathTest, OverlapAnchorIsExactlyOneRoundStale) {
  ExperimentSpec spec = TinySpec("overlap_local_sgd", kWorkers);
  const RunOutcome out = RunSpec(spec, /*record_vectors=*/true);
  ASSERT_EQ(out.summary.status, "completed") << out.summary.failure;
  const ProbeMap p = IndexProbes(out);
  for (int w = 0; w < kWorkers; ++w) {
    EXPECT_EQ(p.at("received").at({w, 1}), p.at("received").at({0, 1}));  // x0 everywhere
    for (int64_t r = 2; r <= Rounds(spec); ++r) {
      const std::vector<float> expected = MeanOver(p, "contribution", r - 1);
      EXPECT_LT(MaxAbsDiff(p.at("received").at({w, r}), expected), kTol) << "w" << w << " r" << r;
      // ...and not the mean of the current round's contributions.
      EXPECT_GT(MaxAbsDiff(p.at("received").at({w, r}), MeanOver(p, "contribution", r)), 1e-4f);
    }
  }
}

TEST(AlgorithmMathTest, OverlapMomentumVariantMatchesSpec) {
  ExperimentSpec spec = TinySpec("overlap_local_sgd", kWorkers);
  spec.algorithm.beta = 0.7;
  const RunOutcome out = RunSpec(spec, true);
  ASSERT_EQ(out.summary.status, "completed");
  const ProbeMap p = IndexProbes(out);
  const float a = static_cast<float>(spec.algorithm.alpha);
  const float beta = 0.7f, lr = static_cast<float>(spec.training.lr);
  for (int w = 0; w < kWorkers; ++w) {
    std::vector<float> v;
    for (int64_t r = 1; r <= Rounds(spec); ++r) {
      const auto& x = p.at("x_before").at({w, r});
      const auto& z = p.at("received").at({w, r});
      std::vector<float> pulled(x.size()), c(x.size());
      if (v.empty()) v.assign(x.size(), 0.0f);
      for (size_t j = 0; j < x.size(); ++j) {
        pulled[j] = (1 - a) * x[j] + a * z[j];
        v[j] = (r == 1 ? 0.0f : beta * v[j]) + (z[j] - pulled[j]) / lr;
        c[j] = z[j] - lr * v[j];
      }
      EXPECT_LT(MaxAbsDiff(p.at("x_after").at({w, r}), pulled), kTol) << "w" << w << " r" << r;
      EXPECT_LT(MaxAbsDiff(p.at("contribution").at({w, r}), c), 1e-5f) << "w" << w << " r" << r;
      if (r > 1) {
        EXPECT_LT(MaxAbsDiff(z, MeanOver(p, "contribution", r - 1)), kTol) << "w" << w << " r" << r;
      }
    }
  }
}

// The boundary uses the rate of the step just taken, not the next one's: a
// decay between them (here after local step 5, of 20 per epoch) must not
// reach the anchor momentum of the boundary that closes round 3.
TEST(AlgorithmMathTest, OverlapMomentumUsesTheRateOfTheStepJustTaken) {
  ExperimentSpec spec = TinySpec("overlap_local_sgd", kWorkers);
  spec.algorithm.beta = 0.7;
  spec.training.milestones = {0.28};  // epoch of step k = k / 20: steps 6.. decayed
  spec.training.lr_decay = 0.1;
  const RunOutcome out = RunSpec(spec, true);
  ASSERT_EQ(out.summary.status, "completed");
  const ProbeMap p = IndexProbes(out);
  const float a = static_cast<float>(spec.algorithm.alpha);
  const float beta = 0.7f, base = static_cast<float>(spec.training.lr);
  for (int w = 0; w < kWorkers; ++w) {
    std::vector<float> v;
    for (int64_t r = 1; r <= Rounds(spec); ++r) {
      const int64_t last_step = r * spec.algorithm.tau - 1;  // 0-based
      const float lr = last_step >= 6 ? base * 0.1f : base;
      const auto& x = p.at("x_before").at({w, r});
      const auto& z = p.at("received").at({w, r});
      std::vector<float> c(x.size());
      if (v.empty()) v.assign(x.size(), 0.0f);
      for (size_t j = 0; j < x.size(); ++j) {
        const float pulled = (1 - a) * x[j] + a * z[j];
        v[j] = (r == 1 ? 0.0f : beta * v[j]) + (z[j] - pulled) / lr;
        c[j] = z[j] - lr * v[j];
      }
      EXPECT_LT(MaxAbsDiff(p.at("contribution").at({w, r}), c), 1e-5f) << "w" << w << " r" << r;
    }
  }
}

TEST(AlgorithmMathTest, ElasticAveragingMatchesSpec) {
  ExperimentSpec spec = TinySpec("easgd", kWorkers);
  spec.algorithm.alpha = 0.2;  // < 1/m
  const RunOutcome out = RunSpec(spec, true);
  ASSERT_EQ(out.summary.status, "completed");
  const ProbeMap p = IndexProbes(out);
  const float alpha = 0.2f, m = kWorkers;
  const float a = alpha / (1 - alpha), b = 1 / m - alpha - alpha * alpha / (1 - alpha);
  for (int64_t r = 1; r <= Rounds(spec); ++r) {
    std::vector<float> centre_update;  // z + alpha * sum_i (x_i_before - z)
    for (int w = 0; w < kWorkers; ++w) {
      const auto& x = p.at("x_before").at({w, r});
      const auto& z = p.at("received").at({w, r});
      std::vector<float> pulled(x.size()), c(x.size());
      for (size_t j = 0; j < x.size(); ++j) {
        pulled[j] = (1 - alpha) * x[j] + alpha * z[j];
        c[j] = b * z[j] + a * pulled[j];
      }
      EXPECT_LT(MaxAbsDiff(p.at("x_after").at({w, r}), pulled), kTol);
      EXPECT_LT(MaxAbsDiff(p.at("contribution").at({w, r}), c), kTol);
      if (centre_update.empty()) centre_update = z;
      for (size_t j = 0; j < x.size(); ++j) centre_update[j] += alpha * (x[j] - z[j]);
    }
    if (r < Rounds(spec)) {  // the sum of contributions is the classic centre update
      EXPECT_LT(MaxAbsDiff(p.at("received").at({0, r + 1}), centre_update), 1e-5f) << "r" << r;
    }
  }
}

TEST(AlgorithmMathTest, CocodMatchesSpec) {
  ExperimentSpec spec = TinySpec("cocod_sgd", kWorkers);
  const RunOutcome out = RunSpec(spec, true);
  ASSERT_EQ(out.summary.status, "completed");
  const ProbeMap p = IndexProbes(out);
  for (int w = 0; w < kWorkers; ++w) {
    std::vector<float> s = p.at("received").at({w, 1});  // s_i = x0 = a_1
    for (int64_t r = 1; r <= Rounds(spec); ++r) {
      const auto& x = p.at("x_before").at({w, r});
      const auto& avg = p.at("received").at({w, r});
      if (r > 1) {
        EXPECT_LT(MaxAbsDiff(avg, MeanOver(p, "contribution", r - 1)), kTol);
      }
      std::vector<float> next(x.size());
      for (size_t j = 0; j < x.size(); ++j) next[j] = avg[j] + (x[j] - s[j]);
      EXPECT_LT(MaxAbsDiff(p.at("x_after").at({w, r}), next), kTol) << "w" << w << " r" << r;
      EXPECT_EQ(p.at("contribution").at({w, r}), p.at("x_after").at({w, r}));
      s = next;
    }
  }
}

}  // namespace
}  // namespace olsgd::actors
