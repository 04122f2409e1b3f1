// The initial model x0, one copy per process: every trainer of a run builds
// its model from the same seed, so a thousand simulated workers need not
// hold a thousand identical copies of it until their first boundary.
#ifndef OLSGD_ACTORS_WORKER_INITIAL_MODEL_CACHE_H_
#define OLSGD_ACTORS_WORKER_INITIAL_MODEL_CACHE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace olsgd::actors {

// A shared read-only copy of `params`: the one already held by another
// trainer when it is bit-for-bit the same (compared, never assumed), else a
// new one. Thread-safe.
std::shared_ptr<const std::vector<float>> SharedInitialModel(uint64_t seed,
                                                             std::span<const float> params);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_INITIAL_MODEL_CACHE_H_
