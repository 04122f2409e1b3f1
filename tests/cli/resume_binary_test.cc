// `olsgd run --resume RUN_DIR` end to end with the real binary: a run folder
// with checkpoints continues to the same results and outputs that read as one
// run; a corrupt, mismatched or missing checkpoint exits 2 before anything
// starts and leaves the folder as it was; Ctrl-C names the resume command.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/output_files.h"
#include "tests/cli/process_util.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

namespace fs = std::filesystem;
using testing::ReadLines;
using testing::SourcePath;
using testing::SplitCsv;
using testing::TempDir;

pid_t Start(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  return testing::StartProcess(OLSGD_BINARY, args, out, err);
}

int Wait(pid_t pid) { return testing::WaitProcess(pid, std::chrono::seconds(300)); }

struct Result {
  int code;
  std::string err;
};

Result RunOlsgd(const TempDir& dir, const std::vector<std::string>& args) {
  const int code = Wait(Start(args, dir / "stdout.txt", dir / "stderr.txt"));
  return {code, ReadFile(dir / "stderr.txt")};
}

// One column of a CSV file, by its header name.
std::vector<std::string> Column(const std::string& path, const std::string& name) {
  const auto lines = ReadLines(path);
  std::vector<std::string> values;
  if (lines.empty()) return values;
  const auto header = SplitCsv(lines[0]);
  const size_t col = std::find(header.begin(), header.end(), name) - header.begin();
  for (size_t i = 1; i < lines.size(); ++i) values.push_back(SplitCsv(lines[i]).at(col));
  return values;
}

// A finished tiny run with checkpoints every 4 rounds (the last is round 16
// of 20), in `dir`/run.
std::string TinyRunWithCheckpoints(const TempDir& dir) {
  const std::string out = dir / "run";
  const Result r = RunOlsgd(dir, {"run", SourcePath("config/tests/tiny_synthetic.yaml"), "--out",
                                  out, "--set", "cluster.checkpoint_every_rounds=4", "--quiet"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/checkpoints/round-000016/manifest.json"));
  EXPECT_EQ(ReadFile(out + "/checkpoints/latest"), "round-000016\n");
  return out;
}

TEST(Resume, ContinuesARunFolderToTheSameResults) {
  TempDir dir;
  const std::string out = TinyRunWithCheckpoints(dir);
  const auto accuracy = Column(out + "/metrics.csv", "test_accuracy");
  const auto rounds = Column(out + "/rounds.csv", "round");
  const auto first = nlohmann::json::parse(ReadFile(out + "/summary.json"));

  const Result r = RunOlsgd(dir, {"run", "--resume", out, "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  // Whole history: evaluations before the checkpoint come from it, later
  // ones are of bit-identical models; every round record once.
  EXPECT_EQ(Column(out + "/metrics.csv", "test_accuracy"), accuracy);
  auto a = rounds, b = Column(out + "/rounds.csv", "round");
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  const auto j = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["final_accuracy"], first["final_accuracy"]);
  EXPECT_EQ(j["iterations"], first["iterations"]);
  EXPECT_TRUE(fs::exists(out + "/accuracy.png"));
}

TEST(Resume, CorruptCheckpointExits2AndChangesNothing) {
  TempDir dir;
  const std::string out = TinyRunWithCheckpoints(dir);
  const std::string part = out + "/checkpoints/round-000016/trainer-1.bin";
  std::string data = ReadFile(part);
  data[data.size() / 3] ^= 0x10;
  WriteFileAtomic(part, data);
  const std::string metrics = ReadFile(out + "/metrics.csv");
  const std::string summary = ReadFile(out + "/summary.json");

  const Result r = RunOlsgd(dir, {"run", "--resume", out});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("error: cannot resume " + out + ": " + part + ": checksum mismatch"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(ReadFile(out + "/metrics.csv"), metrics);
  EXPECT_EQ(ReadFile(out + "/summary.json"), summary);
}

TEST(Resume, MismatchedConfigExits2NamingTheKey) {
  TempDir dir;
  const std::string out = TinyRunWithCheckpoints(dir);
  const Result r = RunOlsgd(dir, {"run", "--resume", out, "--set", "algorithm.tau=4"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("checkpoint was made with algorithm.tau = 2, this config has 4"),
            std::string::npos)
      << r.err;
}

TEST(Resume, NoCheckpointOrNoRunFolderExits2) {
  TempDir dir;
  const std::string out = dir / "plain";
  ASSERT_EQ(RunOlsgd(dir, {"run", SourcePath("config/tests/tiny_synthetic.yaml"), "--out", out,
                           "--quiet"})
                .code,
            0);
  Result r = RunOlsgd(dir, {"run", "--resume", out});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(out + "/checkpoints: no such checkpoint folder"), std::string::npos)
      << r.err;
  r = RunOlsgd(dir, {"run", "--resume", dir / "nowhere"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("config.yaml not found"), std::string::npos) << r.err;
  r = RunOlsgd(dir, {"run", "--resume", out, "--out", dir / "other"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(RunOlsgd(dir, {"run"}).code, 2);
}

TEST(Resume, CtrlCNamesTheResumeCommand) {
  TempDir dir;
  const std::string out = dir / "run";
  const pid_t pid = Start({"run", SourcePath("config/tests/long_synthetic.yaml"), "--out", out,
                           "--set", "cluster.checkpoint_every_rounds=5"},
                          dir / "stdout.txt", dir / "stderr.txt");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline && !fs::exists(out + "/checkpoints/latest")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(kill(pid, SIGINT), 0);
  EXPECT_EQ(Wait(pid), 130);
  const std::string err = ReadFile(dir / "stderr.txt");
  EXPECT_NE(err.find("`olsgd run --resume " + out + "` continues from it"), std::string::npos)
      << err;
}

}  // namespace
}  // namespace olsgd::cli
