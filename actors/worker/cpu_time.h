// The calling thread's CPU time: what a computation costs in virtual time
// with time.compute: measured (docs/TIME.md). While no more threads compute
// than there are cores it tracks the work done, not the host's load.
#ifndef OLSGD_ACTORS_WORKER_CPU_TIME_H_
#define OLSGD_ACTORS_WORKER_CPU_TIME_H_

#include <time.h>

namespace olsgd::actors {

inline double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_CPU_TIME_H_
