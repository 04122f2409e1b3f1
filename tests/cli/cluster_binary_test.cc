// `olsgd head` and `olsgd worker` as real processes on tcp loopback: a run
// across three processes matches the embedded run, a worker killed with
// SIGKILL is detected by heartbeats and handled by cluster.on_failure, and
// every bad start-up ends with a clear error instead of a hang.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli/output_files.h"
#include "tests/cli/process_util.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

using namespace std::chrono_literals;
using testing::ReadLines;
using testing::SourcePath;
using testing::SplitCsv;
using testing::TempDir;

pid_t Olsgd(const std::vector<std::string>& args, const std::string& log_prefix,
            const std::vector<std::string>& env = {}) {
  return testing::StartProcess(OLSGD_BINARY, args, log_prefix + ".out", log_prefix + ".err", env);
}

// Polls `file` until a line starts with `prefix`; returns the rest of it ("" on timeout).
std::string AwaitLine(const std::string& file, const std::string& prefix,
                      std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const std::string& line : ReadLines(file)) {
      if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    }
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "no line starting with '" << prefix << "' in " << file << ":\n"
                << ReadFile(file);
  return "";
}

// A head on a free loopback port; returns its pid and address.
std::pair<pid_t, std::string> StartHead(const TempDir& dir, const std::string& config,
                                        std::vector<std::string> sets) {
  std::vector<std::string> args = {
      "head",      "--config", SourcePath(config),     "--listen", "tcp://127.0.0.1:0", "--out",
      dir / "run", "--set",    "cluster.insecure=true"};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  const pid_t pid = Olsgd(args, dir / "head");
  std::string addr = AwaitLine(dir / "head.err", "head: listening on ", 60s);
  addr = addr.substr(0, addr.find(' '));
  return {pid, addr};
}

pid_t StartWorker(const TempDir& dir, const std::string& head, const std::string& name,
                  const std::vector<std::string>& env = {}) {
  return Olsgd({"worker", "--head", head, "--insecure", "--name", name, "--heartbeat", "0.2",
                "--failure-timeout", "1.5"},
               dir / name, env);
}

// test_loss and test_accuracy of every metrics.csv row, in order.
std::vector<std::string> Accuracies(const std::string& metrics) {
  std::vector<std::string> out;
  const auto lines = ReadLines(metrics);
  if (lines.empty()) return out;
  const auto header = SplitCsv(lines[0]);
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto row = SplitCsv(lines[i]);
    for (size_t c = 0; c < header.size() && c < row.size(); ++c) {
      if (header[c] == "worker" || header[c] == "iteration" || header[c] == "test_loss" ||
          header[c] == "test_accuracy" || header[c] == "anchor_test_accuracy") {
        out.push_back(header[c] + "=" + row[c]);
      }
    }
  }
  return out;
}

TEST(ClusterBinary, HeadAndTwoWorkerProcessesMatchTheEmbeddedRun) {
  TempDir dir;
  auto [head, addr] =
      StartHead(dir, "config/tests/tiny_synthetic.yaml", {"cluster.wait_for_workers=2"});
  ASSERT_FALSE(addr.empty());
  // Left alone, OpenBLAS would run 2 threads in every GEMM of these workers;
  // they must apply the run's cluster.blas_threads (1) instead.
  const pid_t w0 = StartWorker(dir, addr, "w0", {"OPENBLAS_NUM_THREADS=2"});
  const pid_t w1 = StartWorker(dir, addr, "w1", {"OPENBLAS_NUM_THREADS=2"});
  EXPECT_EQ(testing::WaitProcess(head, 300s), 0) << ReadFile(dir / "head.err");
  EXPECT_EQ(testing::WaitProcess(w0, 60s), 0) << ReadFile(dir / "w0.err");
  EXPECT_EQ(testing::WaitProcess(w1, 60s), 0) << ReadFile(dir / "w1.err");
  const std::string head_err = ReadFile(dir / "head.err");
  // Spread: one trainer on each worker (in the order they joined), the reducer on the head.
  const bool spread = head_err.find("trainer:0 -> w0, trainer:1 -> w1") != std::string::npos ||
                      head_err.find("trainer:0 -> w1, trainer:1 -> w0") != std::string::npos;
  EXPECT_TRUE(spread) << head_err;
  EXPECT_NE(head_err.find("reducer:0 -> head"), std::string::npos) << head_err;
  for (const char* f : {"config.yaml", "metrics.csv", "rounds.csv", "summary.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "run/" + f)) << f;
  }
  const auto summary = nlohmann::json::parse(ReadFile(dir / "run/summary.json"));
  EXPECT_EQ(summary["status"], "completed");
  EXPECT_EQ(summary["workers"].size(), 2u);
  for (const auto& w : summary["workers"]) EXPECT_EQ(w["blas_threads"], 1) << w.dump();
  // The head's trace.json has the workers' trainers too, each under its node's pid.
  const auto trace = nlohmann::json::parse(ReadFile(dir / "run/trace.json"));
  std::map<std::pair<int, int>, std::string> threads;
  for (const auto& e : trace["traceEvents"]) {
    if (e["name"] == "thread_name")
      threads[{e["pid"].get<int>(), e["tid"].get<int>()}] = e["args"]["name"];
  }
  std::set<std::pair<std::string, int>> compute;  // (track, pid) with compute spans
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] == "X" && e["cat"] == "compute") {
      compute.insert({threads[{e["pid"].get<int>(), e["tid"].get<int>()}], e["pid"].get<int>()});
    }
  }
  ASSERT_EQ(compute.size(), 2u) << trace.dump().substr(0, 2000);
  EXPECT_EQ(compute.begin()->first, "trainer:0");
  EXPECT_EQ(std::next(compute.begin())->first, "trainer:1");
  EXPECT_NE(compute.begin()->second, 0) << "trainers ran on worker nodes, not the head";

  // The same config in one process: the same evaluations, bit for bit.
  const pid_t embedded =
      Olsgd({"run", SourcePath("config/tests/tiny_synthetic.yaml"), "--out", dir / "embedded"},
            dir / "embedded");
  ASSERT_EQ(testing::WaitProcess(embedded, 300s), 0) << ReadFile(dir / "embedded.err");
  const auto a = Accuracies(dir / "run/metrics.csv");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, Accuracies(dir / "embedded/metrics.csv"));
}

// Kills worker w1 with SIGKILL once training is under way; returns the
// seconds from the kill to the head's exit, and the head's exit code.
std::pair<double, int> KillWorkerMidRun(const TempDir& dir, const std::string& on_failure,
                                        int steps) {
  auto [head, addr] =
      StartHead(dir, "config/tests/long_synthetic.yaml",
                {"cluster.wait_for_workers=2", "cluster.on_failure=" + on_failure,
                 "cluster.heartbeat_s=0.2", "cluster.failure_timeout_s=1.5",
                 "training.steps=" + std::to_string(steps), "evaluation.every_rounds=50"});
  if (addr.empty()) return {-1, -1};
  const pid_t w0 = StartWorker(dir, addr, "w0");
  const pid_t w1 = StartWorker(dir, addr, "w1");
  // Training is under way once an evaluation is in metrics.csv.
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (ReadLines(dir / "run/metrics.csv").size() < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GE(ReadLines(dir / "run/metrics.csv").size(), 2u) << ReadFile(dir / "head.err");
  kill(w1, SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  EXPECT_EQ(testing::WaitProcess(w1, 10s), 128 + SIGKILL);
  const int code = testing::WaitProcess(head, 300s);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  const int survivor = testing::WaitProcess(w0, 60s);
  EXPECT_EQ(survivor, code) << "the surviving worker exits like the head: "
                            << ReadFile(dir / "w0.err");
  return {seconds, code};
}

TEST(ClusterBinary, KilledWorkerUnderAbortEndsTheRunNamingTheNode) {
  TempDir dir;
  const auto [seconds, code] = KillWorkerMidRun(dir, "abort", 2000000);
  EXPECT_EQ(code, 1) << ReadFile(dir / "head.err");
  const std::string err = ReadFile(dir / "head.err");
  EXPECT_NE(err.find("node 'w1' lost"), std::string::npos) << err;
  EXPECT_NE(err.find("trainer:1"), std::string::npos) << err;
  const auto summary = nlohmann::json::parse(ReadFile(dir / "run/summary.json"));
  EXPECT_EQ(summary["status"], "failed");
  std::printf(
      "[ measured ] kill -9 of a worker to head exit (abort, failure_timeout_s 1.5): %.2f s\n",
      seconds);
}

TEST(ClusterBinary, KilledWorkerUnderContinueFinishesWithTheOtherWorker) {
  TempDir dir;
  const auto [seconds, code] = KillWorkerMidRun(dir, "continue", 30000);
  EXPECT_EQ(code, 0) << ReadFile(dir / "head.err");
  const auto summary = nlohmann::json::parse(ReadFile(dir / "run/summary.json"));
  EXPECT_EQ(summary["status"], "completed");
  ASSERT_EQ(summary["lost_shards"].size(), 1u) << summary.dump();
  // Which trainer w1 hosted depends on the order the workers joined.
  const std::string lost = summary["lost_shards"][0].get<std::string>();
  EXPECT_TRUE(lost.rfind("worker 0 (", 0) == 0 || lost.rfind("worker 1 (", 0) == 0) << lost;
  EXPECT_NE(lost.find("on node 'w1'"), std::string::npos) << lost;
  EXPECT_EQ(summary["workers"].size(), 1u);
  std::printf("[ measured ] kill -9 to the end of the run (continue): %.2f s\n", seconds);
}

// Under on_failure: continue, a worker process started again after a kill -9
// (same name, as a supervisor would restart it) takes its lost trainer back
// at a round boundary, and the run ends with both workers. The run's steps
// are paced (paced_synthetic.yaml: 2,000 steps of at least 5 ms), so the
// ~9 s left after the kill outlast detection and restart on any machine.
TEST(ClusterBinary, KilledWorkerRestartedUnderContinueRejoinsTheRun) {
  TempDir dir;
  auto [head, addr] = StartHead(dir, "config/tests/paced_synthetic.yaml",
                                {"cluster.wait_for_workers=2", "cluster.on_failure=continue",
                                 "cluster.heartbeat_s=0.2", "cluster.failure_timeout_s=1.5"});
  ASSERT_FALSE(addr.empty());
  const pid_t w0 = StartWorker(dir, addr, "w0");
  const pid_t w1 = StartWorker(dir, addr, "w1");
  auto deadline = std::chrono::steady_clock::now() + 120s;
  while (ReadLines(dir / "run/metrics.csv").size() < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_GE(ReadLines(dir / "run/metrics.csv").size(), 2u) << ReadFile(dir / "head.err");
  kill(w1, SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  EXPECT_EQ(testing::WaitProcess(w1, 10s), 128 + SIGKILL);
  // Restart it once the head has noticed the loss.
  deadline = std::chrono::steady_clock::now() + 30s;
  while (ReadFile(dir / "head.err").find("node 'w1' lost") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  const double detected =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  const pid_t again = StartWorker(dir, addr, "w1");
  EXPECT_EQ(testing::WaitProcess(head, 300s), 0) << ReadFile(dir / "head.err");
  EXPECT_EQ(testing::WaitProcess(w0, 60s), 0) << ReadFile(dir / "w0.err");
  EXPECT_EQ(testing::WaitProcess(again, 60s), 0) << ReadFile(dir / "w1.err");
  const auto summary = nlohmann::json::parse(ReadFile(dir / "run/summary.json"));
  EXPECT_EQ(summary["status"], "completed");
  ASSERT_EQ(summary["recovery"].size(), 1u) << summary.dump();
  const std::string rejoined = summary["recovery"][0].get<std::string>();
  EXPECT_NE(rejoined.find("rejoined on node 'w1' from round "), std::string::npos) << rejoined;
  EXPECT_EQ(summary["workers"].size(), 2u) << "both workers ran to the end";
  std::printf("[ measured ] kill -9 to loss detected %.2f s; %s\n", detected, rejoined.c_str());
}

// A head run aborted by a lost worker continues with `olsgd head --resume`
// on new workers, and ends with the same evaluations, bit for bit, as one
// uninterrupted embedded run of the same config. The steps are paced
// (paced_synthetic.yaml), so the first checkpoint comes about 1 s in with
// about 4 s of the run left for the kill to land, on any machine.
TEST(ClusterBinary, AbortedHeadRunResumesToTheSameResultsAsAnUninterruptedRun) {
  TempDir dir;
  constexpr int kSteps = 1000;
  const std::vector<std::string> sets = {"training.steps=" + std::to_string(kSteps),
                                         "evaluation.every_rounds=50",
                                         "cluster.checkpoint_every_rounds=100"};
  std::vector<std::string> head_sets = {"cluster.wait_for_workers=2", "cluster.heartbeat_s=0.2",
                                        "cluster.failure_timeout_s=1.5"};
  head_sets.insert(head_sets.end(), sets.begin(), sets.end());
  auto [head, addr] = StartHead(dir, "config/tests/paced_synthetic.yaml", head_sets);
  ASSERT_FALSE(addr.empty());
  const pid_t w0 = StartWorker(dir, addr, "w0");
  const pid_t w1 = StartWorker(dir, addr, "w1");
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (!std::filesystem::exists(dir / "run/checkpoints/latest") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(std::filesystem::exists(dir / "run/checkpoints/latest"))
      << ReadFile(dir / "head.err");
  kill(w1, SIGKILL);
  EXPECT_EQ(testing::WaitProcess(head, 300s), 1) << ReadFile(dir / "head.err");
  EXPECT_EQ(testing::WaitProcess(w1, 10s), 128 + SIGKILL);
  EXPECT_EQ(testing::WaitProcess(w0, 60s), 1);
  EXPECT_NE(ReadFile(dir / "head.err").find("olsgd head --resume"), std::string::npos)
      << ReadFile(dir / "head.err");

  const pid_t resumed =
      Olsgd({"head", "--resume", dir / "run", "--listen", "tcp://127.0.0.1:0"}, dir / "head2");
  std::string addr2 = AwaitLine(dir / "head2.err", "head: listening on ", 60s);
  addr2 = addr2.substr(0, addr2.find(' '));
  ASSERT_FALSE(addr2.empty());
  const pid_t w2 = StartWorker(dir, addr2, "w2");
  const pid_t w3 = StartWorker(dir, addr2, "w3");
  EXPECT_EQ(testing::WaitProcess(resumed, 300s), 0) << ReadFile(dir / "head2.err");
  EXPECT_EQ(testing::WaitProcess(w2, 60s), 0);
  EXPECT_EQ(testing::WaitProcess(w3, 60s), 0);

  std::vector<std::string> args = {"run", SourcePath("config/tests/paced_synthetic.yaml"), "--out",
                                   dir / "embedded"};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  const pid_t embedded = Olsgd(args, dir / "embedded");
  ASSERT_EQ(testing::WaitProcess(embedded, 300s), 0) << ReadFile(dir / "embedded.err");
  const auto a = Accuracies(dir / "run/metrics.csv");
  EXPECT_EQ(a.size(), size_t{kSteps} / 2 / 50 * 2 * 5)
      << "every evaluation of the whole run, both workers";
  EXPECT_EQ(a, Accuracies(dir / "embedded/metrics.csv"));
}

TEST(ClusterBinary, WorkerWithNoHeadToJoinFailsClearly) {
  TempDir dir;
  const pid_t w = Olsgd(
      {"worker", "--head", "tcp://127.0.0.1:1", "--insecure", "--join-timeout", "1"}, dir / "w");
  EXPECT_EQ(testing::WaitProcess(w, 60s), 1);
  const std::string err = ReadFile(dir / "w.err");
  EXPECT_NE(err.find("tcp://127.0.0.1:1"), std::string::npos) << err;
}

TEST(ClusterBinary, HeadGivesUpWhenTooFewWorkersJoin) {
  TempDir dir;
  auto [head, addr] = StartHead(dir, "config/tests/tiny_synthetic.yaml",
                                {"cluster.wait_for_workers=1", "cluster.join_timeout_s=1"});
  EXPECT_EQ(testing::WaitProcess(head, 60s), 1);
  const std::string err = ReadFile(dir / "head.err");
  EXPECT_NE(err.find("only 0 of 1 worker nodes joined"), std::string::npos) << err;
}

TEST(ClusterBinary, HeadNeedsAKeyOrAnExplicitInsecure) {
  TempDir dir;
  const pid_t head = Olsgd({"head", "--config", SourcePath("config/tests/tiny_synthetic.yaml"),
                            "--listen", "tcp://127.0.0.1:0", "--out", dir / "run"},
                           dir / "head");
  EXPECT_EQ(testing::WaitProcess(head, 60s), 2);
  const std::string err = ReadFile(dir / "head.err");
  EXPECT_NE(err.find("cluster.key_dir"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(dir / "run/summary.json"));
  const pid_t worker = Olsgd({"worker", "--head", "tcp://127.0.0.1:1"}, dir / "worker");
  EXPECT_EQ(testing::WaitProcess(worker, 60s), 2);
  EXPECT_NE(ReadFile(dir / "worker.err").find("--key-dir"), std::string::npos);
}

}  // namespace
}  // namespace olsgd::cli
