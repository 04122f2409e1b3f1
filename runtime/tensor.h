// Tensor: a contiguous, refcounted float buffer with 64-bit sizes.
//
// Copying a Tensor shares the buffer (one atomic increment), so passing it to
// a local actor never copies the floats. Writing through floats() while the
// buffer is shared first detaches a private copy (copy-on-write), so a sender
// that keeps writing its buffer can never change what a receiver already got.
// Across processes a Tensor travels as its own raw ZeroMQ frame, sent without
// a copy (the frame holds a reference until libzmq has written it), and is
// received without a copy (the Tensor adopts the received frame).
#ifndef OLSGD_RUNTIME_TENSOR_H_
#define OLSGD_RUNTIME_TENSOR_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "runtime/msgpack_safe.h"

namespace olsgd::rt {

namespace detail {
// The shared buffer. `release` frees data and the Storage itself.
struct TensorStorage {
  std::atomic<int64_t> refs{1};
  float* data = nullptr;
  size_t n = 0;  // floats
  void (*release)(TensorStorage*) = nullptr;
  void* owner = nullptr;  // what `release` frees besides data (e.g. a zmq message)
};
void Retain(TensorStorage* s);
void Release(TensorStorage* s);
}  // namespace detail

class Tensor {
 public:
  // An empty tensor (size 0).
  Tensor() = default;
  Tensor(const Tensor& other);
  Tensor(Tensor&& other) noexcept : s_(other.s_) { other.s_ = nullptr; }
  Tensor& operator=(const Tensor& other);
  Tensor& operator=(Tensor&& other) noexcept;
  ~Tensor();

  // n floats, all zero.
  static Tensor Zeros(size_t n_floats);
  // n floats, contents unspecified (cheaper than Zeros when filled next).
  static Tensor Uninitialized(size_t n_floats);
  // A private copy of `values`.
  static Tensor CopyOf(std::span<const float> values);
  // Adopts an external buffer: `release(owner)` runs when the last reference goes.
  static Tensor Adopt(float* data, size_t n_floats, void (*release)(void* owner), void* owner);

  // Mutable view. Detaches a private copy first if the buffer is shared.
  std::span<float> floats();
  std::span<const float> floats() const { return {data(), size()}; }
  const float* data() const { return s_ ? s_->data : nullptr; }
  // Mutable pointer, detaching like floats().
  float* mutable_data() { return floats().data(); }

  size_t size() const { return s_ ? s_->n : 0; }
  size_t size_bytes() const { return size() * sizeof(float); }
  bool empty() const { return size() == 0; }
  // True when no other Tensor shares the buffer.
  bool unique() const;
  // How many Tensors (and in-flight frames) share the buffer; for tests.
  int64_t use_count() const;
  // A private deep copy.
  Tensor Clone() const;

  // Bit-exact comparison of contents.
  friend bool operator==(const Tensor& a, const Tensor& b);

  // For the transport: the storage, with one reference added for the caller.
  detail::TensorStorage* RetainStorage() const;

 private:
  explicit Tensor(detail::TensorStorage* s) : s_(s) {}
  detail::TensorStorage* s_ = nullptr;
};

namespace detail {
// While packing a message, tensors are moved aside into the sink (and become
// raw frames); while unpacking, they are taken from the source. Without a
// sink, a Tensor packs as msgpack bin (a copy), e.g. for files.
std::vector<Tensor>*& TensorSink();
std::vector<Tensor>*& TensorSource();
inline constexpr int8_t kTensorExtType = 0x54;  // 'T': payload is an 8-byte frame index

class TensorSinkScope {
 public:
  explicit TensorSinkScope(std::vector<Tensor>* sink) : saved_(TensorSink()) {
    TensorSink() = sink;
  }
  ~TensorSinkScope() { TensorSink() = saved_; }
  TensorSinkScope(const TensorSinkScope&) = delete;
  TensorSinkScope& operator=(const TensorSinkScope&) = delete;

 private:
  std::vector<Tensor>* saved_;
};
class TensorSourceScope {
 public:
  explicit TensorSourceScope(std::vector<Tensor>* src) : saved_(TensorSource()) {
    TensorSource() = src;
  }
  ~TensorSourceScope() { TensorSource() = saved_; }
  TensorSourceScope(const TensorSourceScope&) = delete;
  TensorSourceScope& operator=(const TensorSourceScope&) = delete;

 private:
  std::vector<Tensor>* saved_;
};
// Reads a Tensor from a msgpack object (ext index or bin); throws msgpack::type_error.
Tensor TensorFromObject(const msgpack::object& o);
}  // namespace detail

}  // namespace olsgd::rt

namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(MSGPACK_DEFAULT_API_NS) {
  namespace adaptor {
  template <>
  struct convert<olsgd::rt::Tensor> {
    const msgpack::object& operator()(const msgpack::object& o, olsgd::rt::Tensor& v) const {
      v = olsgd::rt::detail::TensorFromObject(o);
      return o;
    }
  };
  template <>
  struct pack<olsgd::rt::Tensor> {
    template <class Stream>
    msgpack::packer<Stream>& operator()(msgpack::packer<Stream>& p,
                                        const olsgd::rt::Tensor& v) const {
      if (auto* sink = olsgd::rt::detail::TensorSink()) {
        uint64_t index = sink->size();
        sink->push_back(v);
        char buf[8];
        for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(index >> (56 - 8 * i));
        p.pack_ext(8, olsgd::rt::detail::kTensorExtType);
        p.pack_ext_body(buf, 8);
      } else {
        if (v.size_bytes() > 0xffffffffull)
          throw msgpack::container_size_overflow("tensor > 4 GiB as bin");
        p.pack_bin(static_cast<uint32_t>(v.size_bytes()));
        p.pack_bin_body(reinterpret_cast<const char*>(v.data()),
                        static_cast<uint32_t>(v.size_bytes()));
      }
      return p;
    }
  };
  }  // namespace adaptor
}  // MSGPACK_API_VERSION_NAMESPACE
}  // namespace msgpack

#endif  // OLSGD_RUNTIME_TENSOR_H_
