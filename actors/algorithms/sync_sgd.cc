// Fully synchronous SGD (docs/ALGORITHMS.md, "sync_sgd"): every step, the
// workers' gradients are averaged (blocking) and every worker applies the
// same optimiser step with the average, so all models stay identical.
#include "actors/algorithms/algorithm.h"
#include "actors/algorithms/half_state.h"

namespace olsgd::actors {
namespace {

class SyncSgdWorker : public WorkerHalf {
 public:
  // The step computed the gradient without applying it: send it.
  void Boundary(WorkerModel& w, std::span<const float>, float, std::span<float> c) override {
    const std::span<const float> g = w.gradient();
    std::copy(g.begin(), g.end(), c.begin());
  }
  // One optimiser step with the averaged gradient.
  void Apply(WorkerModel& w, std::span<const float> mean_gradient) override {
    w.ApplyStep(mean_gradient);
  }
};

}  // namespace

const Algorithm& SyncSgd() {
  static const Algorithm a{
      .name = "sync_sgd",
      .summary = "fully synchronous SGD: gradients averaged every step (blocking)",
      .traits = {.flow = Flow::kBlocking, .has_anchor = false, .exchanges_gradients = true},
      .make_worker = [](const WorkerSetup&) -> std::unique_ptr<WorkerHalf> {
        return std::make_unique<SyncSgdWorker>();
      },
      .make_reducer = MakeMeanReducer,
      .check = CheckAlphaBelowOne,
  };
  return a;
}

}  // namespace olsgd::actors
