// Overlap-Local-SGD (Wang, Liang, Joshi, ICASSP 2020; docs/ALGORITHMS.md).
// At the boundary of round r, with z_r the anchor averaged in the background
// during round r (z_1 = x0):
//   x <- (1 - alpha) x + alpha z_r                    (pull back)
//   c  = x                                            (beta = 0), or
//   v <- beta v + (z_r - x) / lr (first: (z_r - x) / lr);  c = z_r - lr v
// and the reducer's z_{r+1} = mean_i c_i arrives during round r + 1.
#include "actors/algorithms/algorithm.h"
#include "actors/algorithms/half_state.h"
#include "trainer/algorithms.h"

namespace olsgd::actors {
namespace {

class OverlapWorker : public WorkerHalf {
 public:
  OverlapWorker(double alpha, double beta, size_t n)
      : alpha_(static_cast<float>(alpha)), beta_(static_cast<float>(beta)) {
    if (beta_ > 0) velocity_.assign(n, 0.0f);
  }

  void Boundary(WorkerModel& w, std::span<const float> z, float lr, std::span<float> c) override {
    const std::span<float> x = w.params();
    train::PullBack(x, z, alpha_);
    if (beta_ > 0) {
      train::AnchorMomentumContribution(x, z, velocity_, beta_, lr, first_, c);
    } else {
      std::copy(x.begin(), x.end(), c.begin());
    }
    first_ = false;
  }
  HalfState Save() const override {
    HalfState s{first_, {}};
    if (beta_ > 0) s.arrays.push_back(velocity_);
    return s;
  }
  void Restore(const HalfState& s) override {
    CheckHalfState(s, beta_ > 0 ? std::vector<size_t>{velocity_.size()} : std::vector<size_t>{},
                   "overlap_local_sgd worker");
    first_ = s.first;
    if (beta_ > 0) velocity_ = s.arrays[0];
  }

 private:
  float alpha_, beta_;
  bool first_ = true;
  std::vector<float> velocity_;  // v_i, momentum variant only
};

}  // namespace

const Algorithm& OverlapLocalSgd() {
  static const Algorithm a{
      .name = "overlap_local_sgd",
      .summary =
          "Overlap-Local-SGD: pull back to an anchor averaged in the background "
          "(beta > 0: anchor momentum)",
      .traits = {.flow = Flow::kOverlapped, .has_anchor = true, .exchanges_gradients = false},
      .make_worker = [](const WorkerSetup& s) -> std::unique_ptr<WorkerHalf> {
        return std::make_unique<OverlapWorker>(s.spec.algorithm.alpha, s.spec.algorithm.beta,
                                               s.x0.size());
      },
      .make_reducer = MakeMeanReducer,
      .check = CheckAlphaBelowOne,
  };
  return a;
}

}  // namespace olsgd::actors
