// The real `olsgd` binary end to end, with the real RunExperiment: a tiny
// synthetic run and every output file, --set reaching the run, Ctrl-C, and
// exit codes. Built only once olsgd_actors exists.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
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
  ExpectCompleteCsv(out + "/metrics.csv", MetricsColumns("virtual"), 2);
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
  EXPECT_GT(j["host_s"].get<double>(), 0.0);
  EXPECT_TRUE(j["time_mode"] == "virtual" || j["time_mode"] == "wall") << j["time_mode"];
  // The summary fields the issue lists, from the real run.
  for (const auto& w : j["workers"]) {
    EXPECT_GE(w["blocked_share"].get<double>(), 0.0);
    EXPECT_LE(w["blocked_share"].get<double>(), 1.0);
    EXPECT_GT(w["bytes_out"].get<uint64_t>(), 0u);
  }
  EXPECT_TRUE(j["blocked_share"].is_number());
  EXPECT_GT(j["bytes_moved"].get<uint64_t>(), 0u);
  EXPECT_TRUE(j.contains("time_to_target_s"));  // a number, or null if never reached
  EXPECT_DOUBLE_EQ(j["target_accuracy"].get<double>(), 0.5);
  EXPECT_FALSE(j["git_revision"].get<std::string>().empty());
  EXPECT_FALSE(j["host"].get<std::string>().empty());
  EXPECT_EQ(j["config"]["algorithm"]["name"], "overlap_local_sgd");
  // A Chrome trace with the spans the issue names, on named tracks.
  const auto trace = nlohmann::json::parse(ReadFile(out + "/trace.json"));
  ASSERT_TRUE(trace["traceEvents"].is_array());
  std::set<std::string> categories, tracks;
  for (const auto& e : trace["traceEvents"]) {
    if (e.value("ph", "") == "X") categories.insert(e.value("cat", ""));
    if (e.value("name", "") == "thread_name") tracks.insert(e["args"]["name"].get<std::string>());
  }
  for (const char* c : {"compute", "send", "averaging"}) EXPECT_EQ(categories.count(c), 1u) << c;
  for (const char* t : {"trainer:0", "trainer:1", "reducer:0"}) EXPECT_EQ(tracks.count(t), 1u) << t;
}

// The overlap, as the trace shows it: with a 30 ms link between trainers and
// the reducer, Overlap-Local-SGD's trainer computes the next round's steps
// after it has sent round r's contribution and before the reducer averages
// round r (the contribution is still on the link). Sync SGD never does:
// it waits for every average.
TEST(Binary, TheTraceShowsComputationDuringTheAveraging) {
  const auto rounds_computed_during_averaging = [](const std::string& algorithm) {
    TempDir dir;
    const std::string config = dir / "slow_link.yaml";
    testing::WriteText(config, ReadFile(SourcePath("config/tests/tiny_synthetic.yaml")) +
                                   "injection:\n  links:\n    - from: \"trainer:*\"\n"
                                   "      to: \"reducer:*\"\n      latency_ms: 30\n");
    const Result r = RunOlsgd(dir, {"run", config, "--out", dir / "run", "--quiet", "--set",
                                    "algorithm.name=" + algorithm, "--set", "training.steps=16"});
    EXPECT_EQ(r.code, 0) << r.err;
    const auto trace = nlohmann::json::parse(ReadFile(dir / "run/trace.json"));
    int trainer0 = -1, reducer0 = -1;
    for (const auto& e : trace["traceEvents"]) {
      if (e.value("name", "") != "thread_name") continue;
      if (e["args"]["name"] == "trainer:0") trainer0 = e["tid"].get<int>();
      if (e["args"]["name"] == "reducer:0") reducer0 = e["tid"].get<int>();
    }
    std::map<int64_t, double> sent, averaged;  // round -> end of send, start of averaging
    std::vector<std::pair<double, double>> compute;
    for (const auto& e : trace["traceEvents"]) {
      if (e.value("ph", "") != "X") continue;
      const double ts = e["ts"].get<double>(), end = ts + e["dur"].get<double>();
      const int tid = e["tid"].get<int>();
      const std::string cat = e.value("cat", "");
      if (tid == trainer0 && cat == "compute") compute.emplace_back(ts, end);
      if (tid == trainer0 && cat == "send") sent[e["args"]["round"].get<int64_t>()] = end;
      if (tid == reducer0 && cat == "averaging") averaged[e["args"]["round"].get<int64_t>()] = ts;
    }
    int rounds = 0, compared = 0;
    for (const auto& [round, send_end] : sent) {
      if (averaged.count(round) == 0) continue;
      ++compared;
      for (const auto& [b, e] : compute) {
        if (b >= send_end && e <= averaged[round]) {
          ++rounds;
          break;
        }
      }
    }
    return std::make_pair(rounds, compared);
  };
  const auto [overlap, overlap_rounds] = rounds_computed_during_averaging("overlap_local_sgd");
  EXPECT_GE(overlap_rounds, 5);
  EXPECT_GE(overlap, 3) << "of " << overlap_rounds << " rounds";
  const auto [sync, sync_rounds] = rounds_computed_during_averaging("sync_sgd");
  EXPECT_GE(sync_rounds, 5);
  EXPECT_EQ(sync, 0) << "of " << sync_rounds << " rounds";
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
  ExpectCompleteCsv(out + "/metrics.csv", MetricsColumns("virtual"), 1);
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
