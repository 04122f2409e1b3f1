// Small experiments for the actors tests: a synthetic dataset, a tiny MLP and
// plain settings that the tests then vary.
#ifndef OLSGD_TESTS_ACTORS_RUN_TEST_UTIL_H_
#define OLSGD_TESTS_ACTORS_RUN_TEST_UTIL_H_

#include <functional>
#include <map>
#include <vector>

#include "actors/run/run_experiment.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::actors::test_util {

inline ExperimentSpec TinySpec(const std::string& algorithm, int workers) {
  ExperimentSpec s;
  s.name = "test";
  s.seed = 5;
  s.cluster.workers = workers;
  s.data.dataset = DatasetKind::kSynthetic;
  s.data.synthetic_train = 480;
  s.data.synthetic_test = 120;
  s.data.synthetic_features = 16;
  s.data.synthetic_classes = 4;
  s.model.name = ModelKind::kMlp;
  s.model.hidden = {12};
  s.training.steps = 12;
  s.training.batch_size = 8;
  s.training.lr = 0.05;
  s.training.momentum = 0.9;
  s.training.nesterov = true;
  s.training.weight_decay = 1e-4;
  s.algorithm.name = algorithm;
  s.algorithm.tau = 2;
  s.algorithm.alpha = 0.6;
  s.algorithm.beta = 0.0;
  s.evaluation.every_rounds = 2;
  s.evaluation.test_batch = 60;
  s.output.trace = false;
  return s;
}

// A run on a cluster that loses a node mid-run: long enough that a loss at
// the first evaluation lands mid-run however fast or loaded the machine is
// (every step of every worker takes at least 5 ms), with a quick heartbeat.
inline ExperimentSpec LossSpec(const std::string& algorithm, int steps, OnFailure on_failure,
                               int workers = 2) {
  ExperimentSpec spec = TinySpec(algorithm, workers);
  spec.training.steps = steps;
  StragglerSpec slow;
  slow.pause = PauseKind::kBernoulli;
  slow.pause_probability = 1.0;
  slow.pause_ms = 5;
  spec.injection.stragglers.push_back(slow);
  spec.evaluation.every_rounds = 5;
  spec.cluster.on_failure = on_failure;
  spec.cluster.heartbeat_s = 0.2;
  spec.cluster.failure_timeout_s = 1.5;
  return spec;
}

inline RunOutcome RunSpec(const ExperimentSpec& spec, bool record_vectors = false) {
  RunObserver observer;
  RunOptions options;
  options.record_vectors = record_vectors;
  return RunAndCollect(spec, observer, options);
}

// An observer that runs `f` at every evaluation (on the coordinator's thread).
class EvalHook : public RunObserver {
 public:
  explicit EvalHook(std::function<void(const EvalRecord&)> f) : f_(std::move(f)) {}
  void OnEval(const EvalRecord& e) override { f_(e); }

 private:
  std::function<void(const EvalRecord&)> f_;
};

// probes[what][{worker, round}] = values
using ProbeMap = std::map<std::string, std::map<std::pair<int, int64_t>, std::vector<float>>>;
inline ProbeMap IndexProbes(const RunOutcome& out) {
  ProbeMap m;
  for (const ProbeRecord& p : out.probes) m[p.what][{p.worker, p.round}] = p.values;
  return m;
}

inline float MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  float d = a.size() == b.size() ? 0.0f : 1e30f;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

}  // namespace olsgd::actors::test_util

#endif  // OLSGD_TESTS_ACTORS_RUN_TEST_UTIL_H_
