// The real `olsgd` binary end to end, with the real RunExperiment: a tiny
// synthetic run and every output file, --set reaching the run, Ctrl-C, and
// exit codes. Built only once olsgd_actors exists.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli/output_csv.h"
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

int Wait(pid_t pid, std::chrono::seconds limit) { return testing::WaitProcess(pid, limit); }

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result RunOlsgd(const TempDir& dir, const std::vector<std::string>& args) {
  const int code =
      Wait(Start(args, dir / "stdout.txt", dir / "stderr.txt"), std::chrono::seconds(300));
  return {code, ReadFile(dir / "stdout.txt"), ReadFile(dir / "stderr.txt")};
}

void ExpectCompleteCsv(const std::string& path, const CsvRow& columns, size_t min_rows) {
  const auto lines = ReadLines(path);
  ASSERT_GE(lines.size(), 1 + min_rows) << path;
  EXPECT_EQ(SplitCsv(lines[0]), columns) << path;
  for (const auto& line : lines) EXPECT_EQ(SplitCsv(line).size(), columns.size()) << path;
}

TEST(Binary, TinyRunWritesEveryOutput) {
  TempDir dir;
  const std::string out = dir / "run";
  const Result r =
      RunOlsgd(dir, {"run", SourcePath("config/tests/tiny_synthetic.yaml"), "--out", out});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"config.yaml", "metrics.csv", "rounds.csv", "summary.json", "trace.json",
                        "plot.gp", "accuracy.png", "loss.png"}) {
    EXPECT_TRUE(fs::exists(out + "/" + f)) << f;
  }
  ExpectCompleteCsv(out + "/metrics.csv", MetricsColumns(), 2);
  ExpectCompleteCsv(out + "/rounds.csv", RoundsColumns(), 2);
  std::set<std::string> workers;
  for (const auto& line : ReadLines(out + "/metrics.csv")) workers.insert(SplitCsv(line)[4]);
  EXPECT_EQ(workers, (std::set<std::string>{"worker", "0", "1"}));
  const auto j = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(j["status"], "completed");
  ASSERT_TRUE(j["final_accuracy"].is_number());
  EXPECT_GE(j["final_accuracy"].get<double>(), 0.0);
  EXPECT_LE(j["final_accuracy"].get<double>(), 1.0);
  EXPECT_EQ(j["workers"].size(), 2u);
  EXPECT_GT(j["wall_s"].get<double>(), 0.0);
  EXPECT_TRUE(nlohmann::json::parse(ReadFile(out + "/trace.json")).is_object());
}

TEST(Binary, SetOverridesReachTheRun) {
  TempDir dir;
  const std::string out = dir / "run";
  const Result r =
      RunOlsgd(dir, {"run", SourcePath("config/tests/tiny_synthetic.yaml"), "--out", out, "--set",
                     "cluster.workers=3", "--set", "algorithm.tau=4", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::set<std::string> workers;
  int64_t max_round = 0;
  for (const auto& line : ReadLines(out + "/rounds.csv")) {
    const auto f = SplitCsv(line);
    if (f[0] == "round") continue;
    workers.insert(f[1]);
    max_round = std::max<int64_t>(max_round, std::stoll(f[0]));
  }
  EXPECT_EQ(workers, (std::set<std::string>{"0", "1", "2"}));
  EXPECT_EQ(max_round, 40 / 4);  // tiny: 40 steps
  const auto j = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(j["config"]["cluster"]["workers"], 3);
}

TEST(Binary, SigintLeavesAValidInterruptedSummary) {
  TempDir dir;
  const std::string out = dir / "run";
  const pid_t pid = Start({"run", SourcePath("config/tests/long_synthetic.yaml"), "--out", out},
                          dir / "stdout.txt", dir / "stderr.txt");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(out + "/metrics.csv") && ReadLines(out + "/metrics.csv").size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(kill(pid, SIGINT), 0);
  EXPECT_EQ(Wait(pid, std::chrono::seconds(120)), 130) << ReadFile(dir / "stderr.txt");
  const auto j = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(j["status"], "interrupted");
  EXPECT_TRUE(j["final_accuracy"].is_number());
  ExpectCompleteCsv(out + "/metrics.csv", MetricsColumns(), 1);
  ExpectCompleteCsv(out + "/rounds.csv", RoundsColumns(), 1);
}

TEST(Binary, ExitCodes) {
  TempDir dir;
  const std::string tiny = SourcePath("config/tests/tiny_synthetic.yaml");
  EXPECT_EQ(RunOlsgd(dir, {"validate", tiny}).code, 0);
  EXPECT_EQ(RunOlsgd(dir, {"run", tiny, "--help"}).code, 0);
  EXPECT_EQ(RunOlsgd(dir, {"bogus"}).code, 2);
  const std::string broken = SourcePath("tests/cli/broken/easgd_alpha_out_of_range.yaml");
  const Result bad = RunOlsgd(dir, {"run", broken, "--out", dir / "never"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "error: " + broken + ":5: algorithm.alpha must be in (0, 1), got 1.5\n");
  EXPECT_FALSE(fs::exists(dir / "never"));
  fs::create_directories(dir / "old");
  testing::WriteText(dir / "old/keep.txt", "x");
  EXPECT_EQ(RunOlsgd(dir, {"run", tiny, "--out", dir / "old"}).code, 2);
  EXPECT_EQ(ReadFile(dir / "old/keep.txt"), "x");
  EXPECT_EQ(RunOlsgd(dir, {"run", tiny, "--set", "data.dataset=fashion_mnist", "--set",
                           "data.path=/nonexistent", "--out", dir / "nodata"})
                .code,
            2);
}

TEST(Binary, EveryBrokenConfigExits2WithItsLine) {
  TempDir dir;
  int count = 0;
  for (const auto& entry : fs::directory_iterator(SourcePath("tests/cli/broken"))) {
    const std::string path = entry.path().string();
    std::string expected = ReadLines(path).at(0).substr(std::string("# expect: ").size());
    expected.replace(expected.find("{file}"), 6, path);
    const Result r = RunOlsgd(dir, {"validate", path});
    EXPECT_EQ(r.code, 2) << path;
    EXPECT_EQ(r.err, expected + "\n") << path;
    ++count;
  }
  EXPECT_GE(count, 15);
}

}  // namespace
}  // namespace olsgd::cli
