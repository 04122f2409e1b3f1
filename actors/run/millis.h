// Seconds from a config or a flag (a double) as the milliseconds the runtime
// takes, rounded to the nearest one.
#ifndef OLSGD_ACTORS_RUN_MILLIS_H_
#define OLSGD_ACTORS_RUN_MILLIS_H_

#include <chrono>
#include <cmath>
#include <cstdint>

namespace olsgd::actors {

inline std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000.0)));
}

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_MILLIS_H_
