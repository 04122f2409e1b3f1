#include "runtime/codec.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "runtime/msgpack_reader.h"

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
    case MsgType::kTell:
      return "tell";
    case MsgType::kCall:
      return "call";
    case MsgType::kReply:
      return "reply";
    case MsgType::kReplyError:
      return "reply_error";
    case MsgType::kSpawn:
      return "spawn";
    case MsgType::kJoin:
      return "join";
    case MsgType::kNodeTable:
      return "node_table";
    case MsgType::kRegisterName:
      return "register_name";
    case MsgType::kUnregisterName:
      return "unregister_name";
    case MsgType::kLookup:
      return "lookup";
    case MsgType::kLeave:
      return "leave";
    case MsgType::kLinkRules:
      return "link_rules";
    case MsgType::kHeartbeat:
      return "heartbeat";
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

namespace {

// The header in MessagePack's compact forms (the bytes msgpack-c's packer
// writes), sized first and then written straight into the frame.

// One compact prefix kind: values below `fix_limit` are a single byte
// `fix_tag | v`; larger ones take the smallest of the sized forms, whose
// tags follow for 1, 2, 4 and 8 bytes of big-endian value (0: no such form).
struct Compact {
  uint64_t fix_limit;
  unsigned char fix_tag;
  unsigned char sized[4];
};
constexpr Compact kUint{128, 0x00, {0xcc, 0xcd, 0xce, 0xcf}};
constexpr Compact kStr{32, 0xa0, {0xd9, 0xda, 0xdb, 0}};
constexpr Compact kArray{16, 0x90, {0, 0xdc, 0xdd, 0}};

// The index (0-3: 1, 2, 4, 8 bytes) of the sized form `v` needs, or -1 for
// the fix form.
int SizedForm(const Compact& c, uint64_t v) {
  if (v < c.fix_limit) return -1;
  const uint64_t limits[3] = {0xff, 0xffff, 0xffffffffull};
  int i = 0;
  while (i < 3 && (c.sized[i] == 0 || v > limits[i])) ++i;
  return i;
}
size_t CompactSize(const Compact& c, uint64_t v) {
  const int i = SizedForm(c, v);
  return i < 0 ? 1 : 1 + (size_t{1} << i);
}
char* PutCompact(char* p, const Compact& c, uint64_t v) {
  const int i = SizedForm(c, v);
  if (i < 0) {
    *p++ = static_cast<char>(c.fix_tag | v);
    return p;
  }
  *p++ = static_cast<char>(c.sized[i]);
  for (int b = (1 << i) - 1; b >= 0; --b) *p++ = static_cast<char>(v >> (8 * b));
  return p;
}
size_t UintSize(uint64_t v) { return CompactSize(kUint, v); }
char* PutUint(char* p, uint64_t v) { return PutCompact(p, kUint, v); }

size_t HeaderSize(const WireHeader& h, const std::vector<Tensor>& tensors, bool nil_body) {
  size_t n = 1 + UintSize(kWireVersion) + UintSize(static_cast<uint8_t>(h.type)) +
             UintSize(h.src_node) + UintSize(h.src.value) + UintSize(h.dst.value) +
             CompactSize(kStr, h.method.size()) + h.method.size() + UintSize(h.request_id) +
             CompactSize(kArray, tensors.size());
  for (const auto& t : tensors) n += UintSize(t.size_bytes());
  return n + (nil_body ? 1 : 0);
}

// [version, type, src_node, src, dst, method, request_id, [sizes...], (nil)
char* WriteHeader(char* p, const WireHeader& h, const std::vector<Tensor>& tensors, bool nil_body) {
  p = PutCompact(p, kArray, 9);
  p = PutUint(p, kWireVersion);
  p = PutUint(p, static_cast<uint8_t>(h.type));
  p = PutUint(p, h.src_node);
  p = PutUint(p, h.src.value);
  p = PutUint(p, h.dst.value);
  p = PutCompact(p, kStr, h.method.size());
  if (!h.method.empty()) std::memcpy(p, h.method.data(), h.method.size());
  p += h.method.size();
  p = PutUint(p, h.request_id);
  p = PutCompact(p, kArray, tensors.size());
  for (const auto& t : tensors) p = PutUint(p, t.size_bytes());
  if (nil_body) *p++ = '\xc0';
  return p;
}

}  // namespace

void EncodeMessageInto(const WireHeader& h, const msgpack::sbuffer& body,
                       const std::vector<Tensor>& tensors,
                       const std::shared_ptr<FrameBudget>& budget,
                       std::vector<zmq::message_t>& frames) {
  // Header and body are written once, into the frame: one allocation per
  // small message.
  frames.clear();
  const bool nil_body = body.size() == 0;
  const size_t head = HeaderSize(h, tensors, nil_body);
  const size_t n = head + body.size();
  char* data;
  if (n >= kZeroCopyMin) {
    data = static_cast<char*>(std::malloc(n));
    if (!data) throw std::bad_alloc();
    auto* hint = new BufferFrameHint{budget, static_cast<int64_t>(n)};
    if (budget) budget->in_flight.fetch_add(hint->bytes, std::memory_order_acq_rel);
    frames.emplace_back(data, n, &FreeBufferFrame, hint);
  } else {
    frames.emplace_back(n);
    data = static_cast<char*>(frames.back().data());
  }
  char* end = WriteHeader(data, h, tensors, nil_body);
  if (!nil_body) std::memcpy(end, body.data(), body.size());
  for (const auto& t : tensors) {
    if (t.size_bytes() == 0) {
      frames.emplace_back();
      continue;
    }
    auto* hint =
        new TensorFrameHint{t.RetainStorage(), budget, static_cast<int64_t>(t.size_bytes())};
    if (budget) budget->in_flight.fetch_add(hint->bytes, std::memory_order_acq_rel);
    frames.emplace_back(const_cast<float*>(t.data()), t.size_bytes(), &FreeTensorFrame, hint);
  }
}

std::vector<zmq::message_t> EncodeMessage(const WireHeader& h, const msgpack::sbuffer& body,
                                          const std::vector<Tensor>& tensors,
                                          const std::shared_ptr<FrameBudget>& budget) {
  std::vector<zmq::message_t> frames;
  frames.reserve(1 + tensors.size());
  EncodeMessageInto(h, body, tensors, budget, frames);
  return frames;
}

namespace {

void DeleteZmqMessage(void* owner) { delete static_cast<zmq::message_t*>(owner); }

Error Bad(const std::string& what) {
  return Error{ErrorCode::kDecode, "malformed message: " + what};
}

bool AsU64(const msgpack::object& o, uint64_t* out) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) return false;
  *out = o.via.u64;
  return true;
}

// Frame 0 and the arena its decoded objects live in; strings, binaries and
// ext values point into the frame, which lives as long as the arena. One
// allocation per message: the arena's inline block holds a tell's objects.
struct Frame0 {
  zmq::message_t frame;
  ObjectArena arena;
};

}  // namespace

Result<WireMessage> DecodeMessage(std::vector<zmq::message_t>&& frames) {
  if (frames.empty()) return Bad("no frames");
  size_t size = frames[0].size();
  if (size == 0) return Bad("empty header frame");
  auto f0 = std::make_shared<Frame0>();
  f0->frame = std::move(frames[0]);
  const char* data = static_cast<const char*>(f0->frame.data());
  // Every element needs at least one byte, so no valid header declares more
  // elements in all than the frame has bytes: the reader checks that budget
  // before it allocates (ReadMsgpack).
  msgpack::object o;
  uint64_t budget = size;
  size_t off = 0;
  switch (ReadMsgpack(data, size, &off, &budget, f0->arena, &o)) {
    case ReadStatus::kOk:
      break;
    case ReadStatus::kTooBig:
      return Bad("header declares more elements than it has bytes, or nests too deep");
    case ReadStatus::kMalformed:
      return Bad("header is not msgpack");
  }
  if (off != size) return Bad("trailing bytes after header");
  if (o.type != msgpack::type::ARRAY || o.via.array.size != 9)
    return Bad("header is not a 9-element array");
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
      return Bad("tensor frame " + std::to_string(i) + " has " + std::to_string(f.size()) +
                 " bytes, header says " + std::to_string(n));
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
    m.tensors.push_back(Tensor::Adopt(static_cast<float*>(owned->data()), n / sizeof(float),
                                      &DeleteZmqMessage, owned));
  }
  m.keepalive = std::move(f0);
  return m;
}

}  // namespace olsgd::rt::detail
