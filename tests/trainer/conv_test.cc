// The convolution backends (im2col + OpenBLAS, and oneDNN) and max pooling:
// finite-difference checks of the oneDNN layer, agreement of the two backends,
// and the state the layers keep between calls (oneDNN's per-batch-size plans,
// training-mode caches).
#include <cblas.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "tests/trainer/gradcheck.h"
#include "trainer/conv2d.h"
#include "trainer/conv2d_onednn.h"
#include "trainer/maxpool2d.h"
#include "trainer/model.h"

namespace olsgd::train {
namespace {

using gradcheck::CheckLayer;
using gradcheck::CheckModel;
using gradcheck::KinkFreeInput;
using gradcheck::RandomBatch;
using gradcheck::RandomVector;

TEST(ConvTest, OneDnnGradCheckWithPadding) {
  const Shape in{2, 5, 4};
  OneDnnConv2d layer(in, 3, 3, 1);
  EXPECT_EQ(layer.output_shape().h, 5);
  EXPECT_EQ(layer.output_shape().w, 4);
  CheckLayer(layer, in, 3, RandomVector(120, 13), 14);
}

TEST(ConvTest, OneDnnGradCheckWithoutPaddingAndFiveByFiveKernel) {
  const Shape in{1, 7, 6};
  OneDnnConv2d layer(in, 2, 5, 0);
  EXPECT_EQ(layer.output_shape().h, 3);
  EXPECT_EQ(layer.output_shape().w, 2);
  CheckLayer(layer, in, 2, RandomVector(84, 15), 16);
}

// The outputs and all gradients of a layer pair with identical parameters.
struct ConvRun {
  std::vector<float> y, dx, grads;
};

ConvRun RunConv(Conv2dBase& layer, Shape in, int batch, bool training, uint64_t seed) {
  std::vector<float> params(layer.num_params());
  ConvRun r;
  r.grads.resize(params.size());
  layer.Bind(params.data(), r.grads.data());
  Rng rng(seed);
  layer.Init(&rng);
  layer.SetTraining(training);
  const size_t out_n = size_t(batch) * layer.output_shape().size();
  const std::vector<float> x = RandomVector(size_t(batch) * in.size(), seed + 1);
  const std::vector<float> dy = RandomVector(out_n, seed + 2);
  r.y.resize(out_n);
  r.dx.resize(x.size());
  layer.Forward(x.data(), r.y.data(), batch);
  layer.Backward(x.data(), r.y.data(), dy.data(), r.dx.data(), batch);
  layer.Bind(nullptr, nullptr);
  return r;
}

void ExpectAllNear(const std::vector<float>& a, const std::vector<float>& b, double rel,
                   const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i], b[i], 1e-5 + rel * std::fabs(b[i])) << what << "[" << i << "]";
  }
}

TEST(ConvTest, BackendsAgreeOnTheCnnsSecondLayer) {
  // The shape oneDNN runs its blocked AVX-512 kernels on in the real CNN.
  const Shape in{16, 14, 14};
  Conv2d gemm(in, 32, 5, 2);
  OneDnnConv2d onednn(in, 32, 5, 2);
  const ConvRun a = RunConv(gemm, in, 5, true, 3), b = RunConv(onednn, in, 5, true, 3);
  ExpectAllNear(b.y, a.y, 1e-4, "y");
  ExpectAllNear(b.dx, a.dx, 1e-4, "dx");
  ExpectAllNear(b.grads, a.grads, 1e-4, "dW, db");
}

TEST(ConvTest, BackendsAgreeOnOddShapes) {
  // Channel counts that are no multiple of oneDNN's blocks, a non-square image.
  const Shape in{3, 9, 7};
  Conv2d gemm(in, 5, 3, 1);
  OneDnnConv2d onednn(in, 5, 3, 1);
  const ConvRun a = RunConv(gemm, in, 4, false, 5), b = RunConv(onednn, in, 4, false, 5);
  ExpectAllNear(b.y, a.y, 1e-4, "y");
  ExpectAllNear(b.dx, a.dx, 1e-4, "dx");
  ExpectAllNear(b.grads, a.grads, 1e-4, "dW, db");
}

TEST(ConvTest, OneDnnTrainingModeReusesItsInputWithIdenticalResults) {
  const Shape in{16, 14, 14};
  OneDnnConv2d a(in, 32, 5, 2), b(in, 32, 5, 2);
  const ConvRun eval = RunConv(a, in, 6, false, 7), train = RunConv(b, in, 6, true, 7);
  EXPECT_EQ(eval.y, train.y);
  EXPECT_EQ(eval.dx, train.dx);
  EXPECT_EQ(eval.grads, train.grads);
}

TEST(ConvTest, OneDnnBackwardOnAnotherInputUsesThatInput) {
  const Shape in{4, 6, 6};
  const int batch = 3;
  OneDnnConv2d layer(in, 8, 3, 1);
  std::vector<float> params(layer.num_params()), grads(params.size());
  layer.Bind(params.data(), grads.data());
  Rng rng(9);
  layer.Init(&rng);
  const std::vector<float> x = RandomVector(batch * in.size(), 10);
  const std::vector<float> x2 = RandomVector(x.size(), 11);
  const std::vector<float> dy = RandomVector(batch * layer.output_shape().size(), 12);
  std::vector<float> y(dy.size()), dx(x.size());
  layer.Backward(x2.data(), y.data(), dy.data(), dx.data(), batch);
  const std::vector<float> expected = grads;
  layer.SetTraining(true);
  layer.Forward(x.data(), y.data(), batch);
  layer.Backward(x2.data(), y.data(), dy.data(), dx.data(), batch);
  EXPECT_EQ(grads, expected);
}

TEST(ConvTest, OneDnnKeepsResultsAcrossBatchSizesAndEvictedPlans) {
  // Six batch sizes cycle through more plans than the layer keeps; each
  // batch's output must equal a fresh layer's.
  const Shape in{3, 8, 8};
  OneDnnConv2d layer(in, 4, 3, 1);
  std::vector<float> params(layer.num_params()), grads(params.size());
  layer.Bind(params.data(), grads.data());
  Rng rng(21);
  layer.Init(&rng);
  for (int round = 0; round < 2; ++round) {
    for (int batch : {2, 5, 1, 7, 3, 4}) {
      const std::vector<float> x = RandomVector(batch * in.size(), 30 + batch);
      std::vector<float> y(batch * layer.output_shape().size()), y_fresh(y.size());
      layer.Forward(x.data(), y.data(), batch);
      OneDnnConv2d fresh(in, 4, 3, 1);
      std::vector<float> fresh_grads(params.size());
      fresh.Bind(params.data(), fresh_grads.data());
      fresh.Forward(x.data(), y_fresh.data(), batch);
      EXPECT_EQ(y, y_fresh) << "batch " << batch << " round " << round;
    }
  }
}

TEST(ConvTest, OneDnnFollowsTheOpenBlasThreadCount) {
  // Two threads split the work differently, so the bits may differ, but not
  // the values.
  const Shape in{16, 14, 14};
  OneDnnConv2d one(in, 32, 5, 2), two(in, 32, 5, 2);
  const int saved = openblas_get_num_threads();
  openblas_set_num_threads(1);
  const ConvRun a = RunConv(one, in, 8, true, 13);
  openblas_set_num_threads(2);
  const ConvRun b = RunConv(two, in, 8, true, 13);
  openblas_set_num_threads(saved);
  ExpectAllNear(b.y, a.y, 1e-5, "y");
  ExpectAllNear(b.dx, a.dx, 1e-5, "dx");
  ExpectAllNear(b.grads, a.grads, 1e-5, "dW, db");
}

TEST(ConvTest, MaxPoolTrainingModeReusesArgmaxWithIdenticalResults) {
  const Shape in{3, 6, 7};  // 7: one dropped column
  const int batch = 2;
  MaxPool2d eval(in, 2), train(in, 2);
  train.SetTraining(true);
  const std::vector<float> x = KinkFreeInput(batch * in.size(), 40);
  const std::vector<float> dy = RandomVector(batch * eval.output_shape().size(), 41);
  std::vector<float> y(dy.size()), y_t(dy.size()), dx(x.size(), 7.0f), dx_t(x.size(), 7.0f);
  eval.Forward(x.data(), y.data(), batch);
  eval.Backward(x.data(), y.data(), dy.data(), dx.data(), batch);
  train.Forward(x.data(), y_t.data(), batch);
  train.Backward(x.data(), y_t.data(), dy.data(), dx_t.data(), batch);
  EXPECT_EQ(y, y_t);
  EXPECT_EQ(dx, dx_t);
  // Every input gradient is written: dy once per window, zeros elsewhere.
  double sum_dx = 0, sum_dy = 0;
  for (float v : dx) sum_dx += v;
  for (float v : dy) sum_dy += v;
  EXPECT_NEAR(sum_dx, sum_dy, 1e-5);
  // A Backward on another input finds that input's argmax.
  const std::vector<float> x2 = KinkFreeInput(x.size(), 42);
  eval.Backward(x2.data(), y.data(), dy.data(), dx.data(), batch);
  train.Forward(x.data(), y_t.data(), batch);
  train.Backward(x2.data(), y_t.data(), dy.data(), dx_t.data(), batch);
  EXPECT_EQ(dx, dx_t);
}

TEST(ConvTest, MaxPoolTiesGoToTheFirstMaximum) {
  const Shape in{1, 2, 4};
  MaxPool2d pool(in, 2);
  pool.SetTraining(true);
  const std::vector<float> x{1, 3, 5, 5, 3, 2, 5, 5};
  const std::vector<float> dy{10, 20};
  std::vector<float> y(2), dx(8);
  pool.Forward(x.data(), y.data(), 1);
  pool.Backward(x.data(), y.data(), dy.data(), dx.data(), 1);
  EXPECT_EQ(y, (std::vector<float>{3, 5}));
  EXPECT_EQ(dx, (std::vector<float>{0, 10, 20, 0, 0, 0, 0, 0}));
}

TEST(ConvTest, WholeCnnWithGemmConvolutions) {
  Dataset shape;
  shape.channels = 2, shape.height = 8, shape.width = 8, shape.classes = 4;
  auto model = BuildModel({.name = "cnn",
                           .conv1_channels = 3,
                           .conv2_channels = 4,
                           .fc_width = 6,
                           .kernel = 3,
                           .conv = "gemm"},
                          shape, 23);
  CheckModel(*model, RandomBatch(shape, 3, 24));
}

TEST(ConvTest, BackendsGiveTheSameCnnGradient) {
  Dataset shape;
  shape.channels = 1, shape.height = 28, shape.width = 28, shape.classes = 10;
  auto a = BuildModel({.name = "cnn", .conv = "gemm"}, shape, 5);
  auto b = BuildModel({.name = "cnn", .conv = "onednn"}, shape, 5);
  ASSERT_EQ(a->num_params(), b->num_params());
  EXPECT_TRUE(std::equal(a->params().begin(), a->params().end(), b->params().begin()));
  const Batch batch = RandomBatch(shape, 8, 6);
  EXPECT_NEAR(a->ForwardBackward(batch), b->ForwardBackward(batch), 1e-5);
  std::vector<float> ga(a->grads().begin(), a->grads().end());
  std::vector<float> gb(b->grads().begin(), b->grads().end());
  ExpectAllNear(gb, ga, 1e-3, "grads");
}

TEST(ConvTest, UnknownBackendIsRejected) {
  Dataset shape;
  shape.channels = 1, shape.height = 8, shape.width = 8, shape.classes = 3;
  EXPECT_THROW(BuildModel({.name = "cnn", .conv = "winograd"}, shape, 1), std::invalid_argument);
}

}  // namespace
}  // namespace olsgd::train
