#include "runtime/tensor.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace olsgd::rt {
namespace detail {

void Retain(TensorStorage* s) {
  if (s) s->refs.fetch_add(1, std::memory_order_relaxed);
}

void Release(TensorStorage* s) {
  if (s && s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) s->release(s);
}

namespace {

constexpr size_t kAlign = 64;

void ReleaseOwned(TensorStorage* s) {
  std::free(s->data);
  delete s;
}

TensorStorage* Allocate(size_t n) {
  auto* s = new TensorStorage;
  if (n > 0) {
    size_t bytes = (n * sizeof(float) + kAlign - 1) / kAlign * kAlign;
    s->data = static_cast<float*>(std::aligned_alloc(kAlign, bytes));
    if (!s->data) {
      delete s;
      throw std::bad_alloc();
    }
  }
  s->n = n;
  s->release = &ReleaseOwned;
  return s;
}

struct AdoptOwner {
  void (*release)(void*);
  void* owner;
};

void ReleaseAdopted(TensorStorage* s) {
  auto* a = static_cast<AdoptOwner*>(s->owner);
  a->release(a->owner);
  delete a;
  delete s;
}

}  // namespace
std::vector<Tensor>*& TensorSink() {
  thread_local std::vector<Tensor>* sink = nullptr;
  return sink;
}

std::vector<Tensor>*& TensorSource() {
  thread_local std::vector<Tensor>* source = nullptr;
  return source;
}

Tensor TensorFromObject(const msgpack::object& o) {
  if (o.type == msgpack::type::EXT) {
    if (o.via.ext.type() != kTensorExtType || o.via.ext.size != 8) throw msgpack::type_error();
    const auto* b = reinterpret_cast<const unsigned char*>(o.via.ext.data());
    uint64_t index = 0;
    for (int i = 0; i < 8; ++i) index = (index << 8) | b[i];
    std::vector<Tensor>* src = TensorSource();
    if (!src || index >= src->size()) throw msgpack::type_error();
    return (*src)[index];
  }
  if (o.type == msgpack::type::BIN) {
    if (o.via.bin.size % sizeof(float) != 0) throw msgpack::type_error();
    Tensor t = Tensor::Uninitialized(o.via.bin.size / sizeof(float));
    if (o.via.bin.size) std::memcpy(t.mutable_data(), o.via.bin.ptr, o.via.bin.size);
    return t;
  }
  throw msgpack::type_error();
}

}  // namespace detail

Tensor::Tensor(const Tensor& other) : s_(other.s_) { detail::Retain(s_); }

Tensor& Tensor::operator=(const Tensor& other) {
  if (this != &other) {
    detail::Retain(other.s_);
    detail::Release(s_);
    s_ = other.s_;
  }
  return *this;
}

Tensor& Tensor::operator=(Tensor&& other) noexcept {
  if (this != &other) {
    detail::Release(s_);
    s_ = other.s_;
    other.s_ = nullptr;
  }
  return *this;
}

Tensor::~Tensor() { detail::Release(s_); }

Tensor Tensor::Zeros(size_t n) {
  Tensor t(detail::Allocate(n));
  if (n) std::memset(t.s_->data, 0, n * sizeof(float));
  return t;
}

Tensor Tensor::Uninitialized(size_t n) { return Tensor(detail::Allocate(n)); }

Tensor Tensor::CopyOf(std::span<const float> values) {
  Tensor t(detail::Allocate(values.size()));
  if (!values.empty()) std::memcpy(t.s_->data, values.data(), values.size_bytes());
  return t;
}

Tensor Tensor::Adopt(float* data, size_t n, void (*release)(void*), void* owner) {
  auto* s = new detail::TensorStorage;
  s->data = data;
  s->n = n;
  s->owner = new detail::AdoptOwner{release, owner};
  s->release = &detail::ReleaseAdopted;
  return Tensor(s);
}

bool Tensor::unique() const { return !s_ || s_->refs.load(std::memory_order_acquire) == 1; }

int64_t Tensor::use_count() const { return s_ ? s_->refs.load(std::memory_order_acquire) : 0; }

std::span<float> Tensor::floats() {
  if (!s_) return {};
  if (!unique()) *this = Clone();
  return {s_->data, s_->n};
}

Tensor Tensor::Clone() const { return CopyOf(floats()); }

bool operator==(const Tensor& a, const Tensor& b) {
  if (a.size() != b.size()) return false;
  return a.size() == 0 || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

detail::TensorStorage* Tensor::RetainStorage() const {
  detail::Retain(s_);
  return s_;
}

}  // namespace olsgd::rt
