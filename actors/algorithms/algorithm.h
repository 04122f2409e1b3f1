// The five training algorithms by name, and the properties of each that decide
// how trainers and reducers behave (docs: ALGORITHMS.md).
#ifndef OLSGD_ACTORS_ALGORITHMS_ALGORITHM_H_
#define OLSGD_ACTORS_ALGORITHMS_ALGORITHM_H_

#include <optional>
#include <string>
#include <string_view>

namespace olsgd::actors {

enum class AlgorithmKind { kSyncSgd, kLocalSgd, kOverlapLocalSgd, kEasgd, kCocodSgd };

// How a reducer combines the m contributions of one round.
enum class ReduceOp {
  kMean,    // z = mean_i c_i
  kSum,     // z = sum_i c_i (elastic averaging)
  kSlowMo,  // xbar = mean_i c_i; v <- beta v + (z - xbar)/lr; z <- z - lr v
};

// Parses a config name such as "overlap_local_sgd"; nullopt if unknown.
std::optional<AlgorithmKind> ParseAlgorithm(std::string_view name);
std::string_view AlgorithmName(AlgorithmKind kind);

// True when the boundary does not wait for the current round's average: the
// worker waits only for the result of the previous round's averaging.
bool IsOverlapped(AlgorithmKind kind);
// True when the algorithm has an anchor model worth evaluating on its own.
bool HasAnchor(AlgorithmKind kind);
ReduceOp ReduceOpFor(AlgorithmKind kind, double beta);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ALGORITHMS_ALGORITHM_H_
