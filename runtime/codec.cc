#include "runtime/codec.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace olsgd::rt::detail {

bool IsKnownType(uint8_t t) {
  switch (static_cast<MsgType>(t)) {
    case MsgType::kTell:
    case MsgType::kCall:
    case MsgType::kReply:
    case MsgType::kReplyError:
    case MsgType::kSpawn:
    case MsgType::kJoin:
    case MsgType::kNodeTable:
    case MsgType::kRegisterName:
    case MsgType::kUnregisterName:
    case MsgType::kLookup:
    case MsgType::kLeave:
    case MsgType::kLinkRules:
    case MsgType::kHeartbeat:
      return true;
  }
  return false;
}

const char* MsgTypeName(MsgType t) {
  switch (t) {
    case MsgType::kTell: return "tell";
    case MsgType::kCall: return "call";
    case MsgType::kReply: return "reply";
    case MsgType::kReplyError: return "reply_error";
    case MsgType::kSpawn: return "spawn";
    case MsgType::kJoin: return "join";
    case MsgType::kNodeTable: return "node_table";
    case MsgType::kRegisterName: return "register_name";
    case MsgType::kUnregisterName: return "unregister_name";
    case MsgType::kLookup: return "lookup";
    case MsgType::kLeave: return "leave";
    case MsgType::kLinkRules: return "link_rules";
    case MsgType::kHeartbeat: return "heartbeat";
  }
  return "unknown";
}

namespace {
struct ScratchSlot {
  msgpack::sbuffer buf{256};
  bool busy = false;
};
ScratchSlot& ThreadScratch() {
  thread_local ScratchSlot slot;
  return slot;
}
}  // namespace

ScratchBuffer::ScratchBuffer() {
  ScratchSlot& s = ThreadScratch();
  owned_ = s.busy;
  if (owned_) {
    buf_ = new msgpack::sbuffer(256);
  } else {
    s.busy = true;
    s.buf.clear();
    buf_ = &s.buf;
  }
}

ScratchBuffer::~ScratchBuffer() {
  if (owned_) {
    delete buf_;
    return;
  }
  ScratchSlot& s = ThreadScratch();
  if (s.buf.size() > 64 * 1024) s.buf = msgpack::sbuffer(256);
  s.busy = false;
}

void FrameBudget::Release(int64_t n) {
  in_flight.fetch_sub(n, std::memory_order_acq_rel);
  { std::lock_guard lock(mu); }
  cv.notify_all();
}

namespace {

// Frames at least this big go zero-copy; smaller ones are copied (libzmq
// copies messages under 33 bytes anyway, and a copy is cheaper than the
// bookkeeping for small frames).
constexpr size_t kZeroCopyMin = 8192;

struct TensorFrameHint {
  TensorStorage* storage;
  std::shared_ptr<FrameBudget> budget;
  int64_t bytes;
};

void FreeTensorFrame(void*, void* hint) {
  auto* h = static_cast<TensorFrameHint*>(hint);
  Release(h->storage);
  if (h->budget) h->budget->Release(h->bytes);
  delete h;
}

struct BufferFrameHint {
  std::shared_ptr<FrameBudget> budget;
  int64_t bytes;
};

void FreeBufferFrame(void* data, void* hint) {
  auto* h = static_cast<BufferFrameHint*>(hint);
  std::free(data);
  if (h->budget) h->budget->Release(h->bytes);
  delete h;
}

}  // namespace

std::vector<zmq::message_t> EncodeMessage(const WireHeader& h, const msgpack::sbuffer& body,
                                          const std::vector<Tensor>& tensors,
                                          const std::shared_ptr<FrameBudget>& budget) {
  // The header fields go into a per-thread scratch buffer (nothing here
  // re-enters), then header and body are copied once into the frame: one
  // allocation per small message instead of a buffer plus the frame.
  thread_local msgpack::sbuffer head(256);
  head.clear();
  msgpack::packer<msgpack::sbuffer> p(head);
  p.pack_array(9);
  p.pack_uint8(kWireVersion);
  p.pack_uint8(static_cast<uint8_t>(h.type));
  p.pack_uint32(h.src_node);
  p.pack_uint64(h.src.value);
  p.pack_uint64(h.dst.value);
  p.pack_str(static_cast<uint32_t>(h.method.size()));
  p.pack_str_body(h.method.data(), static_cast<uint32_t>(h.method.size()));
  p.pack_uint64(h.request_id);
  p.pack_array(static_cast<uint32_t>(tensors.size()));
  for (const auto& t : tensors) p.pack_uint64(t.size_bytes());
  if (body.size() == 0) p.pack_nil();
  const size_t n = head.size() + body.size();

  std::vector<zmq::message_t> frames;
  frames.reserve(1 + tensors.size());
  if (n >= kZeroCopyMin) {
    char* data = static_cast<char*>(std::malloc(n));
    if (!data) throw std::bad_alloc();
    std::memcpy(data, head.data(), head.size());
    if (body.size() > 0) std::memcpy(data + head.size(), body.data(), body.size());
    auto* hint = new BufferFrameHint{budget, static_cast<int64_t>(n)};
    if (budget) budget->in_flight.fetch_add(hint->bytes, std::memory_order_acq_rel);
    frames.emplace_back(data, n, &FreeBufferFrame, hint);
  } else {
    zmq::message_t f(n);
    char* data = static_cast<char*>(f.data());
    std::memcpy(data, head.data(), head.size());
    if (body.size() > 0) std::memcpy(data + head.size(), body.data(), body.size());
    frames.push_back(std::move(f));
  }
  if (head.size() > 64 * 1024) head = msgpack::sbuffer(256);  // a huge method list: don't keep it
  for (const auto& t : tensors) {
    if (t.size_bytes() == 0) {
      frames.emplace_back();
      continue;
    }
    auto* hint = new TensorFrameHint{t.RetainStorage(), budget, static_cast<int64_t>(t.size_bytes())};
    if (budget) budget->in_flight.fetch_add(hint->bytes, std::memory_order_acq_rel);
    frames.emplace_back(const_cast<float*>(t.data()), t.size_bytes(), &FreeTensorFrame, hint);
  }
  return frames;
}

namespace {

void DeleteZmqMessage(void* owner) { delete static_cast<zmq::message_t*>(owner); }

Error Bad(const std::string& what) { return Error{ErrorCode::kDecode, "malformed message: " + what}; }

bool AsU64(const msgpack::object& o, uint64_t* out) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) return false;
  *out = o.via.u64;
  return true;
}

// Frame 0 and the zone its decoded objects live in. The zone starts at a
// size fitted to the frame rather than msgpack's default 8 KiB chunk (an
// 8 KiB malloc per message, freed on another thread, was the largest cost
// of receiving small messages), and strings, binaries and ext values point
// into the frame instead of being copied: the frame lives as long as the zone.
struct Frame0 {
  explicit Frame0(size_t zone_chunk) : zone(zone_chunk) {}
  zmq::message_t frame;
  msgpack::zone zone;
};

constexpr int kMaxDepth = 32;

// msgpack::unpack allocates a container's elements when it reads the count,
// before it knows whether the data holds them (and its zone rounds the chunk
// up to a power of two), so five bytes declaring 2^32 map entries reserve
// gigabytes. This pass parses without allocating and accepts only a frame
// that is exactly one object, nested at most kMaxDepth deep, whose
// containers declare at most as many elements as the frame has bytes in
// total (every element takes a byte). Unpacking then allocates in proportion
// to what the frame really holds.
class HeaderPrecheck : public msgpack::null_visitor {
 public:
  explicit HeaderPrecheck(uint64_t bytes) : budget_(bytes) {}
  bool start_array(uint32_t n) { return Open(n); }
  bool end_array() { return Close(); }
  bool start_map(uint32_t n) { return Open(2 * static_cast<uint64_t>(n)); }
  bool end_map() { return Close(); }
  bool too_big() const { return too_big_; }

 private:
  bool Open(uint64_t n) {
    if (n > budget_ || ++depth_ > kMaxDepth) {
      too_big_ = true;
      return false;
    }
    budget_ -= n;
    return true;
  }
  bool Close() {
    --depth_;
    return true;
  }
  uint64_t budget_;
  int depth_ = 0;
  bool too_big_ = false;
};

size_t ZoneChunkFor(size_t frame_size) {
  // A header is 9 objects and an array of tensor sizes; a body rarely has
  // more objects than bytes/4. The zone grows by itself when it needs more.
  constexpr size_t kMin = 256, kMax = 8192;
  return std::min(kMax, std::max(kMin, frame_size * 4));
}

bool ReferenceFrame(msgpack::type::object_type, size_t, void*) { return true; }

}  // namespace

Result<WireMessage> DecodeMessage(std::vector<zmq::message_t>&& frames) {
  if (frames.empty()) return Bad("no frames");
  size_t size = frames[0].size();
  if (size == 0) return Bad("empty header frame");
  auto f0 = std::make_shared<Frame0>(ZoneChunkFor(size));
  f0->frame = std::move(frames[0]);
  const char* data = static_cast<const char*>(f0->frame.data());
  // Every element needs at least one byte, so no count in a valid header can
  // exceed the frame size; the precheck and the limits stop huge allocations
  // on bad input.
  msgpack::unpack_limit limit(size, size, size, size, size, kMaxDepth);
  msgpack::object o;
  try {
    HeaderPrecheck check(size);
    size_t off = 0;
    if (!msgpack::parse(data, size, off, check)) {
      return Bad(check.too_big() ? "header declares more elements than it has bytes, or nests too deep"
                                 : "header is not msgpack");
    }
    if (off != size) return Bad("trailing bytes after header");
    off = 0;
    o = msgpack::unpack(f0->zone, data, size, off, &ReferenceFrame, nullptr, limit);
    if (off != size) return Bad("trailing bytes after header");
  } catch (const std::exception& e) {
    return Bad(std::string("header is not msgpack: ") + e.what());
  }
  if (o.type != msgpack::type::ARRAY || o.via.array.size != 9) return Bad("header is not a 9-element array");
  const msgpack::object* a = o.via.array.ptr;
  uint64_t version, type, src_node, src, dst, req;
  if (!AsU64(a[0], &version) || version != kWireVersion) return Bad("unsupported version");
  if (!AsU64(a[1], &type) || type > 255 || !IsKnownType(static_cast<uint8_t>(type))) {
    return Bad("unknown message type");
  }
  if (!AsU64(a[2], &src_node) || src_node > 0xffffffffull) return Bad("bad source node");
  if (!AsU64(a[3], &src) || !AsU64(a[4], &dst)) return Bad("bad actor ids");
  if (a[5].type != msgpack::type::STR) return Bad("method is not a string");
  if (!AsU64(a[6], &req)) return Bad("bad request id");
  if (a[7].type != msgpack::type::ARRAY) return Bad("tensor sizes are not an array");
  const auto& sizes = a[7].via.array;
  if (frames.size() != 1 + static_cast<size_t>(sizes.size)) {
    return Bad("header lists " + std::to_string(sizes.size) + " tensor frames, message has " +
               std::to_string(frames.size() - 1));
  }
  WireMessage m;
  m.type = static_cast<MsgType>(type);
  m.src_node = static_cast<NodeId>(src_node);
  m.src = ActorId(src);
  m.dst = ActorId(dst);
  m.method.assign(a[5].via.str.ptr, a[5].via.str.size);
  m.request_id = req;
  m.body = a[8];
  m.wire_bytes = size;
  m.tensors.reserve(sizes.size);
  for (uint32_t i = 0; i < sizes.size; ++i) {
    uint64_t n;
    if (!AsU64(sizes.ptr[i], &n)) return Bad("tensor size is not an unsigned integer");
    zmq::message_t& f = frames[1 + i];
    if (f.size() != n) {
      return Bad("tensor frame " + std::to_string(i) + " has " + std::to_string(f.size()) + " bytes, header says " +
                 std::to_string(n));
    }
    if (n % sizeof(float) != 0) return Bad("tensor frame size is not a multiple of 4");
    m.wire_bytes += n;
    if (n == 0) {
      m.tensors.emplace_back();
      continue;
    }
    if (reinterpret_cast<uintptr_t>(f.data()) % alignof(float) != 0) {
      m.tensors.push_back(Tensor::CopyOf({static_cast<const float*>(f.data()), n / sizeof(float)}));
      continue;
    }
    auto* owned = new zmq::message_t(std::move(f));
    m.tensors.push_back(Tensor::Adopt(static_cast<float*>(owned->data()), n / sizeof(float), &DeleteZmqMessage, owned));
  }
  m.keepalive = std::move(f0);
  return m;
}

}  // namespace olsgd::rt::detail
