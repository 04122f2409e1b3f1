// libFuzzer target: the runtime's message decoder (envelope and frames) and
// what the runtime does next with a decoded message. See wire_fuzz_driver.h
// for the input format; .ci/fuzz.sh builds and runs it.
#include <cstddef>
#include <cstdint>

#include "runtime/log.h"
#include "tests/fuzz/wire_fuzz_driver.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  olsgd::rt::SetLogLevel("off");  // the runtime's warnings would flood the fuzzer's output
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)olsgd::rt::fuzz::RunInput(data, size);
  return 0;
}
