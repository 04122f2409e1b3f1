#include "trainer/maxpool2d.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "trainer/simd.h"

namespace olsgd::train {
namespace {

// One plane's pooling for any window k. Writes each window's maximum to out
// and the offset of its first maximum within the plane to argmax, each unless
// null. A value replaces the running maximum only if strictly greater, so
// ties keep the first.
void PoolPlane(const float* src, Shape in_s, Shape out_s, int k, float* out, int32_t* argmax) {
  for (int y = 0; y < out_s.h; ++y) {
    for (int x = 0; x < out_s.w; ++x) {
      const int32_t first = y * k * in_s.w + x * k;
      float best = src[first];
      int32_t arg = first;
      for (int i = 0; i < k; ++i) {
        for (int j = 0; j < k; ++j) {
          const int32_t p = first + i * in_s.w + j;
          if (src[p] > best) {
            best = src[p];
            arg = p;
          }
        }
      }
      if (out != nullptr) out[y * out_s.w + x] = best;
      if (argmax != nullptr) argmax[y * out_s.w + x] = arg;
    }
  }
}

// PoolPlane for k = 2, the CNN's case: the window is four named values and
// the comparisons are selects, which GCC vectorises across x (the branches of
// the general loop mispredict on about every other window).
OLSGD_SIMD_CLONES void PoolPlane2(const float* src, Shape in_s, Shape out_s, float* out,
                                  int32_t* argmax) {
  const int iw = in_s.w;
  for (int y = 0; y < out_s.h; ++y) {
    const float* __restrict r0 = src + 2 * y * iw;
    const float* __restrict r1 = r0 + iw;
    float* __restrict o = out == nullptr ? nullptr : out + y * out_s.w;
    int32_t* __restrict a = argmax == nullptr ? nullptr : argmax + y * out_s.w;
    for (int x = 0; x < out_s.w; ++x) {
      const int32_t first = 2 * y * iw + 2 * x;
      float best = r0[2 * x];
      int32_t arg = first;
      const float v1 = r0[2 * x + 1], v2 = r1[2 * x], v3 = r1[2 * x + 1];
      arg = v1 > best ? first + 1 : arg;
      best = v1 > best ? v1 : best;
      arg = v2 > best ? first + iw : arg;
      best = v2 > best ? v2 : best;
      arg = v3 > best ? first + iw + 1 : arg;
      best = v3 > best ? v3 : best;
      if (o != nullptr) o[x] = best;
      if (a != nullptr) a[x] = arg;
    }
  }
}

}  // namespace

MaxPool2d::MaxPool2d(Shape in, int kernel) : in_(in), k_(kernel) {
  out_ = {in.c, kernel > 0 ? in.h / kernel : 0, kernel > 0 ? in.w / kernel : 0};
  if (out_.h <= 0 || out_.w <= 0)
    throw std::invalid_argument("MaxPool2d: window larger than input");
}

void MaxPool2d::Pool(const float* in, float* out, int32_t* argmax, int batch) const {
  const int64_t in_plane = int64_t{in_.h} * in_.w, out_plane = int64_t{out_.h} * out_.w;
  for (int64_t plane = 0; plane < int64_t{batch} * in_.c; ++plane) {
    float* o = out == nullptr ? nullptr : out + plane * out_plane;
    int32_t* a = argmax == nullptr ? nullptr : argmax + plane * out_plane;
    if (k_ == 2) {
      PoolPlane2(in + plane * in_plane, in_, out_, o, a);
    } else {
      PoolPlane(in + plane * in_plane, in_, out_, k_, o, a);
    }
  }
}

void MaxPool2d::Forward(const float* in, float* out, int batch) {
  int32_t* argmax = nullptr;
  if (training_) {
    argmax_.resize(std::max(argmax_.size(), size_t(batch * out_.size())));
    argmax = argmax_.data();
  }
  Pool(in, out, argmax, batch);
  argmax_of_ = training_ ? in : nullptr;
  argmax_batch_ = training_ ? batch : -1;
}

// dL/dx[p] = dL/dy[window] if p is the (first) argmax of its window, else 0.
// The argmax comes from the training Forward on the same input, or is found
// again from x. Windows do not overlap, so each pixel gets at most one value.
void MaxPool2d::Backward(const float* in, const float* /*out*/, const float* dout, float* din,
                         int batch) {
  if (din == nullptr) return;
  if (!(training_ && argmax_of_ == in && argmax_batch_ == batch)) {
    argmax_.resize(std::max(argmax_.size(), size_t(batch * out_.size())));
    Pool(in, nullptr, argmax_.data(), batch);
  }
  std::memset(din, 0, sizeof(float) * batch * in_.size());
  const int64_t in_plane = int64_t{in_.h} * in_.w, out_plane = int64_t{out_.h} * out_.w;
  for (int64_t plane = 0; plane < int64_t{batch} * in_.c; ++plane) {
    float* dx = din + plane * in_plane;
    const float* dy = dout + plane * out_plane;
    const int32_t* arg = argmax_.data() + plane * out_plane;
    for (int64_t o = 0; o < out_plane; ++o) dx[arg[o]] = dy[o];
  }
}

}  // namespace olsgd::train
