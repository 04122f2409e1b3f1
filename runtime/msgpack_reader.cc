#include "runtime/msgpack_reader.h"

#include <algorithm>
#include <cstring>

namespace olsgd::rt::detail {

void* ObjectArena::Allocate(size_t bytes) {
  bytes = (bytes + 15) & ~size_t{15};
  if (bytes <= kInlineBytes - inline_used_) {
    void* p = inline_ + inline_used_;
    inline_used_ += bytes;
    return p;
  }
  if (bytes > block_left_) {
    // Small arrays share 8 KiB blocks; a large one gets a block of its own
    // size, so memory stays proportional to what the input declares.
    constexpr size_t kBlock = 8192;
    const size_t cap = std::max(bytes, kBlock);
    blocks_.emplace_back(new unsigned char[cap]);
    block_ = blocks_.back().get();
    block_left_ = cap;
  }
  void* p = block_;
  block_ += bytes;
  block_left_ -= bytes;
  return p;
}

namespace {

class Reader {
 public:
  Reader(const char* data, size_t size, size_t offset, uint64_t* budget, ObjectArena& arena)
      : data_(data), size_(size), off_(offset), budget_(budget), arena_(arena) {}

  size_t offset() const { return off_; }

  ReadStatus Read(msgpack::object* out, int depth) {
    uint8_t tag;
    if (!Load(&tag)) return ReadStatus::kMalformed;
    if (tag <= 0x7f) return Unsigned(out, tag);
    if (tag >= 0xe0) return Signed(out, static_cast<int8_t>(tag));
    if ((tag & 0xf0) == 0x80) return Map(out, tag & 0x0f, depth);
    if ((tag & 0xf0) == 0x90) return Array(out, tag & 0x0f, depth);
    if ((tag & 0xe0) == 0xa0) return Str(out, tag & 0x1f);
    switch (tag) {
      case 0xc0:
        out->type = msgpack::type::NIL;
        return ReadStatus::kOk;
      case 0xc2:
      case 0xc3:
        out->type = msgpack::type::BOOLEAN;
        out->via.boolean = tag == 0xc3;
        return ReadStatus::kOk;
      case 0xc4:
        return WithLength<uint8_t>(out, &Reader::Bin);
      case 0xc5:
        return WithLength<uint16_t>(out, &Reader::Bin);
      case 0xc6:
        return WithLength<uint32_t>(out, &Reader::Bin);
      case 0xc7:
        return WithLength<uint8_t>(out, &Reader::Ext);
      case 0xc8:
        return WithLength<uint16_t>(out, &Reader::Ext);
      case 0xc9:
        return WithLength<uint32_t>(out, &Reader::Ext);
      case 0xca: {
        uint32_t bits;
        if (!Load(&bits)) return ReadStatus::kMalformed;
        float f;
        std::memcpy(&f, &bits, sizeof f);
        out->type = msgpack::type::FLOAT32;
        out->via.f64 = f;
        return ReadStatus::kOk;
      }
      case 0xcb: {
        uint64_t bits;
        if (!Load(&bits)) return ReadStatus::kMalformed;
        out->type = msgpack::type::FLOAT64;
        std::memcpy(&out->via.f64, &bits, sizeof bits);
        return ReadStatus::kOk;
      }
      case 0xcc:
        return LoadUnsigned<uint8_t>(out);
      case 0xcd:
        return LoadUnsigned<uint16_t>(out);
      case 0xce:
        return LoadUnsigned<uint32_t>(out);
      case 0xcf:
        return LoadUnsigned<uint64_t>(out);
      case 0xd0:
        return LoadSigned<uint8_t, int8_t>(out);
      case 0xd1:
        return LoadSigned<uint16_t, int16_t>(out);
      case 0xd2:
        return LoadSigned<uint32_t, int32_t>(out);
      case 0xd3:
        return LoadSigned<uint64_t, int64_t>(out);
      case 0xd4:
        return Ext(out, 1);
      case 0xd5:
        return Ext(out, 2);
      case 0xd6:
        return Ext(out, 4);
      case 0xd7:
        return Ext(out, 8);
      case 0xd8:
        return Ext(out, 16);
      case 0xd9:
        return WithLength<uint8_t>(out, &Reader::Str);
      case 0xda:
        return WithLength<uint16_t>(out, &Reader::Str);
      case 0xdb:
        return WithLength<uint32_t>(out, &Reader::Str);
      case 0xdc:
        return Container<uint16_t>(out, &Reader::Array, depth);
      case 0xdd:
        return Container<uint32_t>(out, &Reader::Array, depth);
      case 0xde:
        return Container<uint16_t>(out, &Reader::Map, depth);
      case 0xdf:
        return Container<uint32_t>(out, &Reader::Map, depth);
      default:
        return ReadStatus::kMalformed;  // 0xc1, never used
    }
  }

 private:
  // A big-endian unsigned value of sizeof(T) bytes.
  template <class T>
  bool Load(T* v) {
    if (size_ - off_ < sizeof(T)) return false;
    T raw;
    std::memcpy(&raw, data_ + off_, sizeof(T));
    off_ += sizeof(T);
    if constexpr (sizeof(T) == 1) {
      *v = raw;
    } else if constexpr (sizeof(T) == 2) {
      *v = __builtin_bswap16(raw);
    } else if constexpr (sizeof(T) == 4) {
      *v = __builtin_bswap32(raw);
    } else {
      *v = __builtin_bswap64(raw);
    }
    return true;
  }
  const char* Take(size_t n) {
    if (size_ - off_ < n) return nullptr;
    const char* p = data_ + off_;
    off_ += n;
    return p;
  }

  static ReadStatus Unsigned(msgpack::object* out, uint64_t v) {
    out->type = msgpack::type::POSITIVE_INTEGER;
    out->via.u64 = v;
    return ReadStatus::kOk;
  }
  // As msgpack-c does: a signed encoding of a value >= 0 is a positive integer.
  static ReadStatus Signed(msgpack::object* out, int64_t v) {
    if (v >= 0) return Unsigned(out, static_cast<uint64_t>(v));
    out->type = msgpack::type::NEGATIVE_INTEGER;
    out->via.i64 = v;
    return ReadStatus::kOk;
  }
  template <class T>
  ReadStatus LoadUnsigned(msgpack::object* out) {
    T v;
    if (!Load(&v)) return ReadStatus::kMalformed;
    return Unsigned(out, v);
  }
  template <class U, class S>
  ReadStatus LoadSigned(msgpack::object* out) {
    U v;
    if (!Load(&v)) return ReadStatus::kMalformed;
    return Signed(out, static_cast<S>(v));
  }
  template <class T>
  ReadStatus WithLength(msgpack::object* out,
                        ReadStatus (Reader::*read)(msgpack::object*, uint32_t)) {
    T n;
    if (!Load(&n)) return ReadStatus::kMalformed;
    return (this->*read)(out, n);
  }
  template <class T>
  ReadStatus Container(msgpack::object* out,
                       ReadStatus (Reader::*read)(msgpack::object*, uint32_t, int), int depth) {
    T n;
    if (!Load(&n)) return ReadStatus::kMalformed;
    return (this->*read)(out, n, depth);
  }

  ReadStatus Str(msgpack::object* out, uint32_t n) {
    const char* p = Take(n);
    if (!p) return ReadStatus::kMalformed;
    out->type = msgpack::type::STR;
    out->via.str.size = n;
    out->via.str.ptr = p;
    return ReadStatus::kOk;
  }
  ReadStatus Bin(msgpack::object* out, uint32_t n) {
    const char* p = Take(n);
    if (!p) return ReadStatus::kMalformed;
    out->type = msgpack::type::BIN;
    out->via.bin.size = n;
    out->via.bin.ptr = p;
    return ReadStatus::kOk;
  }
  // An ext value of `n` data bytes: its type byte, then the data; the object
  // points at the type byte, as msgpack-c's does.
  ReadStatus Ext(msgpack::object* out, uint32_t n) {
    const char* p = Take(static_cast<size_t>(n) + 1);
    if (!p) return ReadStatus::kMalformed;
    out->type = msgpack::type::EXT;
    out->via.ext.size = n;
    out->via.ext.ptr = p;
    return ReadStatus::kOk;
  }
  bool Open(uint64_t elements, int depth) {
    if (depth >= kMaxMsgpackDepth || elements > *budget_) return false;
    *budget_ -= elements;
    return true;
  }
  ReadStatus Array(msgpack::object* out, uint32_t n, int depth) {
    if (!Open(n, depth)) return ReadStatus::kTooBig;
    out->type = msgpack::type::ARRAY;
    out->via.array.size = n;
    out->via.array.ptr = n == 0 ? nullptr : arena_.Objects(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (ReadStatus s = Read(&out->via.array.ptr[i], depth + 1); s != ReadStatus::kOk) return s;
    }
    return ReadStatus::kOk;
  }
  ReadStatus Map(msgpack::object* out, uint32_t n, int depth) {
    if (!Open(2 * static_cast<uint64_t>(n), depth)) return ReadStatus::kTooBig;
    out->type = msgpack::type::MAP;
    out->via.map.size = n;
    out->via.map.ptr = n == 0 ? nullptr : arena_.Pairs(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (ReadStatus s = Read(&out->via.map.ptr[i].key, depth + 1); s != ReadStatus::kOk) return s;
      if (ReadStatus s = Read(&out->via.map.ptr[i].val, depth + 1); s != ReadStatus::kOk) return s;
    }
    return ReadStatus::kOk;
  }

  const char* data_;
  size_t size_;
  size_t off_;
  uint64_t* budget_;
  ObjectArena& arena_;
};

}  // namespace

ReadStatus ReadMsgpack(const char* data, size_t size, size_t* offset, uint64_t* budget,
                       ObjectArena& arena, msgpack::object* out) {
  if (*offset > size) return ReadStatus::kMalformed;
  Reader r(data, size, *offset, budget, arena);
  const ReadStatus s = r.Read(out, 0);
  if (s == ReadStatus::kOk) *offset = r.offset();
  return s;
}

}  // namespace olsgd::rt::detail
