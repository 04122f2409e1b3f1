// olsgd compare with a scripted run: one folder per algorithm, the tables,
// per-algorithm overrides, and every config checked before the first run.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/commands.h"
#include "cli/output_files.h"
#include "tests/cli/fake_run.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

namespace fs = std::filesystem;
using testing::FakeRun;
using testing::SourcePath;
using testing::TempDir;

class Compare : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args) {
    CompareArgs c;
    c.config = SourcePath("config/tests/tiny_synthetic.yaml");
    c.out = dir_ / "cmp";
    c.verbosity = Verbosity::kQuiet;
    for (size_t i = 0; i < args.size(); i += 2) {
      if (args[i] == "--algorithms") {
        std::istringstream in(args[i + 1]);
        for (std::string a; std::getline(in, a, ',');) c.algorithms.push_back(a);
      } else if (args[i] == "--set") {
        c.overrides.push_back(args[i + 1]);
      }
    }
    CommandEnv env;
    env.run = fake_.Function();
    env.out = &out_;
    env.err = &err_;
    env.stop = &stop_;
    return CompareCommand(c, env);
  }

  FakeRun fake_;
  std::atomic<bool> stop_{false};
  std::ostringstream out_, err_;
  TempDir dir_;
};

TEST_F(Compare, RunsEachAlgorithmIntoItsOwnFolder) {
  ASSERT_EQ(Run({"--algorithms", "sync_sgd,overlap_local_sgd,easgd", "--set",
                 "easgd:algorithm.alpha=0.2", "--set", "training.steps=20"}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(fake_.specs.size(), 3u);
  EXPECT_EQ(fake_.specs[0].algorithm.name, "sync_sgd");
  EXPECT_EQ(fake_.specs[2].algorithm.name, "easgd");
  EXPECT_DOUBLE_EQ(fake_.specs[2].algorithm.alpha, 0.2);
  EXPECT_DOUBLE_EQ(fake_.specs[1].algorithm.alpha, 0.6);  // ALG: applies to one run only
  for (const auto& s : fake_.specs) EXPECT_EQ(s.training.steps, 20);
  for (const char* a : {"sync_sgd", "overlap_local_sgd", "easgd"}) {
    EXPECT_TRUE(fs::exists(dir_ / "cmp/" + std::string(a) + "/summary.json")) << a;
  }
  const std::string csv = ReadFile(dir_ / "cmp/compare.csv");
  EXPECT_NE(csv.find("\nsync_sgd,completed,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\neasgd,completed,"), std::string::npos) << csv;
  const std::string md = ReadFile(dir_ / "cmp/compare.md");
  EXPECT_NE(md.find("| overlap_local_sgd | completed |"), std::string::npos) << md;
  EXPECT_TRUE(fs::exists(dir_ / "cmp/compare.gp"));
  EXPECT_TRUE(fs::exists(dir_ / "cmp/compare_accuracy.png"));
  EXPECT_TRUE(fs::exists(dir_ / "cmp/compare_loss.png"));
}

TEST_F(Compare, ChecksEveryConfigBeforeTheFirstRun) {
  // tiny has 2 workers: easgd needs alpha < 0.5, and the config has 0.6.
  EXPECT_EQ(Run({"--algorithms", "sync_sgd,easgd"}), kExitUsage);
  EXPECT_TRUE(fake_.specs.empty());
  EXPECT_NE(err_.str().find("algorithm.alpha must be below 1/m = 0.5 for easgd"), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("--set easgd:algorithm.alpha="), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "cmp"));
}

TEST_F(Compare, RejectsUnknownAndRepeatedAlgorithms) {
  EXPECT_EQ(Run({"--algorithms", "sync_sgd,local_sdg"}), kExitUsage);
  EXPECT_NE(err_.str().find("unknown algorithm 'local_sdg'; did you mean 'local_sgd'?"),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(Run({"--algorithms", "sync_sgd,sync_sgd"}), kExitUsage);
  EXPECT_TRUE(fake_.specs.empty());
}

TEST_F(Compare, InterruptStopsBeforeTheNextAlgorithm) {
  fake_.set_stop_after_rounds = 3;
  fake_.stop_to_set = &stop_;
  EXPECT_EQ(Run({"--algorithms", "local_sgd,overlap_local_sgd"}), kExitInterrupted);
  EXPECT_EQ(fake_.specs.size(), 1u);
  const std::string csv = ReadFile(dir_ / "cmp/compare.csv");
  EXPECT_NE(csv.find("\nlocal_sgd,interrupted,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace olsgd::cli
