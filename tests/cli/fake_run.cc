#include "tests/cli/fake_run.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace olsgd::cli::testing {

RunFunction FakeRun::Function() {
  return [this](const actors::ExperimentSpec& spec, actors::RunObserver& observer,
                const actors::RunOptions& options) { return Run(spec, observer, options); };
}

actors::RunSummary FakeRun::Run(const actors::ExperimentSpec& spec, actors::RunObserver& observer,
                                const actors::RunOptions& options) {
  specs.push_back(spec);
  seen_options.push_back(options);
  if (!throw_message.empty()) throw std::runtime_error(throw_message);
  if (!options.trace_path.empty()) std::ofstream(options.trace_path) << "{\"traceEvents\":[]}\n";
  const int tau = spec.algorithm.tau;
  const int64_t rounds = std::max<int64_t>(1, spec.training.steps / tau);
  const int every = std::max(1, spec.evaluation.every_rounds);
  actors::RunSummary summary;
  double t = 0, blocked = 0;
  for (int64_t r = 1; r <= rounds; ++r) {
    if (options.stop != nullptr && options.stop->load()) {
      summary.status = "interrupted";
      break;
    }
    for (int w = 0; w < spec.cluster.workers; ++w) {
      actors::RoundRecord rec;
      rec.worker = w;
      rec.round = r;
      rec.start_s = t;
      rec.end_s = t + 0.01;
      rec.compute_s = 0.009;
      rec.blocked_s = 0.001;
      rec.messages_out = 1;
      rec.bytes_out = 400;
      rec.messages_in = 1;
      rec.bytes_in = 400;
      observer.OnRound(rec);
    }
    t += 0.01;
    blocked += 0.001;
    summary.rounds = r;
    summary.iterations = r * tau;
    if (r % every == 0) {
      actors::EvalRecord e;
      e.wall_s = t;
      e.epoch = static_cast<double>(r) / static_cast<double>(rounds);
      e.iteration = r * tau;
      e.round = r;
      e.train_loss = 1.0 / static_cast<double>(r);
      e.test_loss = 1.2 / static_cast<double>(r);
      e.test_accuracy = std::min(0.99, 0.3 + 0.05 * static_cast<double>(r));
      e.anchor_test_loss = e.test_loss;
      e.anchor_test_accuracy = e.test_accuracy - 0.01;
      for (int w = 0; w < spec.cluster.workers; ++w) {
        e.workers.push_back({w, e.train_loss + 0.01 * w, 0.009 * static_cast<double>(r),
                             0.001 * static_cast<double>(r)});
      }
      observer.OnEval(e);
    }
    if (set_stop_after_rounds >= 0 && r >= set_stop_after_rounds && stop_to_set != nullptr) {
      stop_to_set->store(true);
    }
  }
  summary.wall_s = t;
  summary.blocked_share = t > 0 ? blocked / t : 0;
  summary.bytes_moved = static_cast<uint64_t>(summary.rounds) * 800 * spec.cluster.workers;
  for (int w = 0; w < spec.cluster.workers; ++w) {
    summary.workers.push_back({w, t - blocked, blocked, t, t > 0 ? blocked / t : 0, 400, 400});
  }
  return summary;  // accuracies left NaN: the CLI fills them from the evaluations
}

}  // namespace olsgd::cli::testing
