#pragma once

#include <cstdint>

namespace olsgd::train::bench {

// How many times operator new has been called in this process so far. The
// bench replaces the global operator new (alloc_counter.cc) to count the
// allocations a training step makes once warmed up; the C++ containers of
// the trainer and of oneDNN all allocate through it.
int64_t NewCalls();

}  // namespace olsgd::train::bench
