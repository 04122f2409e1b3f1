// Compares the five algorithms under the same injected link delay and the
// same stragglers: 4 workers, Fashion-MNIST, embedded cluster. Prints JSON
// (and writes it to the path given as argv[1], if any) with, per algorithm,
// the blocked share, wall time per iteration and final accuracy, and the ratio
// of Overlap-Local-SGD's per-iteration time to its no-delay time.
//
// The link latency is chosen so that one round's communication (a round trip
// to the reducer) fits into tau compute steps, the case the paper's claim is
// about: there Overlap-Local-SGD should hide it completely.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "actors/run_experiment.h"

namespace {

using olsgd::actors::ExperimentSpec;
using olsgd::actors::RunObserver;
using olsgd::actors::RunOptions;
using olsgd::actors::RunSummary;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : fallback;
}

ExperimentSpec BaseSpec(bool quick, int workers) {
  ExperimentSpec s;
  s.name = "bench";
  s.seed = 1;
  s.cluster.workers = workers;
  s.data.dataset = "fashion_mnist";
  s.data.max_train_samples = quick ? 8000 : 24000;
  s.data.max_test_samples = quick ? 2000 : 10000;
  // Steps of a few milliseconds: long against the OS scheduler's time slice,
  // so time-sharing skew between trainers stays inside one round.
  s.model.hidden = {256, 128};
  s.training.epochs = 1;
  s.training.batch_size = 64;
  s.training.lr = 0.05;
  s.algorithm.tau = 2;
  s.algorithm.alpha = 0.6;
  s.evaluation.every_rounds = 0;
  s.output.trace = false;
  return s;
}

void AddDelay(ExperimentSpec& s, double latency_ms) {
  olsgd::actors::LinkSpec link;
  link.from = "trainer:*";
  link.to = "reducer:*";
  link.latency_ms = latency_ms;
  s.injection.links.push_back(link);
}

void AddStragglers(ExperimentSpec& s, double pause_ms) {
  olsgd::actors::StragglerSpec st;
  st.worker = s.cluster.workers - 1;
  st.pause = "bernoulli";
  st.pause_probability = 0.05;
  st.pause_ms = pause_ms;
  s.injection.stragglers.push_back(st);
}

nlohmann::json Measure(const ExperimentSpec& spec) {
  RunObserver observer;
  const RunSummary r = olsgd::actors::RunExperiment(spec, observer, RunOptions{});
  nlohmann::json j;
  j["algorithm"] = spec.algorithm.name;
  j["status"] = r.status;
  j["blocked_share"] = r.blocked_share;
  j["wall_s"] = r.wall_s;
  j["iterations"] = r.iterations;
  j["wall_ms_per_iteration"] = 1e3 * r.wall_s / static_cast<double>(r.iterations);
  j["final_accuracy"] = r.final_accuracy;
  std::fprintf(stderr, "%-18s blocked %6.2f%%  %7.3f ms/it  acc %.4f\n",
               spec.algorithm.name.c_str(), 100 * r.blocked_share,
               j["wall_ms_per_iteration"].get<double>(), r.final_accuracy);
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = std::getenv("OLSGD_BENCH_QUICK") != nullptr;
  const int workers = EnvInt("OLSGD_BENCH_WORKERS", 4);
  const unsigned cores = std::thread::hardware_concurrency();
  nlohmann::json out;

  if (static_cast<unsigned>(workers) + 1 > cores) {
    // Each trainer is a compute-bound thread: with fewer cores than trainers
    // (plus the reducer and evaluator), a trainer that gets ahead waits for
    // the others' CPU time, and that wait counts as blocked time too.
    out["warning"] = "fewer cores than workers + 1: blocked time includes CPU contention";
  }
  ExperimentSpec base = BaseSpec(quick, workers);
  // Baselines for the overhead ratio: overlap with no injected delay, and
  // overlap with the link delay alone.
  base.algorithm.name = "overlap_local_sgd";
  const nlohmann::json no_delay = Measure(base);
  // Calibrate the link to the measured step time: a round trip (2 x latency)
  // of 40% of one round's compute, so it fits into tau steps.
  const double step_ms = no_delay["wall_ms_per_iteration"].get<double>();
  const double latency_ms = 0.2 * base.algorithm.tau * step_ms;
  const double pause_ms = step_ms;
  out["setting"] = {{"workers", workers},
                    {"cores", cores},
                    {"tau", base.algorithm.tau},
                    {"model", "mlp 784-256-128-10"},
                    {"batch", base.training.batch_size},
                    {"link_latency_ms_each_way", latency_ms},
                    {"straggler", "last worker: p=0.05 per step, pause of one step time"},
                    {"straggler_pause_ms", pause_ms},
                    {"quick", quick}};
  ExperimentSpec delayed = base;
  AddDelay(delayed, latency_ms);
  const nlohmann::json link_only = Measure(delayed);

  nlohmann::json rows = nlohmann::json::array();
  for (const char* algorithm :
       {"sync_sgd", "local_sgd", "overlap_local_sgd", "easgd", "cocod_sgd"}) {
    ExperimentSpec s = base;
    s.algorithm.name = algorithm;
    if (s.algorithm.name == "easgd") s.algorithm.alpha = 0.2;  // < 1/m
    AddDelay(s, latency_ms);
    AddStragglers(s, pause_ms);
    rows.push_back(Measure(s));
  }
  out["algorithms"] = rows;
  out["overlap_no_delay"] = no_delay;
  out["overlap_link_delay_only"] = link_only;
  const double base_ms = no_delay["wall_ms_per_iteration"].get<double>();
  out["ratio_overlap_link_delay_to_no_delay"] =
      link_only["wall_ms_per_iteration"].get<double>() / base_ms;
  out["ratio_overlap_delay_and_stragglers_to_no_delay"] =
      rows[2]["wall_ms_per_iteration"].get<double>() / base_ms;
  out["ratio_sync_to_overlap_blocked_share"] =
      rows[0]["blocked_share"].get<double>() /
      std::max(rows[2]["blocked_share"].get<double>(), 1e-9);

  std::cout << out.dump(2) << std::endl;
  if (argc > 1) std::ofstream(argv[1]) << out.dump(2) << "\n";
  return 0;
}
