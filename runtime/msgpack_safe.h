// The one way the project includes msgpack-cxx.
//
// msgpack-cxx 4.1.3 (Debian 12) packs a float or double that holds an
// integer as a msgpack integer. Its range check is `d <= double(UINT64_MAX)`,
// and double(UINT64_MAX) rounds up to 2^64, so packing exactly 2^64 runs
// `uint64_t(d)` out of range: undefined behaviour (found by the decoder
// fuzzer: a uint64 near 2^64 unpacked into a double and sent back in a reply).
// Below, the packers for the stream types the runtime uses get a
// replacement with a strict `< 2^64` check; every other value packs exactly
// as before. Every file must include msgpack through this header, so that
// the replacement is seen before any use (an explicit specialisation).
#ifndef OLSGD_RUNTIME_MSGPACK_SAFE_H_
#define OLSGD_RUNTIME_MSGPACK_SAFE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <msgpack.hpp>

namespace olsgd::rt::detail {

// A msgpack stream that only counts bytes (message size accounting).
struct CountingStream {
  uint64_t n = 0;
  void write(const char*, size_t len) { n += len; }
};

// msgpack's integral-float packing with an in-range conversion. `Real` is
// float or double; the caller writes the float form when this returns false.
template <class Packer, class Real>
bool PackIntegralReal(Packer& p, Real d) {
  constexpr Real kTwo64 = Real(18446744073709551616.0);  // 2^64, exact in float and double
  constexpr Real kTwo63 = Real(9223372036854775808.0);   // 2^63
  if (!(d == d)) return false;                           // NaN
  if (d >= 0 && d < kTwo64 && d == Real(uint64_t(d))) {
    p.pack_uint64(uint64_t(d));
    return true;
  }
  if (d < 0 && d >= -kTwo63 && d == Real(int64_t(d))) {
    p.pack_int64(int64_t(d));
    return true;
  }
  return false;
}

}  // namespace olsgd::rt::detail

namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(v1) {
#define OLSGD_SAFE_REAL_PACKERS(STREAM)                              \
  template <>                                                        \
  inline packer<STREAM>& packer<STREAM>::pack_double(double d) {     \
    if (olsgd::rt::detail::PackIntegralReal(*this, d)) return *this; \
    union {                                                          \
      double f;                                                      \
      uint64_t i;                                                    \
    } mem;                                                           \
    mem.f = d;                                                       \
    char buf[9];                                                     \
    buf[0] = static_cast<char>(0xcbu);                               \
    _msgpack_store64(&buf[1], mem.i);                                \
    append_buffer(buf, 9);                                           \
    return *this;                                                    \
  }                                                                  \
  template <>                                                        \
  inline packer<STREAM>& packer<STREAM>::pack_float(float d) {       \
    if (olsgd::rt::detail::PackIntegralReal(*this, d)) return *this; \
    union {                                                          \
      float f;                                                       \
      uint32_t i;                                                    \
    } mem;                                                           \
    mem.f = d;                                                       \
    char buf[5];                                                     \
    buf[0] = static_cast<char>(0xcau);                               \
    _msgpack_store32(&buf[1], mem.i);                                \
    append_buffer(buf, 5);                                           \
    return *this;                                                    \
  }

  OLSGD_SAFE_REAL_PACKERS(sbuffer)
  OLSGD_SAFE_REAL_PACKERS(olsgd::rt::detail::CountingStream)
#undef OLSGD_SAFE_REAL_PACKERS

}  // MSGPACK_API_VERSION_NAMESPACE(v1)
}  // namespace msgpack

#endif  // OLSGD_RUNTIME_MSGPACK_SAFE_H_
