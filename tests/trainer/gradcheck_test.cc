// Finite-difference checks of every layer's backward pass, the loss and whole
// models (the checks themselves are in gradcheck.h). The oneDNN convolution
// and what the two convolution backends share are checked in conv_test.cc.
#include "tests/trainer/gradcheck.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <vector>

#include "trainer/conv2d.h"
#include "trainer/elementwise.h"
#include "trainer/linear.h"
#include "trainer/loss.h"
#include "trainer/maxpool2d.h"
#include "trainer/model.h"
#include "trainer/rng.h"

namespace olsgd::train {
namespace {

using gradcheck::CheckLayer;
using gradcheck::CheckModel;
using gradcheck::KinkFreeInput;
using gradcheck::RandomBatch;
using gradcheck::RandomVector;

TEST(GradCheckTest, Linear) {
  const Shape in{7, 1, 1};
  Linear layer(in, 5);
  CheckLayer(layer, in, 3, RandomVector(21, 1), 2);
}

TEST(GradCheckTest, LinearReadsAnyInputShapeAsFeatures) {
  const Shape in{2, 2, 3};
  Linear layer(in, 4);
  CheckLayer(layer, in, 2, RandomVector(24, 3), 4);
}

TEST(GradCheckTest, Relu) {
  const Shape in{3, 2, 2};
  Relu layer(in);
  CheckLayer(layer, in, 2, KinkFreeInput(24, 5), 6);
}

TEST(GradCheckTest, Flatten) {
  const Shape in{2, 3, 2};
  Flatten layer(in);
  EXPECT_EQ(layer.output_shape().c, 12);
  CheckLayer(layer, in, 2, RandomVector(24, 7), 8);
}

TEST(GradCheckTest, MaxPool2d) {
  const Shape in{2, 4, 6};
  MaxPool2d layer(in, 2);
  EXPECT_EQ(layer.output_shape().h, 2);
  EXPECT_EQ(layer.output_shape().w, 3);
  CheckLayer(layer, in, 2, KinkFreeInput(96, 9), 10);
}

TEST(GradCheckTest, MaxPool2dDropsPartialWindows) {
  const Shape in{1, 5, 5};
  MaxPool2d layer(in, 2);
  EXPECT_EQ(layer.output_shape().h, 2);
  CheckLayer(layer, in, 1, KinkFreeInput(25, 11), 12);
}

TEST(GradCheckTest, Conv2dWithPadding) {
  const Shape in{2, 5, 4};
  Conv2d layer(in, 3, 3, 1);
  EXPECT_EQ(layer.output_shape().h, 5);
  EXPECT_EQ(layer.output_shape().w, 4);
  CheckLayer(layer, in, 3, RandomVector(120, 13), 14);
}

TEST(GradCheckTest, Conv2dWithoutPaddingAndFiveByFiveKernel) {
  const Shape in{1, 7, 6};
  Conv2d layer(in, 2, 5, 0);
  EXPECT_EQ(layer.output_shape().h, 3);
  EXPECT_EQ(layer.output_shape().w, 2);
  CheckLayer(layer, in, 2, RandomVector(84, 15), 16);
}

TEST(GradCheckTest, Conv2dMatchesDirectConvolution) {
  // One output pixel computed by hand from the definition.
  const Shape in{2, 4, 4};
  Conv2d layer(in, 1, 3, 1);
  std::vector<float> params(layer.num_params()), grads(layer.num_params());
  layer.Bind(params.data(), grads.data());
  params = RandomVector(params.size(), 17);
  layer.Bind(params.data(), grads.data());
  const std::vector<float> x = RandomVector(32, 18);
  std::vector<float> y(16);
  layer.Forward(x.data(), y.data(), 1);
  for (int oy = 0; oy < 4; ++oy) {
    for (int ox = 0; ox < 4; ++ox) {
      double expect = params[18];  // bias
      for (int c = 0; c < 2; ++c) {
        for (int i = 0; i < 3; ++i) {
          for (int j = 0; j < 3; ++j) {
            const int iy = oy + i - 1, ix = ox + j - 1;
            if (iy < 0 || iy >= 4 || ix < 0 || ix >= 4) continue;
            expect += double(params[(c * 3 + i) * 3 + j]) * x[(c * 4 + iy) * 4 + ix];
          }
        }
      }
      EXPECT_NEAR(y[oy * 4 + ox], expect, 1e-5);
    }
  }
}

TEST(GradCheckTest, Conv2dChunkedBatchEqualsSampleBySample) {
  // 4x32x32 input, 5x5 kernel: 102,400 patch floats per sample, so a batch of
  // 45 runs as several GEMM chunks. It must equal 45 single-sample passes.
  const Shape in{4, 32, 32};
  const int batch = 45;
  Conv2d layer(in, 3, 5, 2);
  std::vector<float> params(layer.num_params()), grads(layer.num_params());
  layer.Bind(params.data(), grads.data());
  Rng rng(31);
  layer.Init(&rng);
  const size_t out_size = layer.output_shape().size();
  const std::vector<float> x = RandomVector(batch * in.size(), 32);
  const std::vector<float> dy = RandomVector(batch * out_size, 33);
  std::vector<float> y(batch * out_size), dx(x.size());
  layer.Forward(x.data(), y.data(), batch);
  layer.Backward(x.data(), y.data(), dy.data(), dx.data(), batch);
  const std::vector<float> dw_batch = grads;
  std::vector<double> dw_sum(grads.size(), 0.0);
  std::vector<float> y1(out_size), dx1(in.size());
  for (int s = 0; s < batch; ++s) {
    layer.Forward(x.data() + s * in.size(), y1.data(), 1);
    layer.Backward(x.data() + s * in.size(), y1.data(), dy.data() + s * out_size, dx1.data(), 1);
    for (size_t k = 0; k < out_size; ++k) ASSERT_NEAR(y1[k], y[s * out_size + k], 1e-5) << s;
    for (int64_t k = 0; k < in.size(); ++k) {
      ASSERT_NEAR(dx1[k], dx[s * in.size() + k], 1e-5) << s;
    }
    for (size_t k = 0; k < grads.size(); ++k) dw_sum[k] += grads[k];
  }
  for (size_t k = 0; k < grads.size(); ++k) {
    EXPECT_NEAR(dw_batch[k], dw_sum[k], 1e-3 + 1e-4 * std::fabs(dw_sum[k])) << k;
  }
}

TEST(GradCheckTest, Conv2dTrainingModeReusesPatchesWithIdenticalResults) {
  // Training mode keeps Forward's patches (several chunks here) for Backward;
  // the gradients must be exactly those of the recomputing path.
  const Shape in{4, 32, 32};
  const int batch = 45;
  Conv2d layer(in, 3, 5, 2);
  std::vector<float> params(layer.num_params()), grads(layer.num_params());
  layer.Bind(params.data(), grads.data());
  Rng rng(41);
  layer.Init(&rng);
  const size_t out_n = batch * layer.output_shape().size();
  const std::vector<float> x = RandomVector(batch * in.size(), 42);
  const std::vector<float> dy = RandomVector(out_n, 43);
  std::vector<float> y(out_n), dx(x.size()), y_t(out_n), dx_t(x.size());
  layer.Forward(x.data(), y.data(), batch);
  layer.Backward(x.data(), y.data(), dy.data(), dx.data(), batch);
  const std::vector<float> dw = grads;
  layer.SetTraining(true);
  layer.Forward(x.data(), y_t.data(), batch);
  layer.Backward(x.data(), y_t.data(), dy.data(), dx_t.data(), batch);
  EXPECT_EQ(y, y_t);
  EXPECT_EQ(dx, dx_t);
  EXPECT_EQ(dw, grads);
  // A Backward on another input than the last Forward's recomputes its patches.
  const std::vector<float> x2 = RandomVector(x.size(), 44);
  layer.SetTraining(false);
  layer.Backward(x2.data(), y.data(), dy.data(), dx.data(), batch);
  const std::vector<float> dw2 = grads;
  layer.SetTraining(true);
  layer.Forward(x.data(), y_t.data(), batch);
  layer.Backward(x2.data(), y_t.data(), dy.data(), dx_t.data(), batch);
  EXPECT_EQ(dw2, grads);
}

TEST(GradCheckTest, SoftmaxCrossEntropy) {
  const int batch = 4, classes = 5;
  std::vector<float> z = RandomVector(batch * classes, 19, -3, 3);
  const std::vector<int32_t> labels{0, 3, 4, 1};
  std::vector<float> dz(z.size());
  SoftmaxCrossEntropy(z.data(), labels.data(), batch, classes, dz.data(), nullptr);
  for (size_t i = 0; i < z.size(); ++i) {
    const float saved = z[i];
    const float eps = 1e-3f;
    z[i] = saved + eps;
    const double up =
        SoftmaxCrossEntropy(z.data(), labels.data(), batch, classes, nullptr, nullptr);
    z[i] = saved - eps;
    const double down =
        SoftmaxCrossEntropy(z.data(), labels.data(), batch, classes, nullptr, nullptr);
    z[i] = saved;
    EXPECT_NEAR(dz[i], (up - down) / (2 * eps), 1e-4) << "dz[" << i << "]";
  }
}

TEST(GradCheckTest, SoftmaxCrossEntropyValueAndAccuracy) {
  // Uniform logits: loss = log(3). Row 2's argmax is class 2 = its label.
  const std::vector<float> z{0, 0, 0, 1, 2, 3};
  const std::vector<int32_t> labels{1, 2};
  int64_t correct = 0;
  const double loss = SoftmaxCrossEntropy(z.data(), labels.data(), 2, 3, nullptr, &correct);
  const double row2 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
  EXPECT_NEAR(loss, (std::log(3.0) + row2) / 2, 1e-9);
  EXPECT_EQ(correct, 1);  // row 1 ties: the first maximum (class 0) is predicted
}

TEST(GradCheckTest, SoftmaxCrossEntropyIsStableForHugeLogits) {
  const std::vector<float> z{1e30f, -1e30f};
  const std::vector<int32_t> labels{0};
  std::vector<float> dz(2);
  const double loss = SoftmaxCrossEntropy(z.data(), labels.data(), 1, 2, dz.data(), nullptr);
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_TRUE(std::isfinite(dz[0]) && std::isfinite(dz[1]));
}

TEST(GradCheckTest, WholeMlp) {
  Dataset shape;
  shape.channels = 1, shape.height = 4, shape.width = 5, shape.classes = 3;
  auto model = BuildModel({.name = "mlp", .hidden = {8, 6}}, shape, 21);
  CheckModel(*model, RandomBatch(shape, 4, 22));
}

TEST(GradCheckTest, WholeCnn) {
  Dataset shape;
  shape.channels = 2, shape.height = 8, shape.width = 8, shape.classes = 4;
  auto model = BuildModel(
      {.name = "cnn", .conv1_channels = 3, .conv2_channels = 4, .fc_width = 6, .kernel = 3}, shape,
      23);
  CheckModel(*model, RandomBatch(shape, 3, 24));
}

}  // namespace
}  // namespace olsgd::train
