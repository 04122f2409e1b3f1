// The wire format between nodes.
//
// A message is one ZeroMQ multipart message:
//   frame 0: msgpack array [version, type, src_node, src, dst, method,
//                           request_id, [tensor byte sizes (u64)...], body]
//   frame 1..n: one raw frame per tensor, exactly the sizes listed (64-bit).
// The body is the msgpack-packed arguments (or reply value / Error); a Tensor
// inside it is an ext value holding the index of its frame, so float arrays
// never pass through the msgpack encoder. Tensor frames are sent zero-copy
// (the frame holds a reference to the tensor until libzmq has written it) and
// received zero-copy (the Tensor adopts the frame).
#ifndef OLSGD_RUNTIME_CODEC_H_
#define OLSGD_RUNTIME_CODEC_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "runtime/error.h"
#include "runtime/ids.h"
#include "runtime/msgpack_safe.h"
#include "runtime/tensor.h"

namespace olsgd::rt::detail {

inline constexpr uint8_t kWireVersion = 1;

enum class MsgType : uint8_t {
  kTell = 1,        // actor method, no reply
  kCall = 2,        // actor method, reply expected
  kReply = 3,       // reply to a call or system request, body = value
  kReplyError = 4,  // reply, body = Error
  kSpawn = 10,  // remote spawn: body = [type, name, dedicated, restart kind, max restarts, args]
  kJoin = 11,   // worker -> head: body = NodeInfo
  kNodeTable = 12,  // head -> all: body = [NodeInfo...]
  kRegisterName = 13,
  kUnregisterName = 14,
  kLookup = 15,
  kLeave = 16,      // a node leaves (clean shutdown)
  kLinkRules = 17,  // head -> all: body = [version, [rule...], [[actor id, name]...]]
  kHeartbeat = 20,  // sign of life, body nil (any message counts)
};
bool IsKnownType(uint8_t type);
const char* MsgTypeName(MsgType type);

// A decoded message. `body` points into frame 0, which `keepalive` owns.
struct WireMessage {
  MsgType type = MsgType::kTell;
  NodeId src_node = kNoNode;
  ActorId src, dst;
  std::string method;
  uint64_t request_id = 0;
  msgpack::object body;
  std::vector<Tensor> tensors;
  std::shared_ptr<void> keepalive;
  uint64_t wire_bytes = 0;
};

struct WireHeader {
  MsgType type = MsgType::kTell;
  NodeId src_node = kNoNode;
  ActorId src, dst;
  std::string_view method;
  uint64_t request_id = 0;
};

// Counts zero-copy bytes handed to libzmq and not yet released by it (the
// outgoing budget of one peer). Frames hold a shared reference.
struct FrameBudget {
  std::atomic<int64_t> in_flight{0};
  std::mutex mu;
  std::condition_variable cv;
  void Release(int64_t n);
};

// A per-thread buffer to pack one outgoing body into, reused from send to
// send so a tell costs no buffer allocation. Nested use on one thread gets
// a fresh buffer; a buffer that grew past 64 KiB is not kept.
class ScratchBuffer {
 public:
  ScratchBuffer();
  ~ScratchBuffer();
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;
  msgpack::sbuffer& get() { return *buf_; }

 private:
  msgpack::sbuffer* buf_;
  bool owned_;
};

// Builds the frames of a message. `body` must be one packed msgpack object.
// Tensor frames (and a large frame 0) are zero-copy and charged to `budget`
// (may be null) until libzmq frees them.
std::vector<zmq::message_t> EncodeMessage(const WireHeader& h, const msgpack::sbuffer& body,
                                          const std::vector<Tensor>& tensors,
                                          const std::shared_ptr<FrameBudget>& budget);
// The same into `frames` (cleared first), so a sender can reuse the vector.
void EncodeMessageInto(const WireHeader& h, const msgpack::sbuffer& body,
                       const std::vector<Tensor>& tensors,
                       const std::shared_ptr<FrameBudget>& budget,
                       std::vector<zmq::message_t>& frames);

// Checks and decodes a message (without a ROUTER identity frame). Malformed
// input -- bad msgpack, wrong field types, unknown type or version, frame
// count or sizes that differ from the header -- returns Error{kDecode};
// never throws, never aborts. Safe to call on arbitrary bytes (fuzzing).
Result<WireMessage> DecodeMessage(std::vector<zmq::message_t>&& frames);

}  // namespace olsgd::rt::detail

namespace olsgd::rt {
// The decoder, for the fuzz target and tests.
using detail::DecodeMessage;
}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_CODEC_H_
