// With a slow link whose round trip fits into tau local steps, Overlap-Local-
// SGD hides it and Local SGD pays it at every boundary. Bounds are generous:
// the test checks the order of magnitude, not timings.
#include <gtest/gtest.h>

#include "run_test_util.h"

namespace olsgd::actors {
namespace {

ExperimentSpec SlowLinkSpec(const std::string& algorithm) {
  ExperimentSpec spec = test_util::TinySpec(algorithm, 3);
  spec.algorithm.tau = 4;
  spec.training.steps = 24;  // 6 rounds
  // 100 ms each way between every trainer and the reducer...
  LinkSpec link;
  link.from = "trainer:*";
  link.to = "reducer:*";
  link.latency_ms = 100;
  spec.injection.links.push_back(link);
  // ...while each local step takes at least 80 ms, so tau steps (>= 320 ms)
  // outlast the 200 ms round trip.
  StragglerSpec slow;
  slow.pause = PauseKind::kBernoulli;
  slow.pause_probability = 1.0;
  slow.pause_ms = 80;
  spec.injection.stragglers.push_back(slow);
  return spec;
}

TEST(OverlapHidesDelayTest, BlockedShareFarBelowLocalSgd) {
  const RunOutcome local = test_util::RunSpec(SlowLinkSpec("local_sgd"));
  const RunOutcome overlap = test_util::RunSpec(SlowLinkSpec("overlap_local_sgd"));
  ASSERT_EQ(local.summary.status, "completed");
  ASSERT_EQ(overlap.summary.status, "completed");
  // Local SGD waits a full round trip (>= 200 ms) at each of its 6 boundaries.
  for (const WorkerSummary& w : local.summary.workers) EXPECT_GE(w.blocked_s, 6 * 0.2 * 0.9);
  EXPECT_LT(overlap.summary.blocked_share, local.summary.blocked_share / 10)
      << "overlap " << overlap.summary.blocked_share << " local " << local.summary.blocked_share;
}

TEST(OverlapHidesDelayTest, InjectedStragglerDelayIsReported) {
  const RunOutcome out = test_util::RunSpec(SlowLinkSpec("overlap_local_sgd"));
  for (const WorkerSummary& w : out.summary.workers) EXPECT_GE(w.compute_s, 24 * 0.08);
}

}  // namespace
}  // namespace olsgd::actors
