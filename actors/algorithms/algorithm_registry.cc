#include "actors/algorithms/algorithm.h"

#include <array>
#include <utility>

namespace olsgd::actors {
namespace {

constexpr std::array<std::pair<AlgorithmKind, std::string_view>, 5> kNames = {{
    {AlgorithmKind::kSyncSgd, "sync_sgd"},
    {AlgorithmKind::kLocalSgd, "local_sgd"},
    {AlgorithmKind::kOverlapLocalSgd, "overlap_local_sgd"},
    {AlgorithmKind::kEasgd, "easgd"},
    {AlgorithmKind::kCocodSgd, "cocod_sgd"},
}};

}  // namespace

std::optional<AlgorithmKind> ParseAlgorithm(std::string_view name) {
  for (const auto& [kind, text] : kNames) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

std::string_view AlgorithmName(AlgorithmKind kind) {
  for (const auto& [k, text] : kNames) {
    if (k == kind) return text;
  }
  return "unknown";
}

bool IsOverlapped(AlgorithmKind kind) {
  return kind == AlgorithmKind::kOverlapLocalSgd || kind == AlgorithmKind::kEasgd ||
         kind == AlgorithmKind::kCocodSgd;
}

bool HasAnchor(AlgorithmKind kind) {
  // Local SGD sets every x_i to the average at each boundary, so its anchor
  // is the mean model there; CoCoD's a_r is a plain average, not an anchor.
  return kind == AlgorithmKind::kOverlapLocalSgd || kind == AlgorithmKind::kEasgd;
}

ReduceOp ReduceOpFor(AlgorithmKind kind, double beta) {
  if (kind == AlgorithmKind::kEasgd) return ReduceOp::kSum;
  if (kind == AlgorithmKind::kLocalSgd && beta > 0) return ReduceOp::kSlowMo;
  return ReduceOp::kMean;
}

}  // namespace olsgd::actors
