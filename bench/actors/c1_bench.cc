// The paper's claim C1 in virtual time, on the real model, with no sleeps
// (docs/TIME.md): 16 workers train the MLP on Fashion-MNIST with tau = 2;
// the trainer <-> reducer link is calibrated so that sync SGD spends 34.6% of
// its time communicating (the paper's figure). Then Overlap-Local-SGD runs on
// the same link and is judged against the targets: at most 1.5% blocked and
// at most 1.02x its no-delay time per iteration. The same comparison with
// stragglers (a Pareto pause on every worker) is reported beside it.
//
// Compute: a first run with `measured` compute (each step costs the thread
// CPU time its numerics took here) gives this host's speed on the real MLP
// step; every judged run then uses `compute: model` at that speed, so that
// its timings are deterministic (measured CPU time moved by 10-15% between
// runs on a loaded 2-core host, more than the 2% the target allows). The
// models are the real ones either way.
//
// Usage: c1_bench [--out FILE]; OLSGD_BENCH_QUICK=1 for a short run.
// Prints what it measured and the verdicts; writes JSON only with --out.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "actors/run/run_experiment.h"
#include "actors/worker/dataset_cache.h"
#include "actors/worker/local_worker.h"

namespace {

using olsgd::actors::ExperimentSpec;
using olsgd::actors::PauseKind;
using olsgd::actors::RunObserver;
using olsgd::actors::RunOptions;
using olsgd::actors::RunSummary;
using olsgd::actors::StragglerSpec;
using olsgd::actors::TimeMode;

constexpr double kPaperSyncShare = 0.346;  // sync SGD's communication share (paper, C1)
constexpr double kPaperOverlapShare = 0.015;

ExperimentSpec BaseSpec(bool quick) {
  ExperimentSpec s;
  s.name = "c1";
  s.seed = 1;
  s.cluster.workers = 16;
  s.data.max_train_samples = quick ? 16000 : 0;  // 0: all 60,000
  s.data.max_test_samples = quick ? 2000 : 10000;
  s.model.hidden = {256, 128};  // the MLP: 784-256-128-10
  s.training.batch_size = 32;
  // Four shards combine in parallel, as a cluster's reducers would.
  s.algorithm.reducer_shards = 4;
  s.training.epochs = quick ? 1 : 2;
  s.training.lr = 0.05;
  s.algorithm.tau = 2;
  s.algorithm.alpha = 0.6;
  s.evaluation.every_rounds = 0;
  s.output.trace = false;
  s.time.mode = TimeMode::kVirtual;
  return s;
}

void SetLink(ExperimentSpec& s, double latency_ms) {
  s.injection.links.clear();
  if (latency_ms <= 0) return;
  olsgd::actors::LinkSpec link;
  link.from = "trainer:*";
  link.to = "reducer:*";
  link.latency_ms = latency_ms;
  s.injection.links.push_back(link);
}

// Every worker pauses now and then, heavy-tailed: a noisy cluster.
void AddParetoPauses(ExperimentSpec& s, double mean_ms) {
  StragglerSpec st;
  st.worker = -1;
  st.pause = PauseKind::kPareto;
  st.pause_mean_ms = mean_ms;
  st.pause_pareto_shape = 2.5;
  s.injection.stragglers.push_back(st);
}

struct Measured {
  RunSummary summary;
  double ms_per_iteration = 0;
  double compute_ms_per_step = 0;  // mean over workers
  nlohmann::json json;
};

Measured Measure(ExperimentSpec spec, const std::string& algorithm, const std::string& label) {
  spec.algorithm.name = algorithm;
  RunObserver observer;
  Measured m;
  m.summary = olsgd::actors::RunExperiment(spec, observer, RunOptions{});
  const RunSummary& r = m.summary;
  const double iterations = static_cast<double>(std::max<int64_t>(1, r.iterations));
  m.ms_per_iteration = 1e3 * r.wall_s / iterations;
  double compute = 0;
  for (const auto& w : r.workers) compute += w.compute_s;
  m.compute_ms_per_step =
      r.workers.empty() ? 0 : 1e3 * compute / static_cast<double>(r.workers.size()) / iterations;
  m.json = {{"case", label},
            {"algorithm", algorithm},
            {"status", r.status},
            {"time_mode", r.time_mode},
            {"blocked_share", r.blocked_share},
            {"virtual_s", r.wall_s},
            {"host_s", r.host_s},
            {"iterations", r.iterations},
            {"virtual_ms_per_iteration", m.ms_per_iteration},
            {"compute_ms_per_step", m.compute_ms_per_step},
            {"final_accuracy", r.final_accuracy},
            {"bytes_moved", r.bytes_moved}};
  std::fprintf(stderr,
               "%-34s %-18s blocked %6.2f%%  %7.3f virtual ms/it  acc %.4f  (host %.1f s)\n",
               label.c_str(), algorithm.c_str(), 100 * r.blocked_share, m.ms_per_iteration,
               r.final_accuracy, r.host_s);
  return m;
}

// The one-way latency that gives sync SGD a communication share `share`,
// given a step's compute c and the rest of its per-step wait w (the
// reducer's combine): share = (2L + w) / (c + 2L + w).
double LatencyFor(double share, double c_ms, double w_ms) {
  return std::max(0.0, (share * (c_ms + w_ms) - w_ms) / (2 * (1 - share)));
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = std::getenv("OLSGD_BENCH_QUICK") != nullptr;
  const ExperimentSpec base = BaseSpec(quick);
  nlohmann::json out;
  out["bench"] = "c1";
  out["quick"] = quick;
  out["cores"] = std::thread::hardware_concurrency();
  out["setting"] = {{"workers", base.cluster.workers},
                    {"model", "mlp 784-256-128-10"},
                    {"batch_size", base.training.batch_size},
                    {"reducer_shards", base.algorithm.reducer_shards},
                    {"tau", base.algorithm.tau},
                    {"train_samples", quick ? base.data.max_train_samples : 60000},
                    {"time", "virtual; compute modelled at this host's measured speed"},
                    {"link", "trainer <-> reducer latency, calibrated on sync SGD"}};
  nlohmann::json runs = nlohmann::json::array();

  // Calibrate: sync SGD without delay gives the step's cost and the wait
  // that remains (the combine); then the latency for 34.6%, refined once on
  // what that latency gave (the measured costs vary a little between runs).
  // This host's speed on the MLP's step, from measured compute.
  ExperimentSpec measured = base;
  measured.time.compute = olsgd::actors::ComputeCost::kMeasured;
  const Measured host = Measure(measured, "overlap_local_sgd", "measured compute, no delay");
  runs.push_back(host.json);
  const auto data = olsgd::actors::LoadSplit(base.data, base.seed, olsgd::train::Split::kTrain);
  const auto model =
      olsgd::train::BuildModel(olsgd::actors::ToModelConfig(base.model), *data, base.seed);
  const double step_flops = static_cast<double>(base.training.batch_size) *
                                static_cast<double>(model->TrainingFlopsPerSample()) +
                            5.0 * static_cast<double>(model->num_params());
  ExperimentSpec modelled = base;
  modelled.time.compute = olsgd::actors::ComputeCost::kModel;
  modelled.time.device_gflops = step_flops / (host.compute_ms_per_step * 1e-3) / 1e9;
  out["device_gflops"] = modelled.time.device_gflops;
  out["step_mflops"] = step_flops / 1e6;
  std::fprintf(stderr, "host: %.3f ms per %.1f MFLOP step = %.2f GFLOP/s\n",
               host.compute_ms_per_step, step_flops / 1e6, modelled.time.device_gflops);

  const Measured sync_free = Measure(modelled, "sync_sgd", "no delay");
  runs.push_back(sync_free.json);
  const double c = sync_free.compute_ms_per_step;
  const double w = sync_free.ms_per_iteration - c;  // the combine
  const double latency = LatencyFor(kPaperSyncShare, c, w);
  ExperimentSpec delayed = modelled;
  SetLink(delayed, latency);
  const Measured sync_delayed = Measure(delayed, "sync_sgd", "calibrated link");
  runs.push_back(sync_delayed.json);

  const Measured overlap_free = Measure(modelled, "overlap_local_sgd", "no delay");
  const Measured overlap_delayed = Measure(delayed, "overlap_local_sgd", "calibrated link");
  runs.push_back(overlap_free.json);
  runs.push_back(overlap_delayed.json);

  // Stragglers beside it: a Pareto pause on every worker, mean one step.
  ExperimentSpec noisy_free = modelled;
  AddParetoPauses(noisy_free, c);
  ExperimentSpec noisy = delayed;
  AddParetoPauses(noisy, c);
  const Measured sync_noisy = Measure(noisy, "sync_sgd", "calibrated link + Pareto pauses");
  const Measured overlap_noisy_free =
      Measure(noisy_free, "overlap_local_sgd", "Pareto pauses, no delay");
  const Measured overlap_noisy =
      Measure(noisy, "overlap_local_sgd", "calibrated link + Pareto pauses");
  runs.push_back(sync_noisy.json);
  runs.push_back(overlap_noisy_free.json);
  runs.push_back(overlap_noisy.json);

  const double ratio = overlap_delayed.ms_per_iteration / overlap_free.ms_per_iteration;
  const double noisy_ratio = overlap_noisy.ms_per_iteration / overlap_noisy_free.ms_per_iteration;
  const double sync_share = sync_delayed.summary.blocked_share;
  const double overlap_share = overlap_delayed.summary.blocked_share;
  out["link_latency_ms_each_way"] = latency;
  out["runs"] = runs;
  out["sync_sgd_blocked_share"] = sync_share;
  out["overlap_blocked_share"] = overlap_share;
  out["overlap_ratio_to_no_delay"] = ratio;
  out["with_stragglers"] = {{"sync_sgd_blocked_share", sync_noisy.summary.blocked_share},
                            {"overlap_blocked_share", overlap_noisy.summary.blocked_share},
                            {"overlap_ratio_to_no_delay", noisy_ratio}};
  const bool calibrated = std::abs(sync_share - kPaperSyncShare) <= 0.01;
  out["targets"] = {{"sync_sgd_calibrated_to_34.6pct_within_1pt", calibrated},
                    {"overlap_blocked_share_at_most_1.5pct", overlap_share <= kPaperOverlapShare},
                    {"overlap_time_per_iteration_at_most_1.02x", ratio <= 1.02}};
  std::fprintf(stderr,
               "C1: link %.3f ms each way; sync SGD blocked %.2f%% (target 34.6%%: %s); "
               "Overlap-Local-SGD blocked %.2f%% (<= 1.5%%: %s), %.4fx its no-delay time per "
               "iteration (<= 1.02x: %s)\n",
               latency, 100 * sync_share, calibrated ? "met" : "NOT met", 100 * overlap_share,
               overlap_share <= kPaperOverlapShare ? "met" : "NOT met", ratio,
               ratio <= 1.02 ? "met" : "NOT met");
  std::fprintf(stderr,
               "with Pareto pauses: sync SGD blocked %.2f%%, Overlap-Local-SGD blocked %.2f%%, "
               "%.4fx its no-delay time per iteration\n",
               100 * sync_noisy.summary.blocked_share, 100 * overlap_noisy.summary.blocked_share,
               noisy_ratio);
  std::cout << out.dump(2) << std::endl;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--out") std::ofstream(argv[i + 1]) << out.dump(2) << "\n";
  }
  return 0;
}
