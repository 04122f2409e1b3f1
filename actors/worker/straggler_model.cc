#include "actors/worker/straggler_model.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace olsgd::actors {

StragglerModel::StragglerModel(const std::vector<StragglerSpec>& rules, int worker, uint64_t seed)
    : rng_(seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(worker) + 1) {
  for (const StragglerSpec& rule : rules) {
    if (rule.worker == -1 || rule.worker == worker) rules_.push_back(rule);
  }
}

double StragglerModel::ExtraDelay(int64_t round, double compute_s) {
  double factor = 1.0;
  double pause_s = 0.0;
  for (const StragglerSpec& rule : rules_) {
    factor *= rule.slowdown;
    if (rule.window_from_round >= 0 && round >= rule.window_from_round &&
        (rule.window_to_round < 0 || round < rule.window_to_round)) {
      factor *= rule.window_factor;
    }
    pause_s += DrawPause(rule);
  }
  return std::max(0.0, factor - 1.0) * compute_s + pause_s;
}

std::string StragglerModel::SaveState() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void StragglerModel::RestoreState(const std::string& state) {
  std::istringstream in(state);
  std::mt19937_64 rng;
  in >> rng;
  if (in.fail()) throw std::invalid_argument("straggler model: not a generator state");
  rng_ = rng;
}

double StragglerModel::DrawPause(const StragglerSpec& rule) {
  if (rule.pause == PauseKind::kExponential && rule.pause_mean_ms > 0) {
    std::exponential_distribution<double> d(1.0 / rule.pause_mean_ms);
    return d(rng_) / 1e3;
  }
  if (rule.pause == PauseKind::kPareto && rule.pause_mean_ms > 0 && rule.pause_pareto_shape > 1) {
    // Pareto(x_m, a) has mean a x_m / (a - 1); pick x_m so the mean is pause_mean_ms.
    const double a = rule.pause_pareto_shape;
    const double x_m = rule.pause_mean_ms * (a - 1) / a;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    return x_m / std::pow(1.0 - u(rng_), 1.0 / a) / 1e3;
  }
  if (rule.pause == PauseKind::kBernoulli && rule.pause_probability > 0) {
    std::bernoulli_distribution d(rule.pause_probability);
    return d(rng_) ? rule.pause_ms / 1e3 : 0.0;
  }
  return 0.0;
}

}  // namespace olsgd::actors
