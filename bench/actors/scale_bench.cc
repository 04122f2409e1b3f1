// How many simulated workers one host carries in virtual time (docs/TIME.md):
// the run, MLP 784-128-10 on Fashion-MNIST (IID, 2 epochs, batch 16,
// tau 4, Overlap-Local-SGD), at 16, 256, 1,024 and 4,096 workers. Each size
// runs in a child process of its own, so that its peak RSS (getrusage of the
// child) is its alone. Prints peak RSS, RSS per worker and host seconds per
// simulated round, against the targets (1,024 workers in at most 3 GB,
// 4,096 in at most 12 GB).
// Usage: scale_bench [--out FILE] [--workers N,N,...]; OLSGD_BENCH_QUICK=1
// stops at 1,024 workers.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "actors/run/run_experiment.h"

namespace {

using olsgd::actors::ExperimentSpec;

ExperimentSpec ScaleSpec(int workers) {
  ExperimentSpec s;
  s.name = "scale";
  s.seed = 1;
  s.cluster.workers = workers;
  s.model.hidden = {128};
  s.training.epochs = 2;
  s.training.batch_size = 16;
  s.training.lr = 0.05;
  s.algorithm.name = "overlap_local_sgd";
  s.algorithm.tau = 4;
  s.evaluation.every_rounds = 0;
  s.output.trace = false;
  s.time.mode = olsgd::actors::TimeMode::kVirtual;
  return s;
}

// Runs one size in a child; returns its summary and peak RSS.
nlohmann::json RunChild(int workers) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    olsgd::actors::RunObserver observer;
    const auto r = olsgd::actors::RunExperiment(ScaleSpec(workers), observer, {});
    const std::string j = nlohmann::json{
        {"status", r.status},
        {"rounds", r.rounds},
        {"iterations", r.iterations},
        {"virtual_s", r.wall_s},
        {"host_s", r.host_s},
        {"blocked_share", r.blocked_share},
        {"final_accuracy",
         r.final_accuracy}}.dump();
    if (write(fds[1], j.data(), j.size()) != static_cast<ssize_t>(j.size())) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  nlohmann::json j =
      text.empty() ? nlohmann::json{{"status", "crashed"}} : nlohmann::json::parse(text);
  j["workers"] = workers;
  j["exit_status"] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
  j["peak_rss_mb"] = peak_mb;
  j["peak_rss_mb_per_worker"] = peak_mb / workers;
  const int64_t rounds = j.value("rounds", int64_t{0});
  j["host_s_per_simulated_round"] =
      rounds > 0 ? nlohmann::json(j.value("host_s", 0.0) / static_cast<double>(rounds))
                 : nlohmann::json(nullptr);
  std::fprintf(stderr,
               "%5d workers: peak RSS %8.1f MB (%.2f MB/worker), %lld rounds, host %.1f s "
               "(%.2f s per simulated round), blocked %.1f%%, accuracy %.4f\n",
               workers, peak_mb, peak_mb / workers, static_cast<long long>(rounds),
               j.value("host_s", 0.0),
               rounds > 0 ? j.value("host_s", 0.0) / static_cast<double>(rounds) : 0.0,
               100 * j.value("blocked_share", 0.0), j.value("final_accuracy", 0.0));
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = std::getenv("OLSGD_BENCH_QUICK") != nullptr;
  std::vector<int> sizes =
      quick ? std::vector<int>{16, 256, 1024} : std::vector<int>{16, 256, 1024, 4096};
  std::string out_path;
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--out") out_path = argv[i + 1];
    if (a == "--workers") {
      sizes.clear();
      std::stringstream ss(argv[i + 1]);
      for (std::string n; std::getline(ss, n, ',');) sizes.push_back(std::stoi(n));
    }
  }
  nlohmann::json out;
  out["bench"] = "scale";
  out["setting"] =
      "virtual time, measured compute; mlp 784-128-10, Fashion-MNIST IID, 2 epochs, "
      "batch 16, tau 4, overlap_local_sgd, one reducer shard";
  out["cores"] = sysconf(_SC_NPROCESSORS_ONLN);
  nlohmann::json rows = nlohmann::json::array();
  for (int m : sizes) rows.push_back(RunChild(m));
  out["runs"] = rows;
  nlohmann::json targets = nlohmann::json::object();
  for (const auto& r : rows) {
    const int m = r["workers"].get<int>();
    const double gb = r["peak_rss_mb"].get<double>() / 1024.0;
    if (m == 1024) targets["1024_workers_at_most_3GB"] = gb <= 3.0;
    if (m == 4096) targets["4096_workers_at_most_12GB"] = gb <= 12.0;
  }
  out["targets"] = targets;
  std::cout << out.dump(2) << std::endl;
  if (!out_path.empty()) std::ofstream(out_path) << out.dump(2) << "\n";
  return 0;
}
