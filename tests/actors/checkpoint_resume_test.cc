// Checkpoints and resume on real runs (embedded cluster): a run resumed from
// a mid-run checkpoint ends with exactly the bits of the uninterrupted run,
// for every algorithm, and its history covers the whole run.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "actors/checkpoint/checkpoint_format.h"
#include "checkpoint_test_util.h"
#include "run_test_util.h"

namespace olsgd::actors {
namespace {

namespace fs = std::filesystem;
using test_util::KeepingObserver;
using test_util::RunWithCheckpoints;
using test_util::SameBits;
using test_util::TempFolder;
using test_util::TinySpec;

struct Case {
  const char* label;
  const char* algorithm;
  double beta;
  int shards;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

ExperimentSpec SpecFor(const Case& c) {
  ExperimentSpec spec = TinySpec(c.algorithm, 3);
  spec.algorithm.beta = c.beta;
  spec.algorithm.alpha = std::string(c.algorithm) == "easgd" ? 0.2 : 0.6;
  spec.algorithm.reducer_shards = c.shards;
  spec.training.steps = 16;  // 8 rounds at tau = 2, 16 for sync_sgd
  spec.cluster.checkpoint_every_rounds = 2;
  // A straggler rule with random pauses: its generator is part of the state.
  StragglerSpec s;
  s.worker = 1;
  s.pause = PauseKind::kBernoulli;
  s.pause_probability = 0.3;
  s.pause_ms = 0.2;
  spec.injection.stragglers = {s};
  return spec;
}

std::vector<std::string> RoundFolders(const std::string& root) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(root)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("round-", 0) == 0) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class CheckpointResumeTest : public ::testing::TestWithParam<Case> {};

TEST_P(CheckpointResumeTest, ResumedRunIsBitIdentical) {
  const Case c = GetParam();
  const ExperimentSpec spec = SpecFor(c);
  TempFolder dir;
  KeepingObserver full_obs;
  const auto t0 = std::chrono::steady_clock::now();
  const RunOutcome full = RunWithCheckpoints(spec, dir / "a", "", &full_obs);
  const auto t1 = std::chrono::steady_clock::now();
  ASSERT_EQ(full.summary.status, "completed") << full.summary.failure;
  ASSERT_GT(full.checkpoints.written, 0) << full.checkpoints.error;
  const std::vector<std::string> kept = RoundFolders(dir / "a");
  ASSERT_EQ(kept.size(), 2u) << "keeps the newest two";
  EXPECT_TRUE(fs::exists(dir / "a/latest"));

  // Resume from the older kept folder: a checkpoint mid-run.
  KeepingObserver resumed_obs;
  const RunOutcome resumed =
      RunWithCheckpoints(spec, dir / "b", dir / ("a/" + kept.front()), &resumed_obs);
  const auto t2 = std::chrono::steady_clock::now();
  ASSERT_EQ(resumed.summary.status, "completed") << resumed.summary.failure;
  EXPECT_TRUE(SameBits(full.final_models, resumed.final_models)) << c.label;

  // The same evaluations (earlier ones from the checkpoint's history, later
  // ones of bit-identical models) and every round record exactly once.
  ASSERT_EQ(resumed.evals.size(), full.evals.size());
  for (size_t i = 0; i < full.evals.size(); ++i) {
    EXPECT_EQ(resumed.evals[i].round, full.evals[i].round);
    EXPECT_EQ(resumed.evals[i].test_loss, full.evals[i].test_loss) << "eval " << i;
    EXPECT_EQ(resumed.evals[i].iteration, full.evals[i].iteration);
  }
  auto a = full_obs.rounds(), b = resumed_obs.rounds();
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  // Proof that it resumed rather than started afresh (which would give the
  // same models): the early rounds' records are the first run's own, timings
  // included, and the resumed run's compute time covers only its own rounds.
  const auto first_round = [](KeepingObserver& o) {
    for (const RoundRecord& r : o.records()) {
      if (r.worker == 0 && r.round == 1) return r;
    }
    return RoundRecord{};
  };
  const RoundRecord full_first = first_round(full_obs), resumed_first = first_round(resumed_obs);
  EXPECT_GT(full_first.compute_s, 0.0);
  EXPECT_EQ(resumed_first.compute_s, full_first.compute_s);
  EXPECT_EQ(resumed_first.start_s, full_first.start_s);
  EXPECT_EQ(resumed.summary.rounds, full.summary.rounds);
  EXPECT_EQ(resumed.summary.iterations, full.summary.iterations);
  std::printf("[ %s ] full run %.2f s, resumed from %s %.2f s, checkpoint %llu bytes in %.1f ms\n",
              c.label, std::chrono::duration<double>(t1 - t0).count(), kept.front().c_str(),
              std::chrono::duration<double>(t2 - t1).count(),
              static_cast<unsigned long long>(full.checkpoints.last_bytes),
              full.checkpoints.last_write_s * 1e3);
}

INSTANTIATE_TEST_SUITE_P(
    Algorithms, CheckpointResumeTest,
    ::testing::Values(Case{"sync_sgd", "sync_sgd", 0.0, 1},
                      Case{"sync_sgd_2shards", "sync_sgd", 0.0, 2},
                      Case{"local_sgd", "local_sgd", 0.0, 1},
                      Case{"local_sgd_slowmo", "local_sgd", 0.5, 1},
                      Case{"local_sgd_slowmo_2shards", "local_sgd", 0.5, 2},
                      Case{"overlap", "overlap_local_sgd", 0.0, 1},
                      Case{"overlap_momentum", "overlap_local_sgd", 0.5, 1},
                      Case{"overlap_momentum_2shards", "overlap_local_sgd", 0.5, 2},
                      Case{"easgd", "easgd", 0.0, 1}, Case{"cocod", "cocod_sgd", 0.0, 2}),
    [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.label); });

// Taking checkpoints does not change the numbers.
TEST(CheckpointRunTest, CheckpointsDoNotChangeTheRun) {
  ExperimentSpec spec = SpecFor({"overlap", "overlap_local_sgd", 0.5, 2});
  TempFolder dir;
  const RunOutcome with = RunWithCheckpoints(spec, dir / "c", "");
  spec.cluster.checkpoint_every_rounds = 0;
  const RunOutcome without = RunWithCheckpoints(spec, "", "");
  EXPECT_TRUE(SameBits(with.final_models, without.final_models));
  EXPECT_EQ(without.checkpoints.latest_round, 0);
}

// Without a folder the store keeps the latest checkpoint in memory only.
TEST(CheckpointRunTest, MemoryOnlyStoreWritesNothing) {
  const ExperimentSpec spec = SpecFor({"local_sgd", "local_sgd", 0.5, 2});
  const RunOutcome out = RunWithCheckpoints(spec, "", "");
  ASSERT_EQ(out.summary.status, "completed");
  EXPECT_EQ(out.checkpoints.latest_round, 6);  // 8 rounds, every 2, none at the last
  EXPECT_EQ(out.checkpoints.written, 0);
}

// A run stopped by the stop flag (Ctrl-C) continues from its last checkpoint
// to the same bits as a run never stopped.
TEST(CheckpointRunTest, StoppedRunResumesToTheSameModels) {
  for (const char* algorithm : {"overlap_local_sgd", "local_sgd"}) {
    ExperimentSpec spec = SpecFor({"stop", algorithm, 0.5, 2});
    spec.training.steps = 48;  // 24 rounds
    spec.cluster.checkpoint_every_rounds = 1;
    // Every step takes at least 20 ms, so the stop (polled every 50 ms) lands
    // well before the end even on a loaded machine.
    StragglerSpec slow;
    slow.pause = PauseKind::kBernoulli;
    slow.pause_probability = 1.0;
    slow.pause_ms = 20;
    spec.injection.stragglers.push_back(slow);
    TempFolder dir;
    const RunOutcome full = RunWithCheckpoints(spec, "", "");
    ASSERT_EQ(full.summary.status, "completed");

    std::atomic<bool> stop{false};
    KeepingObserver obs;
    obs.StopAt(3, &stop);
    const RunOutcome stopped = RunWithCheckpoints(spec, dir / "ck", "", &obs, &stop);
    ASSERT_EQ(stopped.summary.status, "interrupted") << algorithm;
    ASSERT_GE(stopped.checkpoints.latest_round, 1) << algorithm;
    EXPECT_FALSE(SameBits(full.final_models, stopped.final_models)) << algorithm;

    const RunOutcome resumed = RunWithCheckpoints(spec, dir / "ck", dir / "ck");
    ASSERT_EQ(resumed.summary.status, "completed") << resumed.summary.failure;
    EXPECT_TRUE(SameBits(full.final_models, resumed.final_models)) << algorithm;
    EXPECT_EQ(resumed.evals.size(), full.evals.size()) << algorithm;
    std::printf("[ %s ] stopped after round %lld of 24, resumed from round %lld\n", algorithm,
                static_cast<long long>(stopped.summary.rounds),
                static_cast<long long>(stopped.checkpoints.latest_round));
  }
}

}  // namespace
}  // namespace olsgd::actors
