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

#include "actors/run_experiment.h"

namespace {

using olsgd::actors::ExperimentSpec;
using olsgd::actors::RunObserver;
using olsgd::actors::RunOptions;
using olsgd::actors::RunSummary;

ExperimentSpec BaseSpec(bool quick) {
  ExperimentSpec s;
  s.name = "bench";
  s.seed = 1;
  s.cluster.workers = 4;
  s.data.dataset = "fashion_mnist";
  s.data.max_train_samples = quick ? 8000 : 24000;
  s.data.max_test_samples = quick ? 2000 : 10000;
  s.model.hidden = {128};
  s.training.epochs = 1;
  s.training.batch_size = 32;
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

void AddStragglers(ExperimentSpec& s) {
  olsgd::actors::StragglerSpec st;
  st.worker = 3;
  st.pause = "bernoulli";
  st.pause_probability = 0.05;
  st.pause_ms = 10;
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
  const double latency_ms = 4.0;  // each way: an 8 ms round trip
  nlohmann::json out;
  out["setting"] = {{"workers", 4},         {"tau", 2},
                    {"link_latency_ms", latency_ms},
                    {"stragglers", "worker 3: p=0.05 pause 10 ms"},
                    {"quick", quick}};

  ExperimentSpec base = BaseSpec(quick);
  // Baselines for the overhead ratio: overlap with no injected delay, and
  // overlap with the link delay alone.
  base.algorithm.name = "overlap_local_sgd";
  const nlohmann::json no_delay = Measure(base);
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
    AddStragglers(s);
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
