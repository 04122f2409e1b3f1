// CoCoD-SGD (docs/ALGORITHMS.md, "cocod_sgd"). Each worker keeps s_i, the
// model it contributed last (x0 at start). At the boundary of round r, with
// a_r the average of the previous contributions (a_1 = x0):
//   x <- a_r + (x - s_i);  s_i <- x;  contribute s_i.
#include "actors/algorithms/algorithm.h"
#include "actors/algorithms/half_state.h"
#include "trainer/algorithms.h"

namespace olsgd::actors {
namespace {

class CocodWorker : public WorkerHalf {
 public:
  explicit CocodWorker(std::span<const float> x0) : last_sent_(x0.begin(), x0.end()) {}

  void Boundary(WorkerModel& w, std::span<const float> average, float,
                std::span<float> c) override {
    train::CocodUpdate(w.params(), last_sent_, average);
    std::copy(last_sent_.begin(), last_sent_.end(), c.begin());
    first_ = false;
  }
  HalfState Save() const override { return {first_, {last_sent_}}; }
  void Restore(const HalfState& s) override {
    CheckHalfState(s, {last_sent_.size()}, "cocod_sgd worker");
    first_ = s.first;
    last_sent_ = s.arrays[0];
  }

 private:
  bool first_ = true;
  std::vector<float> last_sent_;  // s_i
};

}  // namespace

const Algorithm& CocodSgd() {
  static const Algorithm a{
      .name = "cocod_sgd",
      .summary = "CoCoD-SGD: the average of the last contributions plus the worker's own progress",
      .traits = {.flow = Flow::kOverlapped, .has_anchor = false, .exchanges_gradients = false},
      .make_worker = [](const WorkerSetup& s) -> std::unique_ptr<WorkerHalf> {
        return std::make_unique<CocodWorker>(s.x0);
      },
      .make_reducer = MakeMeanReducer,
      .check = CheckAlphaBelowOne,
  };
  return a;
}

}  // namespace olsgd::actors
