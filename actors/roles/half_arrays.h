// An algorithm half's state (HalfState) in the float arrays of a checkpoint
// part: its arrays go into kHalfArrays consecutive slots, unused ones empty.
#ifndef OLSGD_ACTORS_ROLES_HALF_ARRAYS_H_
#define OLSGD_ACTORS_ROLES_HALF_ARRAYS_H_

#include <vector>

#include "actors/algorithms/algorithm.h"
#include "runtime/tensor.h"

namespace olsgd::actors {

// Writes s.arrays into arrays[first_slot ...]. REQUIRES: arrays has room.
void HalfToArrays(const HalfState& s, std::vector<rt::Tensor>& arrays, size_t first_slot);
// The state in arrays[first_slot, first_slot + kHalfArrays), up to the last
// non-empty one, with `first`.
HalfState HalfFromArrays(const std::vector<rt::Tensor>& arrays, size_t first_slot, bool first);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ROLES_HALF_ARRAYS_H_
