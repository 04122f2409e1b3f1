#include "trainer/conv2d.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "trainer/gemm.h"

namespace olsgd::train {
namespace {
constexpr int64_t kMaxChunkFloats = int64_t{1} << 21;  // col_ budget: 8 MiB

// The output columns x whose input column x + j - pad lies inside [0, width):
// [*lo, *hi). Outside it the patch entries are zero padding.
void ValidRange(int j, int pad, int in_w, int out_w, int* lo, int* hi) {
  *lo = std::clamp(pad - j, 0, out_w);
  *hi = std::clamp(in_w + pad - j, *lo, out_w);
}

}  // namespace

Conv2d::Conv2d(Shape in, int out_channels, int kernel, int pad) : in_(in), k_(kernel), pad_(pad) {
  out_ = {out_channels, in.h + 2 * pad - kernel + 1, in.w + 2 * pad - kernel + 1};
  if (out_.h <= 0 || out_.w <= 0) throw std::invalid_argument("Conv2d: kernel larger than input");
  patch_ = int64_t{in.c} * k_ * k_;
  pixels_ = int64_t{out_.h} * out_.w;
}

void Conv2d::Bind(float* params, float* grads) {
  w_ = params;
  b_ = params + out_.c * patch_;
  dw_ = grads;
  db_ = grads + out_.c * patch_;
}

void Conv2d::Init(Rng* rng) {
  InitUniformFanIn(rng, w_, size_t(out_.c * patch_), patch_);
  InitUniformFanIn(rng, b_, size_t(out_.c), patch_);
}

int Conv2d::ChunkSize(int batch) const {
  return static_cast<int>(std::clamp<int64_t>(kMaxChunkFloats / (patch_ * pixels_), 1, batch));
}

// col[(c*k + i)*k + j, s*P + y*ow + x] = in[s, c, y + i - pad, x + j - pad] (0 outside).
// Each row segment is zeros, a contiguous copy, zeros, so the bounds are
// worked out once per (j) instead of per pixel.
void Conv2d::Im2Col(const float* in, int count, float* col) {
  const int64_t ld = count * pixels_;
  for (int s = 0; s < count; ++s) {
    const float* img = in + s * in_.size();
    for (int c = 0; c < in_.c; ++c) {
      for (int i = 0; i < k_; ++i) {
        for (int j = 0; j < k_; ++j) {
          int lo, hi;
          ValidRange(j, pad_, in_.w, out_.w, &lo, &hi);
          float* row = col + ((c * k_ + i) * k_ + j) * ld + s * pixels_;
          for (int y = 0; y < out_.h; ++y) {
            const int iy = y + i - pad_;
            float* dst = row + y * out_.w;
            if (iy < 0 || iy >= in_.h) {
              std::memset(dst, 0, sizeof(float) * out_.w);
              continue;
            }
            const float* src = img + (int64_t{c} * in_.h + iy) * in_.w;
            std::memset(dst, 0, sizeof(float) * lo);
            std::memcpy(dst + lo, src + lo + j - pad_, sizeof(float) * (hi - lo));
            std::memset(dst + hi, 0, sizeof(float) * (out_.w - hi));
          }
        }
      }
    }
  }
}

// The adjoint of Im2Col: every patch entry adds back onto the pixel it came from.
void Conv2d::Col2Im(float* din, int count) {
  const int64_t ld = count * pixels_;
  std::memset(din, 0, sizeof(float) * count * in_.size());
  for (int s = 0; s < count; ++s) {
    float* img = din + s * in_.size();
    for (int c = 0; c < in_.c; ++c) {
      for (int i = 0; i < k_; ++i) {
        for (int j = 0; j < k_; ++j) {
          int lo, hi;
          ValidRange(j, pad_, in_.w, out_.w, &lo, &hi);
          const float* row = dcol_.data() + ((c * k_ + i) * k_ + j) * ld + s * pixels_;
          for (int y = 0; y < out_.h; ++y) {
            const int iy = y + i - pad_;
            if (iy < 0 || iy >= in_.h) continue;
            float* dst = img + (int64_t{c} * in_.h + iy) * in_.w + lo + j - pad_;
            const float* src = row + y * out_.w + lo;
            for (int x = 0; x < hi - lo; ++x) dst[x] += src[x];
          }
        }
      }
    }
  }
}

// For a chunk of S samples: Y [oc, S*P] = W [oc, patch] * col [patch, S*P],
// then Y is scattered to NCHW with the bias added. In training mode every
// chunk's patches stay in col_ (chunk at offset s0 * patch * P) for Backward.
void Conv2d::Forward(const float* in, float* out, int batch) {
  const int chunk = ChunkSize(batch);
  col_.resize(size_t(patch_ * (training_ ? batch : chunk) * pixels_));
  tmp_.resize(size_t(out_.c * chunk * pixels_));
  for (int s0 = 0; s0 < batch; s0 += chunk) {
    const int count = std::min(chunk, batch - s0);
    const int64_t ld = count * pixels_;
    float* col = col_.data() + (training_ ? s0 * patch_ * pixels_ : 0);
    Im2Col(in + s0 * in_.size(), count, col);
    Sgemm(CblasNoTrans, CblasNoTrans, out_.c, static_cast<int>(ld), static_cast<int>(patch_), w_,
          static_cast<int>(patch_), col, static_cast<int>(ld), 0.0f, tmp_.data(),
          static_cast<int>(ld));
    for (int s = 0; s < count; ++s) {
      for (int o = 0; o < out_.c; ++o) {
        const float* src = tmp_.data() + o * ld + s * pixels_;
        float* dst = out + (s0 + s) * out_.size() + o * pixels_;
        for (int64_t p = 0; p < pixels_; ++p) dst[p] = src[p] + b_[o];
      }
    }
  }
  cols_of_ = training_ ? in : nullptr;
  cols_batch_ = training_ ? batch : -1;
}

// Per chunk, with dY gathered as [oc, S*P] (same layout as the forward's Y):
//   dL/db[o]   = sum over samples and pixels of dY[o, :]
//   dL/dW      = dY col^T               [oc, patch], summed over chunks
//   dL/dcol    = W^T dY                 [patch, S*P], then Col2Im gives dL/dX
void Conv2d::Backward(const float* in, const float* /*out*/, const float* dout, float* din,
                      int batch) {
  const int chunk = ChunkSize(batch);
  const bool cached = training_ && cols_of_ == in && cols_batch_ == batch;
  if (!cached) col_.resize(size_t(patch_ * chunk * pixels_));
  tmp_.resize(size_t(out_.c * chunk * pixels_));
  if (din != nullptr) dcol_.resize(size_t(patch_ * chunk * pixels_));
  std::memset(dw_, 0, sizeof(float) * out_.c * patch_);
  std::memset(db_, 0, sizeof(float) * out_.c);
  for (int s0 = 0; s0 < batch; s0 += chunk) {
    const int count = std::min(chunk, batch - s0);
    const int64_t ld = count * pixels_;
    for (int s = 0; s < count; ++s) {
      for (int o = 0; o < out_.c; ++o) {
        const float* src = dout + (s0 + s) * out_.size() + o * pixels_;
        float* dst = tmp_.data() + o * ld + s * pixels_;
        float sum = 0.0f;
        for (int64_t p = 0; p < pixels_; ++p) {
          dst[p] = src[p];
          sum += src[p];
        }
        db_[o] += sum;
      }
    }
    float* col = col_.data();
    if (cached) {
      col += s0 * patch_ * pixels_;
    } else {
      Im2Col(in + s0 * in_.size(), count, col);
    }
    Sgemm(CblasNoTrans, CblasTrans, out_.c, static_cast<int>(patch_), static_cast<int>(ld),
          tmp_.data(), static_cast<int>(ld), col, static_cast<int>(ld), 1.0f, dw_,
          static_cast<int>(patch_));
    if (din != nullptr) {
      Sgemm(CblasTrans, CblasNoTrans, static_cast<int>(patch_), static_cast<int>(ld), out_.c, w_,
            static_cast<int>(patch_), tmp_.data(), static_cast<int>(ld), 0.0f, dcol_.data(),
            static_cast<int>(ld));
      Col2Im(din + s0 * in_.size(), count);
    }
  }
}

MaxPool2d::MaxPool2d(Shape in, int kernel) : in_(in), k_(kernel) {
  out_ = {in.c, in.h / kernel, in.w / kernel};
  if (out_.h <= 0 || out_.w <= 0)
    throw std::invalid_argument("MaxPool2d: window larger than input");
}

void MaxPool2d::Forward(const float* in, float* out, int batch) {
  for (int64_t plane = 0; plane < int64_t{batch} * in_.c; ++plane) {
    const float* src = in + plane * in_.h * in_.w;
    float* dst = out + plane * out_.h * out_.w;
    for (int y = 0; y < out_.h; ++y) {
      for (int x = 0; x < out_.w; ++x) {
        float best = src[(y * k_) * in_.w + x * k_];
        for (int i = 0; i < k_; ++i) {
          for (int j = 0; j < k_; ++j)
            best = std::max(best, src[(y * k_ + i) * in_.w + x * k_ + j]);
        }
        dst[y * out_.w + x] = best;
      }
    }
  }
}

// dL/dx[p] = dL/dy[window] if p is the (first) argmax of its window, else 0.
// The argmax is found again from x and y, so the layer keeps no state.
void MaxPool2d::Backward(const float* in, const float* out, const float* dout, float* din,
                         int batch) {
  if (din == nullptr) return;
  std::memset(din, 0, sizeof(float) * batch * in_.size());
  for (int64_t plane = 0; plane < int64_t{batch} * in_.c; ++plane) {
    const float* src = in + plane * in_.h * in_.w;
    float* dsrc = din + plane * in_.h * in_.w;
    const float* y_plane = out + plane * out_.h * out_.w;
    const float* dy = dout + plane * out_.h * out_.w;
    for (int y = 0; y < out_.h; ++y) {
      for (int x = 0; x < out_.w; ++x) {
        const float best = y_plane[y * out_.w + x];
        bool routed = false;
        for (int i = 0; i < k_ && !routed; ++i) {
          for (int j = 0; j < k_ && !routed; ++j) {
            const int64_t p = (y * k_ + i) * in_.w + x * k_ + j;
            if (src[p] == best) {
              dsrc[p] = dy[y * out_.w + x];
              routed = true;
            }
          }
        }
      }
    }
  }
}

}  // namespace olsgd::train
