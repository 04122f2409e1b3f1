// Loads the datasets an experiment names, once per process: the trainers and
// the evaluator of an embedded cluster share one read-only copy instead of
// each decompressing and holding its own. Data only; no messages pass here.
#ifndef OLSGD_ACTORS_WORKER_DATASET_CACHE_H_
#define OLSGD_ACTORS_WORKER_DATASET_CACHE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "actors/spec/experiment_spec.h"
#include "trainer/dataset.h"

namespace olsgd::actors {

// The training or test split that `data` describes (dataset, path, subset,
// synthetic shape), cached for the life of the process. Throws
// train::DataError (naming the file) when it cannot be loaded.
std::shared_ptr<const train::Dataset> LoadSplit(const DataSpec& data, uint64_t seed,
                                                train::Split split);

// Every worker's sample indices (train::Partition of `data` over
// spec.cluster.workers), computed once per process and shared: a thousand
// trainers each partitioning the whole set took 20 ms apiece to start.
using Partitioned = std::vector<std::vector<int64_t>>;
std::shared_ptr<const Partitioned> PartitionOf(const ExperimentSpec& spec,
                                               const train::Dataset& data);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_DATASET_CACHE_H_
