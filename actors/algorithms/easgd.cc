// Elastic averaging (docs/ALGORITHMS.md, "easgd"), overlapped like
// Overlap-Local-SGD. At the boundary: x <- (1 - alpha) x + alpha z_r; the
// contribution is c = b z_r + a x with a = alpha / (1 - alpha) and
// b = 1/m - alpha - alpha^2 / (1 - alpha); the reducer sums them, so
// z_{r+1} = z_r + alpha sum_i (x_i_before_pull - z_r), one round stale.
#include "actors/algorithms/algorithm.h"
#include "actors/algorithms/half_state.h"
#include "actors/spec/format_number.h"
#include "trainer/algorithms.h"

namespace olsgd::actors {
namespace {

class EasgdWorker : public WorkerHalf {
 public:
  EasgdWorker(double alpha, int workers) : alpha_(static_cast<float>(alpha)), workers_(workers) {}

  void Boundary(WorkerModel& w, std::span<const float> z, float, std::span<float> c) override {
    const std::span<float> x = w.params();
    train::PullBack(x, z, alpha_);
    train::ElasticContribution(x, z, alpha_, workers_, c);
    first_ = false;
  }
  HalfState Save() const override { return {first_, {}}; }
  void Restore(const HalfState& s) override {
    CheckHalfState(s, {}, "easgd worker");
    first_ = s.first;
  }

 private:
  float alpha_;
  int workers_;
  bool first_ = true;
};

// z_{r+1} = sum_i c_i.
class SumReducer : public ReducerHalf {
 public:
  void Combine(std::span<const std::span<const float>> taken, float,
               std::span<float> out) override {
    train::SumOf(taken, out);
  }
};

std::optional<AlgorithmConfigError> CheckEasgd(const ExperimentSpec& s) {
  const double alpha = s.algorithm.alpha;
  const int m = s.cluster.workers;
  if (!(alpha > 0 && alpha < 1)) {
    return AlgorithmConfigError{"algorithm.alpha",
                                "algorithm.alpha must be in (0, 1), got " + FormatNumber(alpha)};
  }
  if (alpha * m >= 1) {
    return AlgorithmConfigError{"algorithm.alpha",
                                "algorithm.alpha must be below 1/m = " + FormatNumber(1.0 / m) +
                                    " for easgd with " + std::to_string(m) + " workers, got " +
                                    FormatNumber(alpha)};
  }
  if (s.cluster.on_failure == OnFailure::kContinue) {
    // The elastic term alpha is sized for m workers, while the reducer sums
    // only the live ones: with m' < m the anchor would shrink by m'/m every
    // round. Rejected rather than silently wrong.
    return AlgorithmConfigError{
        "cluster.on_failure",
        "cluster.on_failure: continue is not supported by easgd (its anchor sums all m "
        "workers' elastic terms; without the lost ones it would shrink every round); use abort"};
  }
  return std::nullopt;
}

}  // namespace

const Algorithm& Easgd() {
  static const Algorithm a{
      .name = "easgd",
      .summary = "elastic averaging, overlapped: the anchor is an elastic centre (alpha < 1/m)",
      .traits = {.flow = Flow::kOverlapped, .has_anchor = true, .exchanges_gradients = false},
      .make_worker = [](const WorkerSetup& s) -> std::unique_ptr<WorkerHalf> {
        return std::make_unique<EasgdWorker>(s.spec.algorithm.alpha, s.spec.cluster.workers);
      },
      .make_reducer = [](const ReducerSetup&) -> std::unique_ptr<ReducerHalf> {
        return std::make_unique<SumReducer>();
      },
      .check = CheckEasgd,
  };
  return a;
}

}  // namespace olsgd::actors
