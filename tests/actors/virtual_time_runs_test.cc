// Virtual time, end to end (docs/TIME.md, ../shared/docs/TIME_MODEL.md's
// self-checks): a schedule computed by hand matches the simulated one for
// every algorithm; the models are bit-identical on both clocks; modelled
// compute gives the same timings in every run; a trainer that never waits
// has T_i = sum of its step costs; no delay and equal speeds block nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "tests/actors/run_test_util.h"

namespace olsgd::actors {
namespace {

using test_util::RunSpec;
using test_util::TinySpec;

// Keeps every round record, by (round, worker).
class RoundLog : public RunObserver {
 public:
  void OnRound(const RoundRecord& r) override {
    std::lock_guard<std::mutex> lock(mu_);
    rounds_[{r.round, r.worker}] = r;
  }
  std::map<std::pair<int64_t, int>, RoundRecord> rounds() const {
    std::lock_guard<std::mutex> lock(mu_);
    return rounds_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::pair<int64_t, int>, RoundRecord> rounds_;
};

struct Logged {
  RunOutcome outcome;
  std::map<std::pair<int64_t, int>, RoundRecord> rounds;
};

Logged RunLogged(const ExperimentSpec& spec) {
  RoundLog log;
  RunOptions options;
  options.record_vectors = true;
  Logged out;
  out.outcome = RunAndCollect(spec, log, options);
  out.rounds = log.rounds();
  return out;
}

// TinySpec's model (synthetic 16 features, MLP 16 > 12 > 4, batch 8), counted
// by hand: the first layer's forward and weight gradient (no input gradient
// below it), the second's forward, weight and input gradients, 2 FLOPs per
// multiply-add; the optimizer's update costs 5 FLOPs per parameter.
constexpr double kParams = 16 * 12 + 12 + 12 * 4 + 4;                         // 256
constexpr double kFlopsPerSample = 2.0 * (16 * 12) * 2 + 2.0 * (12 * 4) * 3;  // 1056
constexpr double kStepFlops = 8 * kFlopsPerSample + 5 * kParams;              // 9728
constexpr double kGflops = 0.001;   // 1 MFLOP/s: a step takes 9.728 ms
constexpr double kLatency = 0.010;  // trainer <-> reducer, each way

ExperimentSpec ScheduleSpec(const std::string& algorithm, const std::vector<double>& speeds) {
  ExperimentSpec spec = TinySpec(algorithm, static_cast<int>(speeds.size()));
  spec.training.steps = 6;
  spec.algorithm.alpha = algorithm == "easgd" ? 0.3 : 0.6;
  spec.time.mode = TimeMode::kVirtual;
  spec.time.compute = ComputeCost::kModel;
  spec.time.device_gflops = kGflops;
  spec.time.device_speeds = speeds;
  LinkSpec link;
  link.from = "trainer:*";
  link.to = "reducer:*";
  link.latency_ms = kLatency * 1000;
  spec.injection.links.push_back(link);
  return spec;
}

struct Expected {
  double start = 0, end = 0, compute = 0, blocked = 0;
};

// The schedule by hand (TIME_MODEL.md): worker i's step costs
// c_i = flops / (speed_i * G); the reducer's combine costs m * n / G; a
// message takes the link's latency. Blocking algorithms (sync_sgd per step,
// local_sgd per round of tau steps) wait for their own round's average; the
// overlapped ones (overlap_local_sgd, easgd, cocod_sgd) send at the boundary
// and wait there only for the previous round's.
std::map<std::pair<int64_t, int>, Expected> HandSchedule(bool overlapped, int steps_per_round,
                                                         int rounds,
                                                         const std::vector<double>& speeds) {
  const size_t m = speeds.size();
  const double combine = static_cast<double>(m) * kParams / (kGflops * 1e9);
  const double exchange = 2 * kLatency + combine;  // contribution out, combine, result back
  std::map<std::pair<int64_t, int>, Expected> out;
  std::vector<double> left(m, 0.0);  // E_i(k-1): when worker i left its last boundary
  double previous_average = -1;      // A(k-1): when round k-1's average reached the workers
  for (int k = 1; k <= rounds; ++k) {
    std::vector<double> done(m), leave(m);
    for (size_t i = 0; i < m; ++i) {
      const double c = kStepFlops / (kGflops * 1e9 * speeds[i]);
      done[i] = left[i] + steps_per_round * c;
      leave[i] = overlapped ? std::max(done[i], previous_average) : done[i];
      out[{k, static_cast<int>(i)}] = {left[i], 0, steps_per_round * c, 0};
    }
    const double average = *std::max_element(leave.begin(), leave.end()) + exchange;
    for (size_t i = 0; i < m; ++i) {
      Expected& e = out[{k, static_cast<int>(i)}];
      e.end = overlapped ? leave[i] : average;
      e.blocked = e.end - done[i];
      left[i] = e.end;
    }
    previous_average = average;
  }
  return out;
}

void ExpectSchedule(const std::string& algorithm, const std::vector<double>& speeds) {
  SCOPED_TRACE(algorithm);
  const ExperimentSpec spec = ScheduleSpec(algorithm, speeds);
  const bool sync = algorithm == "sync_sgd";
  const bool overlapped = !sync && algorithm != "local_sgd";
  const int steps_per_round = sync ? 1 : spec.algorithm.tau;
  const int rounds = static_cast<int>(spec.training.steps) / steps_per_round;
  const auto expected = HandSchedule(overlapped, steps_per_round, rounds, speeds);
  const Logged run = RunLogged(spec);
  ASSERT_EQ(run.outcome.summary.status, "completed") << run.outcome.summary.failure;
  ASSERT_EQ(run.rounds.size(), expected.size());
  // Virtual clocks count whole nanoseconds.
  constexpr double kTick = 2e-9;
  for (const auto& [key, e] : expected) {
    SCOPED_TRACE("round " + std::to_string(key.first) + " worker " + std::to_string(key.second));
    const RoundRecord& r = run.rounds.at(key);
    EXPECT_NEAR(r.start_s, e.start, kTick);
    EXPECT_NEAR(r.end_s, e.end, kTick);
    EXPECT_NEAR(r.compute_s, e.compute, kTick);
    EXPECT_NEAR(r.blocked_s, e.blocked, kTick);
  }
}

const std::vector<std::string> kAlgorithms = {"sync_sgd", "local_sgd", "overlap_local_sgd", "easgd",
                                              "cocod_sgd"};

TEST(VirtualSchedule, MatchesTheHandComputedScheduleWithEqualDevices) {
  for (const std::string& a : kAlgorithms) ExpectSchedule(a, {1.0, 1.0});
}

TEST(VirtualSchedule, MatchesTheHandComputedScheduleWithASlowDevice) {
  // Worker 2 runs at half speed: the others wait for it, by the same rules.
  for (const std::string& a : kAlgorithms) ExpectSchedule(a, {1.0, 1.0, 0.5});
}

TEST(VirtualSchedule, NoDelayAndEqualSpeedsBlockOnlyForTheCombine) {
  // With no link delay the only wait left is the reducer's combine (m * n
  // FLOPs), which an overlapped algorithm hides behind its tau steps.
  for (const std::string& a : kAlgorithms) {
    SCOPED_TRACE(a);
    ExperimentSpec spec = ScheduleSpec(a, {1.0, 1.0, 1.0});
    spec.injection.links.clear();
    const Logged run = RunLogged(spec);
    ASSERT_EQ(run.outcome.summary.status, "completed") << run.outcome.summary.failure;
    const double combine = 3 * kParams / (kGflops * 1e9);
    for (const auto& [key, r] : run.rounds) {
      const bool overlapped = a != "sync_sgd" && a != "local_sgd";
      EXPECT_NEAR(r.blocked_s, overlapped ? 0.0 : combine, 2e-9)
          << "round " << key.first << " worker " << key.second;
    }
    if (a != "sync_sgd" && a != "local_sgd") {
      EXPECT_EQ(run.outcome.summary.blocked_share, 0.0);
    }
  }
}

TEST(VirtualSchedule, ATrainerThatNeverWaitsHasTheSumOfItsStepCosts) {
  // Overlap-Local-SGD with no delay never waits: its clock at the end is
  // exactly its steps' costs, and compute time is never 0.
  ExperimentSpec spec = ScheduleSpec("overlap_local_sgd", {1.0, 0.5});
  spec.injection.links.clear();
  const Logged run = RunLogged(spec);
  ASSERT_EQ(run.outcome.summary.status, "completed") << run.outcome.summary.failure;
  ASSERT_EQ(run.outcome.summary.workers.size(), 2u);
  const WorkerSummary& slow = run.outcome.summary.workers[1];
  const double sum = 6 * kStepFlops / (kGflops * 1e9 * 0.5);
  EXPECT_NEAR(slow.compute_s, sum, 1e-8);
  EXPECT_NEAR(slow.wall_s, sum, 1e-8);
  EXPECT_EQ(slow.blocked_s, 0.0);
  for (const WorkerSummary& w : run.outcome.summary.workers) EXPECT_GT(w.compute_s, 0.0);
}

TEST(VirtualTime, ModelledComputeGivesTheSameTimingsInEveryRun) {
  // Stragglers and jittered links included: the draws come from the seed.
  ExperimentSpec spec = ScheduleSpec("overlap_local_sgd", {1.0, 0.8, 0.6});
  spec.training.steps = 12;
  spec.injection.links[0].jitter.dist = DelayKind::kExponential;
  spec.injection.links[0].jitter.mean_ms = 5;
  StragglerSpec pauses;
  pauses.pause = PauseKind::kPareto;
  pauses.pause_mean_ms = 3;
  spec.injection.stragglers.push_back(pauses);
  const Logged a = RunLogged(spec);
  const Logged b = RunLogged(spec);
  ASSERT_EQ(a.outcome.summary.status, "completed") << a.outcome.summary.failure;
  ASSERT_EQ(a.rounds.size(), b.rounds.size());
  for (const auto& [key, r] : a.rounds) {
    const RoundRecord& s = b.rounds.at(key);
    EXPECT_EQ(r.start_s, s.start_s);
    EXPECT_EQ(r.end_s, s.end_s);
    EXPECT_EQ(r.compute_s, s.compute_s);
    EXPECT_EQ(r.blocked_s, s.blocked_s);
    EXPECT_EQ(r.injected_delay_s, s.injected_delay_s);
  }
  EXPECT_EQ(a.outcome.summary.wall_s, b.outcome.summary.wall_s);
  EXPECT_EQ(a.outcome.summary.blocked_share, b.outcome.summary.blocked_share);
  EXPECT_GT(a.outcome.summary.blocked_share, 0.0);  // the jitter and pauses did act
}

TEST(VirtualTime, EveryAlgorithmTrainsTheSameModelsOnBothClocks) {
  for (const std::string& a : kAlgorithms) {
    SCOPED_TRACE(a);
    ExperimentSpec spec = TinySpec(a, 3);
    spec.algorithm.alpha = a == "easgd" ? 0.3 : 0.6;
    LinkSpec link;  // a slow link: arrival order differs between the clocks
    link.from = "trainer:1";
    link.latency_ms = 3;
    spec.injection.links.push_back(link);
    spec.time.mode = TimeMode::kWall;
    const RunOutcome wall = RunSpec(spec, true);
    spec.time.mode = TimeMode::kVirtual;
    const RunOutcome simulated = RunSpec(spec, true);
    ASSERT_EQ(wall.summary.status, "completed") << wall.summary.failure;
    ASSERT_EQ(simulated.summary.status, "completed") << simulated.summary.failure;
    ASSERT_EQ(wall.final_models.size(), 3u);
    EXPECT_EQ(wall.final_models, simulated.final_models);
    ASSERT_EQ(wall.evals.size(), simulated.evals.size());
    for (size_t i = 0; i < wall.evals.size(); ++i) {
      EXPECT_EQ(wall.evals[i].test_loss, simulated.evals[i].test_loss);
    }
  }
}

}  // namespace
}  // namespace olsgd::actors
