// Loads the datasets an experiment names, once per process: the trainers and
// the evaluator of an embedded cluster share one read-only copy instead of
// each decompressing and holding its own. Data only; no messages pass here.
#ifndef OLSGD_ACTORS_WORKER_DATASET_CACHE_H_
#define OLSGD_ACTORS_WORKER_DATASET_CACHE_H_

#include <memory>

#include "actors/spec/experiment_spec.h"
#include "trainer/dataset.h"

namespace olsgd::actors {

// The training or test split that `data` describes (dataset, path, subset,
// synthetic shape), cached for the life of the process. Throws
// train::DataError (naming the file) when it cannot be loaded.
std::shared_ptr<const train::Dataset> LoadSplit(const DataSpec& data, uint64_t seed,
                                                train::Split split);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_DATASET_CACHE_H_
