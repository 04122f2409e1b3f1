#pragma once

namespace olsgd::train::testing_support {

// operator new calls in this process so far (new_counter.cc replaces the
// global operator new/delete of the test binary that links it).
long NewCalls();

}  // namespace olsgd::train::testing_support
