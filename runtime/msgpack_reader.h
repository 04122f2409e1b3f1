// A strict one-pass MessagePack reader for the wire decoder (codec.cc).
//
// It builds msgpack::object trees, as msgpack::unpack does, but in one pass
// and without a heap allocation for small messages: container elements come
// from an ObjectArena that starts with an inline block, and strings, binaries
// and ext values point into the input (which must outlive the objects).
//
// It is meant for untrusted bytes (frames from the network, the fuzz target):
// every read is bounds-checked, containers nest at most kMaxDepth deep, and
// the element counts of all containers together may not exceed a budget (the
// caller passes the frame's size: every element takes at least one byte), so
// a few bytes declaring 2^32 entries cannot make it allocate gigabytes. The
// budget is checked before anything is allocated.
#ifndef OLSGD_RUNTIME_MSGPACK_READER_H_
#define OLSGD_RUNTIME_MSGPACK_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/msgpack_safe.h"

namespace olsgd::rt::detail {

// Memory for decoded container elements, freed all at once with the arena.
class ObjectArena {
 public:
  ObjectArena() = default;
  ObjectArena(const ObjectArena&) = delete;
  ObjectArena& operator=(const ObjectArena&) = delete;

  // Uninitialised room for `n` objects (or key/value pairs), 16-byte aligned.
  msgpack::object* Objects(size_t n) {
    return static_cast<msgpack::object*>(Allocate(n * sizeof(msgpack::object)));
  }
  msgpack::object_kv* Pairs(size_t n) {
    return static_cast<msgpack::object_kv*>(Allocate(n * sizeof(msgpack::object_kv)));
  }

 private:
  void* Allocate(size_t bytes);

  // A tell's header and arguments fit here (9 header fields plus a handful).
  static constexpr size_t kInlineBytes = 32 * sizeof(msgpack::object);
  alignas(16) unsigned char inline_[kInlineBytes];
  size_t inline_used_ = 0;
  std::vector<std::unique_ptr<unsigned char[]>> blocks_;
  unsigned char* block_ = nullptr;  // the current heap block
  size_t block_left_ = 0;
};

enum class ReadStatus {
  kOk,
  kMalformed,  // not MessagePack (a reserved byte, or it ends early)
  kTooBig,     // more elements declared than the budget, or nested too deep
};

inline constexpr int kMaxMsgpackDepth = 32;

// Reads one object starting at data[*offset], advancing *offset past it.
// `budget` is the number of container elements still allowed (decremented).
ReadStatus ReadMsgpack(const char* data, size_t size, size_t* offset, uint64_t* budget,
                       ObjectArena& arena, msgpack::object* out);

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_MSGPACK_READER_H_
