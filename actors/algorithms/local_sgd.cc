// Local SGD (docs/ALGORITHMS.md, "local_sgd"): tau local steps, then a
// blocking average. With beta > 0 the reducer keeps an anchor with momentum
// (BMUF / SlowMo):
//   xbar = mean_i x_i;  v <- beta v + (z - xbar) / lr (first: v = (z - xbar) / lr);
//   z <- z - lr v;  every x_i <- z.
#include "actors/algorithms/algorithm.h"
#include "actors/algorithms/half_state.h"
#include "trainer/algorithms.h"

namespace olsgd::actors {
namespace {

class LocalSgdWorker : public WorkerHalf {
 public:
  void Boundary(WorkerModel& w, std::span<const float>, float, std::span<float> c) override {
    const std::span<const float> x = w.params();
    std::copy(x.begin(), x.end(), c.begin());
  }
  // x_i <- the average (or SlowMo's z).
  void Apply(WorkerModel& w, std::span<const float> result) override {
    std::copy(result.begin(), result.end(), w.params().begin());
  }
};

// BMUF / SlowMo: the anchor z and its velocity v live here.
class SlowMoReducer : public ReducerHalf {
 public:
  SlowMoReducer(std::span<const float> x0_slice, double beta)
      : beta_(static_cast<float>(beta)),
        anchor_(x0_slice.begin(), x0_slice.end()),
        velocity_(x0_slice.size(), 0.0f) {}

  void Combine(std::span<const std::span<const float>> taken, float lr,
               std::span<float> out) override {
    train::MeanOf(taken, out);  // xbar
    train::SlowMoUpdate(anchor_, out, velocity_, beta_, lr, first_);
    first_ = false;
    std::copy(anchor_.begin(), anchor_.end(), out.begin());
  }
  HalfState Save() const override { return {first_, {anchor_, velocity_}}; }
  void Restore(const HalfState& s) override {
    CheckHalfState(s, {anchor_.size(), anchor_.size()}, "SlowMo reducer");
    first_ = s.first;
    anchor_ = s.arrays[0];
    velocity_ = s.arrays[1];
  }

 private:
  float beta_;
  bool first_ = true;
  std::vector<float> anchor_;    // z
  std::vector<float> velocity_;  // v
};

}  // namespace

const Algorithm& LocalSgd() {
  static const Algorithm a{
      .name = "local_sgd",
      .summary = "Local SGD: tau local steps, then a blocking average (beta > 0: BMUF/SlowMo)",
      .traits = {.flow = Flow::kBlocking, .has_anchor = false, .exchanges_gradients = false},
      .make_worker = [](const WorkerSetup&) -> std::unique_ptr<WorkerHalf> {
        return std::make_unique<LocalSgdWorker>();
      },
      .make_reducer = [](const ReducerSetup& s) -> std::unique_ptr<ReducerHalf> {
        if (s.spec.algorithm.beta > 0) {
          return std::make_unique<SlowMoReducer>(s.x0_slice, s.spec.algorithm.beta);
        }
        return MakeMeanReducer(s);
      },
      .check = CheckAlphaBelowOne,
  };
  return a;
}

}  // namespace olsgd::actors
