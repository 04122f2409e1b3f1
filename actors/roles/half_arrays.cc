#include "actors/roles/half_arrays.h"

#include <stdexcept>
#include <string>

namespace olsgd::actors {

void HalfToArrays(const HalfState& s, std::vector<rt::Tensor>& arrays, size_t first_slot) {
  if (s.arrays.size() > kHalfArrays || first_slot + s.arrays.size() > arrays.size()) {
    throw std::logic_error("an algorithm half saved " + std::to_string(s.arrays.size()) +
                           " arrays; a checkpoint part holds " + std::to_string(kHalfArrays));
  }
  for (size_t i = 0; i < s.arrays.size(); ++i) {
    arrays[first_slot + i] = rt::Tensor::CopyOf(s.arrays[i]);
  }
}

HalfState HalfFromArrays(const std::vector<rt::Tensor>& arrays, size_t first_slot, bool first) {
  HalfState s{first, {}};
  size_t used = 0;
  for (size_t i = 0; i < kHalfArrays && first_slot + i < arrays.size(); ++i) {
    if (arrays[first_slot + i].size() > 0) used = i + 1;
  }
  for (size_t i = 0; i < used; ++i) {
    const auto f = std::as_const(arrays[first_slot + i]).floats();
    s.arrays.emplace_back(f.begin(), f.end());
  }
  return s;
}

}  // namespace olsgd::actors
