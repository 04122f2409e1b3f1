#include "actors/algorithms/half_state.h"

#include <stdexcept>
#include <string>

#include "actors/spec/format_number.h"
#include "trainer/algorithms.h"

namespace olsgd::actors {

void CheckHalfState(const HalfState& s, const std::vector<size_t>& expected, const char* who) {
  bool ok = s.arrays.size() == expected.size();
  for (size_t i = 0; ok && i < expected.size(); ++i) ok = s.arrays[i].size() == expected[i];
  if (ok) return;
  std::string got, want;
  for (const auto& a : s.arrays) got += (got.empty() ? "" : ", ") + std::to_string(a.size());
  for (size_t n : expected) want += (want.empty() ? "" : ", ") + std::to_string(n);
  throw std::invalid_argument(std::string(who) + " state: arrays of [" + got +
                              "] floats, expected [" + want + "]");
}

void MeanReducer::Combine(std::span<const std::span<const float>> taken, float,
                          std::span<float> out) {
  train::MeanOf(taken, out);
}

std::unique_ptr<ReducerHalf> MakeMeanReducer(const ReducerSetup&) {
  return std::make_unique<MeanReducer>();
}

std::optional<AlgorithmConfigError> NoExtraChecks(const ExperimentSpec&) { return std::nullopt; }

std::optional<AlgorithmConfigError> CheckAlphaBelowOne(const ExperimentSpec& spec) {
  const double a = spec.algorithm.alpha;
  if (a >= 0 && a < 1) return std::nullopt;
  return AlgorithmConfigError{"algorithm.alpha",
                              "algorithm.alpha must be in [0, 1), got " + FormatNumber(a)};
}

}  // namespace olsgd::actors
