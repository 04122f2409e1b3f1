#include "trainer/conv2d.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "trainer/gemm.h"
#include "trainer/simd.h"

namespace olsgd::train {
namespace {

// The sum of x[0..n) in float, with 16 running partial sums combined in a
// fixed order: deterministic, and vectorisable where a single running sum
// would be one dependent add per element.
OLSGD_SIMD_CLONES float Sum(const float* x, int64_t n) {
  constexpr int kLanes = 16;
  float acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] += x[i + l];
  }
  for (; i < n; ++i) acc[0] += x[i];
  for (int width = kLanes / 2; width > 0; width /= 2) {
    for (int l = 0; l < width; ++l) acc[l] += acc[l + width];
  }
  return acc[0];
}

// dst[y * cols + x] = src[y * stride + x]: a rows x cols block out of a wider
// image into a dense one.
OLSGD_SIMD_CLONES void CopyBlock(float* __restrict dst, const float* __restrict src, int rows,
                                 int cols, int stride) {
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) dst[y * cols + x] = src[y * stride + x];
  }
}

// The adjoint: dst[y * stride + x] += src[y * cols + x].
OLSGD_SIMD_CLONES void AddBlock(float* __restrict dst, const float* __restrict src, int rows,
                                int cols, int stride) {
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) dst[y * stride + x] += src[y * cols + x];
  }
}

}  // namespace

Conv2dBase::Conv2dBase(Shape in, int out_channels, int kernel, int pad)
    : in_(in), k_(kernel), pad_(pad) {
  out_ = {out_channels, in.h + 2 * pad - kernel + 1, in.w + 2 * pad - kernel + 1};
  if (out_.h <= 0 || out_.w <= 0) throw std::invalid_argument("Conv2d: kernel larger than input");
  if (pad < 0) throw std::invalid_argument("Conv2d: negative padding");
  patch_ = int64_t{in.c} * k_ * k_;
  pixels_ = int64_t{out_.h} * out_.w;
}

void Conv2dBase::Bind(float* params, float* grads) {
  w_ = params;
  b_ = params + out_.c * patch_;
  dw_ = grads;
  db_ = grads + out_.c * patch_;
}

void Conv2dBase::Init(Rng* rng) {
  InitUniformFanIn(rng, w_, size_t(out_.c * patch_), patch_);
  InitUniformFanIn(rng, b_, size_t(out_.c), patch_);
}

Conv2d::Conv2d(Shape in, int out_channels, int kernel, int pad)
    : Conv2dBase(in, out_channels, kernel, pad), ph_(in.h + 2 * pad), pw_(in.w + 2 * pad) {
  col_.resize(size_t(patch_ * pixels_));
  dcol_.resize(col_.size());
  padded_.assign(size_t(in.c) * ph_ * pw_, 0.0f);
  dpadded_.resize(padded_.size());
}

// col[(c*k + i)*k + j, y*ow + x] = padded[c, y + i, x + j], where padded is
// the image with `pad` zeros around it. Copying the image into padded_'s
// interior first (its border is always zero) turns every row of col into
// plain copies of ow floats, with no bounds to test per pixel.
void Conv2d::Im2Col(const float* img) {
  for (int c = 0; c < in_.c; ++c) {
    for (int y = 0; y < in_.h; ++y) {
      std::memcpy(padded_.data() + (int64_t{c} * ph_ + y + pad_) * pw_ + pad_,
                  img + (int64_t{c} * in_.h + y) * in_.w, sizeof(float) * in_.w);
    }
  }
  for (int c = 0; c < in_.c; ++c) {
    for (int i = 0; i < k_; ++i) {
      for (int j = 0; j < k_; ++j) {
        CopyBlock(col_.data() + ((c * k_ + i) * k_ + j) * pixels_,
                  padded_.data() + (int64_t{c} * ph_ + i) * pw_ + j, out_.h, out_.w, pw_);
      }
    }
  }
}

// The adjoint of Im2Col: every patch entry adds back onto the padded pixel it
// came from, then the interior is the image's gradient. Each pixel sums its
// contributions in (c, i, j) order.
void Conv2d::Col2Im(float* dimg) {
  std::fill(dpadded_.begin(), dpadded_.end(), 0.0f);
  for (int c = 0; c < in_.c; ++c) {
    for (int i = 0; i < k_; ++i) {
      for (int j = 0; j < k_; ++j) {
        AddBlock(dpadded_.data() + (int64_t{c} * ph_ + i) * pw_ + j,
                 dcol_.data() + ((c * k_ + i) * k_ + j) * pixels_, out_.h, out_.w, pw_);
      }
    }
  }
  for (int c = 0; c < in_.c; ++c) {
    for (int y = 0; y < in_.h; ++y) {
      std::memcpy(dimg + (int64_t{c} * in_.h + y) * in_.w,
                  dpadded_.data() + (int64_t{c} * ph_ + y + pad_) * pw_ + pad_,
                  sizeof(float) * in_.w);
    }
  }
}

// Per sample: Y [oc, P] = b + W [oc, patch] * col [patch, P], Y being the
// sample's NCHW output. The bias is written first and the GEMM adds onto it
// (beta = 1), so the output is written in one pass plus the GEMM's own.
void Conv2d::Forward(const float* in, float* out, int batch) {
  const int oc = out_.c, p = static_cast<int>(pixels_), patch = static_cast<int>(patch_);
  for (int s = 0; s < batch; ++s) {
    Im2Col(in + s * in_.size());
    float* y = out + s * out_.size();
    for (int o = 0; o < oc; ++o) std::fill(y + o * pixels_, y + (o + 1) * pixels_, b_[o]);
    Sgemm(CblasNoTrans, CblasNoTrans, oc, p, patch, w_, patch, col_.data(), p, 1.0f, y, p);
  }
}

// Per sample, with dY [oc, P] the sample's slice of dout (NCHW as it is):
//   dL/db[o]  += sum over pixels of dY[o, :]
//   dL/dW     += dY col^T                   [oc, patch]
//   dL/dcol    = W^T dY                     [patch, P], then Col2Im gives dL/dX
void Conv2d::Backward(const float* in, const float* /*out*/, const float* dout, float* din,
                      int batch) {
  const int oc = out_.c, p = static_cast<int>(pixels_), patch = static_cast<int>(patch_);
  std::memset(dw_, 0, sizeof(float) * oc * patch_);
  std::memset(db_, 0, sizeof(float) * oc);
  for (int s = 0; s < batch; ++s) {
    const float* dy = dout + s * out_.size();
    for (int o = 0; o < oc; ++o) db_[o] += Sum(dy + o * pixels_, pixels_);
    Im2Col(in + s * in_.size());
    Sgemm(CblasNoTrans, CblasTrans, oc, patch, p, dy, p, col_.data(), p, 1.0f, dw_, patch);
    if (din != nullptr) {
      Sgemm(CblasTrans, CblasNoTrans, patch, p, oc, w_, patch, dy, p, 0.0f, dcol_.data(), p);
      Col2Im(din + s * in_.size());
    }
  }
}

}  // namespace olsgd::train
