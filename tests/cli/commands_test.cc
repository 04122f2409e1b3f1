// The commands, driven through Main() with a scripted run function: argument
// parsing, exit codes, the run folder and every output file.
#include "cli/commands.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/output_csv.h"
#include "cli/output_files.h"
#include "tests/cli/fake_run.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

namespace fs = std::filesystem;
using testing::FakeRun;
using testing::ReadLines;
using testing::SourcePath;
using testing::SplitCsv;
using testing::TempDir;

const std::string kTiny = SourcePath("config/tests/tiny_synthetic.yaml");

class Commands : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), "olsgd");
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    CommandEnv env;
    env.run = fake_.Function();
    env.out = &out_;
    env.err = &err_;
    env.stop = &stop_;
    env.runs_root = runs_.path();
    return Main(static_cast<int>(argv.size()), argv.data(), env);
  }

  FakeRun fake_;
  std::atomic<bool> stop_{false};
  std::ostringstream out_, err_;
  TempDir runs_;
};

TEST_F(Commands, RunWritesEveryOutputFile) {
  const std::string dir = runs_ / "out";
  ASSERT_EQ(Run({"run", kTiny, "--out", dir}), kExitOk) << err_.str();
  EXPECT_EQ(err_.str(), "");
  for (const char* f : {"config.yaml", "metrics.csv", "rounds.csv", "summary.json", "trace.json",
                        "plot.gp", "accuracy.png", "loss.png"}) {
    EXPECT_TRUE(fs::exists(dir + "/" + f)) << f;
  }
  // tiny: 40 steps / tau 2 = 20 rounds, 2 workers, an evaluation every 5 rounds.
  const auto metrics = ReadLines(dir + "/metrics.csv");
  ASSERT_EQ(metrics.size(), 1u + 4 * 2);
  EXPECT_EQ(SplitCsv(metrics[0]), MetricsColumns("virtual"));
  for (const auto& line : metrics)
    EXPECT_EQ(SplitCsv(line).size(), MetricsColumns("virtual").size());
  const auto rounds = ReadLines(dir + "/rounds.csv");
  ASSERT_EQ(rounds.size(), 1u + 20 * 2);
  EXPECT_EQ(SplitCsv(rounds[0]), RoundsColumns());
  const auto j = nlohmann::json::parse(ReadFile(dir + "/summary.json"));
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["name"], "tiny");
  EXPECT_DOUBLE_EQ(j["final_accuracy"].get<double>(), 0.99);
  EXPECT_FALSE(j["time_to_target_s"].is_null());
  EXPECT_EQ(j["workers"].size(), 2u);
  EXPECT_EQ(j["config"]["cluster"]["workers"], 2);
  EXPECT_FALSE(j["git_revision"].get<std::string>().empty());
  EXPECT_FALSE(j["host"].get<std::string>().empty());
  ASSERT_EQ(fake_.seen_options.size(), 1u);
  EXPECT_EQ(fake_.seen_options[0].trace_path, dir + "/trace.json");
  EXPECT_EQ(fake_.seen_options[0].stop, &stop_);
  EXPECT_NE(out_.str().find("[tiny] completed"), std::string::npos) << out_.str();
}

TEST_F(Commands, SetOverridesReachTheRun) {
  ASSERT_EQ(Run({"run", kTiny, "--out", runs_ / "o", "--set", "algorithm.tau=4", "--set",
                 "training.lr=0.02", "-q"}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(fake_.specs.size(), 1u);
  EXPECT_EQ(fake_.specs[0].algorithm.tau, 4);
  EXPECT_DOUBLE_EQ(fake_.specs[0].training.lr, 0.02);
  EXPECT_EQ(fake_.specs[0].output.dir, runs_ / "o");
  EXPECT_EQ(out_.str(), "");  // --quiet
  const auto j = nlohmann::json::parse(ReadFile(runs_ / "o/summary.json"));
  EXPECT_EQ(j["config"]["algorithm"]["tau"], 4);
  EXPECT_EQ(j["overrides"][1], "training.lr=0.02");
}

TEST_F(Commands, FlagsMayComeBeforeTheConfig) {
  ASSERT_EQ(Run({"run", "--set", "algorithm.tau=5", "-q", "--out", runs_ / "o", kTiny}), kExitOk)
      << err_.str();
  ASSERT_EQ(fake_.specs.size(), 1u);
  EXPECT_EQ(fake_.specs[0].algorithm.tau, 5);
}

TEST_F(Commands, CompareThroughTheCommandLine) {
  ASSERT_EQ(Run({"compare", kTiny, "--algorithms", "sync_sgd,local_sgd", "--out", runs_ / "c",
                 "--set", "local_sgd:algorithm.tau=4"}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(fake_.specs.size(), 2u);
  EXPECT_EQ(fake_.specs[0].algorithm.name, "sync_sgd");
  EXPECT_EQ(fake_.specs[1].algorithm.name, "local_sgd");
  EXPECT_EQ(fake_.specs[0].algorithm.tau, 2);
  EXPECT_EQ(fake_.specs[1].algorithm.tau, 4);
  EXPECT_NE(out_.str().find("| local_sgd | completed |"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"compare", kTiny}), kExitUsage);  // --algorithms is required
}

TEST_F(Commands, DefaultFolderIsUnderRunsWithNameAndTimestamp) {
  ASSERT_EQ(Run({"run", kTiny, "-q"}), kExitOk) << err_.str();
  ASSERT_EQ(fake_.specs.size(), 1u);
  const std::string dir = fake_.specs[0].output.dir;
  EXPECT_EQ(dir.rfind(runs_ / "tiny-", 0), 0u) << dir;
  EXPECT_TRUE(fs::exists(dir + "/summary.json"));
}

TEST_F(Commands, ConfigErrorExits2BeforeAnythingStarts) {
  EXPECT_EQ(Run({"run", kTiny, "--out", runs_ / "o", "--set", "algorithm.tau=0"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --set algorithm.tau=0: algorithm.tau must be at least 1, got 0\n");
  EXPECT_TRUE(fake_.specs.empty());
  EXPECT_FALSE(fs::exists(runs_ / "o"));
}

TEST_F(Commands, NeverOverwritesEarlierResults) {
  fs::create_directories(runs_ / "old");
  testing::WriteText(runs_ / "old/summary.json", "{\"precious\": true}");
  EXPECT_EQ(Run({"run", kTiny, "--out", runs_ / "old"}), kExitUsage);
  EXPECT_NE(err_.str().find("already holds results; refusing to overwrite"), std::string::npos);
  EXPECT_EQ(ReadFile(runs_ / "old/summary.json"), "{\"precious\": true}");
  EXPECT_TRUE(fake_.specs.empty());
  fs::create_directories(runs_ / "empty");
  EXPECT_EQ(Run({"run", kTiny, "--out", runs_ / "empty", "-q"}), kExitOk);
}

TEST_F(Commands, RunFailureExits1AndSaysFailed) {
  fake_.throw_message = "data.path: bad magic in train-images";
  EXPECT_EQ(Run({"run", kTiny, "--out", runs_ / "f"}), kExitRunFailure);
  EXPECT_NE(err_.str().find("failed: data.path: bad magic in train-images"), std::string::npos)
      << err_.str();
  const auto j = nlohmann::json::parse(ReadFile(runs_ / "f/summary.json"));
  EXPECT_EQ(j["status"], "failed");
  EXPECT_EQ(j["failure"], "data.path: bad magic in train-images");
}

TEST_F(Commands, InterruptLeavesValidOutputs) {
  fake_.set_stop_after_rounds = 7;
  fake_.stop_to_set = &stop_;
  EXPECT_EQ(Run({"run", kTiny, "--out", runs_ / "i"}), kExitInterrupted);
  const auto j = nlohmann::json::parse(ReadFile(runs_ / "i/summary.json"));
  EXPECT_EQ(j["status"], "interrupted");
  EXPECT_EQ(j["rounds"], 7);
  const auto metrics = ReadLines(runs_ / "i/metrics.csv");
  EXPECT_EQ(metrics.size(), 1u + 1 * 2);  // the evaluation at round 5
  for (const auto& line : metrics)
    EXPECT_EQ(SplitCsv(line).size(), MetricsColumns("virtual").size());
}

TEST_F(Commands, ValidatePrintsTheResolvedConfig) {
  ASSERT_EQ(Run({"validate", kTiny, "--set", "cluster.workers=3"}), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("workers: 3\n"), std::string::npos);
  EXPECT_NE(out_.str().find("weight_decay: 0.0001\n"), std::string::npos);  // a default
  EXPECT_TRUE(fake_.specs.empty());
}

TEST_F(Commands, UsageErrorsAndHelp) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(Run({"frobnicate"}), kExitUsage);
  EXPECT_EQ(Run({"run"}), kExitUsage);
  EXPECT_EQ(Run({"run", kTiny, "-q", "-v"}), kExitUsage);
  EXPECT_EQ(Run({"run", "--help"}), kExitOk);
  EXPECT_NE(out_.str().find("Examples:"), std::string::npos);
  for (const char* sub : {"validate", "compare", "head", "worker", "keygen"}) {
    EXPECT_EQ(Run({sub, "--help"}), kExitOk) << sub;
    EXPECT_NE(out_.str().find("Examples:"), std::string::npos) << sub;
  }
}

// Bad multi-host starts end before anything runs (the real runs are in
// tests/cli/cluster_binary_test.cc and tests/actors/cluster_run_test.cc).
TEST_F(Commands, MultiHostCommandsRefuseBadStartsWithUsageErrors) {
  EXPECT_EQ(Run({"head", "--config", kTiny, "--listen", "tcp://0.0.0.0:5555"}), kExitUsage);
  EXPECT_NE(err_.str().find("cluster.key_dir"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"head", "--config", kTiny, "--listen", "0.0.0.0:5555", "--set",
                 "cluster.insecure=true"}),
            kExitUsage);
  EXPECT_EQ(Run({"head", "--config", kTiny, "--listen", "tcp://0.0.0.0:5555", "--set",
                 "algorithm.tau=0"}),
            kExitUsage);
  EXPECT_EQ(Run({"worker", "--head", "tcp://10.0.0.1:5555", "--slots", "2"}), kExitUsage);
  EXPECT_NE(err_.str().find("--key-dir"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"worker", "--head", "tcp://10.0.0.1:5555", "--insecure", "--slots", "0"}),
            kExitUsage);
  EXPECT_EQ(Run({"worker", "--head", "10.0.0.1:5555"}), kExitUsage);
  EXPECT_EQ(Run({"worker"}), kExitUsage);
  EXPECT_EQ(Run({"keygen", "--out", runs_ / "keys"}), kExitOk);
  EXPECT_EQ(Run({"keygen", "--out", runs_ / "keys"}), kExitRunFailure);  // never overwrites keys
  EXPECT_EQ(Run({"run", kTiny, "--resume", runs_ / "x"}), kExitRunFailure);
  EXPECT_TRUE(fake_.specs.empty());
}

}  // namespace
}  // namespace olsgd::cli
