// The decode path of a received message, without sockets: shared by the
// libFuzzer target (tests/fuzz/message_decoder_fuzz.cc) and the GoogleTest
// that replays the corpus and hand-made malformed inputs
// (tests/runtime/wire_decoder_test.cc).
//
// Input format (so the fuzzer can explore multi-frame messages):
//   byte 0: flags; bit 0 = hand the frames to the decoder at an odd address
//           (zero-copy frames over a misaligned buffer, as a network buffer
//           could be)
//   then frames, each: u32 little-endian length L, then L bytes (a length
//           past the end takes the rest). At most kMaxFrames frames.
#ifndef OLSGD_TESTS_FUZZ_WIRE_FUZZ_DRIVER_H_
#define OLSGD_TESTS_FUZZ_WIRE_FUZZ_DRIVER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "runtime/codec.h"

namespace olsgd::rt::fuzz {

inline constexpr size_t kMaxFrames = 1024;
inline constexpr uint8_t kFlagMisaligned = 1;

// Splits a fuzz input into frames (see the format above).
std::vector<zmq::message_t> SplitFrames(const uint8_t* data, size_t size);
// The inverse: one fuzz input holding `frames`.
std::string JoinFrames(const std::vector<zmq::message_t>& frames, uint8_t flags = 0);

struct Outcome {
  bool decoded = false;
  std::string error;  // the decoder's message when !decoded
};

// Decodes the frames like the transport's I/O thread does. If the message
// decodes, it then checks that re-encoding gives the same message, and runs
// what the runtime does next with it (method dispatch through a MethodTable
// with argument unpacking and reply packing, or the system message's body
// conversion), catching std::exception like the runtime does. Anything else
// -- a crash, an abort, a sanitizer report, a broken round trip -- is a bug.
Outcome RunFrames(std::vector<zmq::message_t>&& frames);
Outcome RunInput(const uint8_t* data, size_t size);

// Valid messages of every type made by the real encoder, as fuzz inputs.
std::vector<std::pair<std::string, std::string>> SeedInputs();  // (name, input)

}  // namespace olsgd::rt::fuzz

#endif  // OLSGD_TESTS_FUZZ_WIRE_FUZZ_DRIVER_H_
