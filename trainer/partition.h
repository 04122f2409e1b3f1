#pragma once

#include <cstdint>
#include <vector>

#include "trainer/dataset.h"

namespace olsgd::train {

// Every partitioner returns `workers` shards of sample indices, each sorted
// ascending; every sample of the dataset is in exactly one shard.

// IID: a seeded shuffle cut into near-equal shards (sizes differ by at most 1).
std::vector<std::vector<int64_t>> PartitionIid(const Dataset& data, int workers, uint64_t seed);

// Non-IID: for each label, worker shares p ~ Dirichlet(alpha, ..., alpha) and
// that label's (shuffled) samples are cut at the rounded cumulative shares, so
// each sample goes to exactly one worker (unlike the authors' code, which gave
// boundary samples to two). A worker left with no sample at all takes one from
// the largest shard, so every shard can produce batches.
std::vector<std::vector<int64_t>> PartitionDirichlet(const Dataset& data, int workers, double alpha,
                                                     uint64_t seed);

// Pathological non-IID: samples sorted by label (stable) and cut into
// contiguous near-equal shards, so each worker sees only a few labels.
std::vector<std::vector<int64_t>> PartitionLabelSorted(const Dataset& data, int workers);

}  // namespace olsgd::train
