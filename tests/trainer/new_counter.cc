// Counting replacements of the global operator new/delete, in their own
// translation unit: where GCC can inline them into a caller it warns that
// free() meets a pointer from operator new (-Wmismatched-new-delete).
#include "tests/trainer/new_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> new_calls{0};
}  // namespace

namespace olsgd::train::testing_support {
long NewCalls() { return new_calls.load(std::memory_order_relaxed); }
}  // namespace olsgd::train::testing_support

void* operator new(std::size_t n) {
  new_calls.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
