// Models: parameter layout, initialisation, learning on synthetic data,
// evaluation, determinism and independence across threads.
#include "trainer/model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "trainer/batch_sampler.h"
#include "trainer/elementwise.h"
#include "trainer/partition.h"
#include "trainer/sgd.h"

namespace olsgd::train {
namespace {

Dataset FashionShape() {
  Dataset d;
  d.channels = 1, d.height = 28, d.width = 28, d.classes = 10;
  return d;
}

TEST(ModelTest, MlpParameterCountAndLayers) {
  auto m = BuildModel({.name = "mlp", .hidden = {256, 128}}, FashionShape(), 1);
  // 784*256 + 256 + 256*128 + 128 + 128*10 + 10
  EXPECT_EQ(m->num_params(), 235146u);
  EXPECT_EQ(m->grads().size(), m->num_params());
  EXPECT_EQ(m->num_layers(), 6);  // flatten, (linear, relu) x2, linear
}

TEST(ModelTest, CnnHasAtLeast100kParameters) {
  auto m = BuildModel({.name = "cnn"}, FashionShape(), 1);
  // conv 1->16 5x5: 416; conv 16->32 5x5: 12832; fc 32*7*7->128: 200832; fc 128->10: 1290.
  EXPECT_EQ(m->num_params(), 215370u);
  EXPECT_GE(m->num_params(), 100000u);
}

TEST(ModelTest, UnknownModelOrBadSizesAreRejected) {
  EXPECT_THROW(BuildModel({.name = "resnet"}, FashionShape(), 1), std::invalid_argument);
  EXPECT_THROW(BuildModel({.name = "mlp", .hidden = {0}}, FashionShape(), 1),
               std::invalid_argument);
  EXPECT_THROW(BuildModel({.name = "cnn", .kernel = 4}, FashionShape(), 1), std::invalid_argument);
}

TEST(ModelTest, PyTorchDefaultInitBounds) {
  // First Linear of the MLP: weights and bias ~ U(-1/sqrt(784), 1/sqrt(784)).
  auto m = BuildModel({.name = "mlp", .hidden = {64}}, FashionShape(), 3);
  const float bound = 1.0f / 28.0f;
  const auto p = m->params();
  float max_abs = 0;
  double mean = 0;
  for (size_t i = 0; i < 784 * 64 + 64; ++i) {
    ASSERT_LE(std::fabs(p[i]), bound);
    max_abs = std::max(max_abs, std::fabs(p[i]));
    mean += p[i];
  }
  EXPECT_GT(max_abs, 0.99f * bound);
  EXPECT_NEAR(mean / (784 * 64 + 64), 0.0, 0.002);
  // Second Linear (64 -> 10): bound 1/8.
  for (size_t i = 784 * 64 + 64; i < p.size(); ++i) ASSERT_LE(std::fabs(p[i]), 0.125f);
}

TEST(ModelTest, SameSeedSameParamsOtherSeedOther) {
  auto a = BuildModel({.name = "cnn"}, FashionShape(), 5);
  auto b = BuildModel({.name = "cnn"}, FashionShape(), 5);
  auto c = BuildModel({.name = "cnn"}, FashionShape(), 6);
  EXPECT_TRUE(std::equal(a->params().begin(), a->params().end(), b->params().begin()));
  EXPECT_FALSE(std::equal(a->params().begin(), a->params().end(), c->params().begin()));
}

struct RunResult {
  std::vector<float> params;
  std::vector<float> losses;
  double accuracy = 0;
};

// Trains `config` on a synthetic dataset for `steps` steps and evaluates it.
RunResult Train(const ModelConfig& config, uint64_t seed, int steps, float noise = 1.5f) {
  const SyntheticOptions o{.train_samples = 1000, .test_samples = 300, .noise = noise};
  const Dataset train = MakeSynthetic(o, Split::kTrain, 17);
  const Dataset test = MakeSynthetic(o, Split::kTest, 17);
  auto model = BuildModel(config, train, seed);
  Sgd sgd(model->num_params());
  BatchSampler sampler(PartitionIid(train, 1, seed)[0], 32, seed);
  Batch batch;
  RunResult r;
  for (int s = 0; s < steps; ++s) {
    sampler.Next(train, &batch);
    r.losses.push_back(model->ForwardBackward(batch));
    sgd.Step(model->params(), model->grads(),
             {.lr = 0.05f, .momentum = 0.9f, .nesterov = true, .weight_decay = 1e-4f});
  }
  r.params.assign(model->params().begin(), model->params().end());
  r.accuracy = model->Evaluate(test, 128).accuracy;
  return r;
}

TEST(ModelTest, MlpLearnsSyntheticClusters) {
  const RunResult r = Train({.name = "mlp", .hidden = {32}}, 1, 150);
  EXPECT_GT(r.accuracy, 0.9);
  EXPECT_LT(r.losses.back(), 0.5 * r.losses.front());
}

TEST(ModelTest, CnnLearnsSyntheticClusters) {
  // Pooling discards where a pixel is, and these class centres are
  // spatially unstructured, so the CNN gets less noisy clusters than the MLP.
  const RunResult r = Train(
      {.name = "cnn", .conv1_channels = 4, .conv2_channels = 8, .fc_width = 32}, 1, 150, 0.7f);
  EXPECT_GT(r.accuracy, 0.9);
  EXPECT_LT(r.losses.back(), 0.5 * r.losses.front());
}

TEST(ModelTest, TrainingIsBitIdenticalForTheSameSeed) {
  const ModelConfig cnn{.name = "cnn", .conv1_channels = 4, .conv2_channels = 8, .fc_width = 16};
  const RunResult a = Train(cnn, 7, 30), b = Train(cnn, 7, 30), c = Train(cnn, 8, 30);
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(a.losses, b.losses);
  EXPECT_NE(a.params, c.params);
}

TEST(ModelTest, ModelsOnTwoThreadsMatchSerialRuns) {
  // No shared mutable state: concurrent training gives the serial results.
  const ModelConfig mlp{.name = "mlp", .hidden = {32, 16}};
  const ModelConfig cnn{.name = "cnn", .conv1_channels = 4, .conv2_channels = 8, .fc_width = 16};
  const RunResult serial_mlp = Train(mlp, 3, 40), serial_cnn = Train(cnn, 4, 40);
  RunResult threaded_mlp, threaded_cnn;
  std::thread t1([&] { threaded_mlp = Train(mlp, 3, 40); });
  std::thread t2([&] { threaded_cnn = Train(cnn, 4, 40); });
  t1.join();
  t2.join();
  EXPECT_EQ(serial_mlp.params, threaded_mlp.params);
  EXPECT_EQ(serial_cnn.params, threaded_cnn.params);
}

TEST(ModelTest, EvaluateIsIndependentOfBatchSize) {
  const Dataset test = MakeSynthetic({.test_samples = 203}, Split::kTest, 2);
  auto m =
      BuildModel({.name = "cnn", .conv1_channels = 3, .conv2_channels = 5, .fc_width = 8}, test, 9);
  const EvalResult a = m->Evaluate(test, 7), b = m->Evaluate(test, 1000), c = m->Evaluate(test, 1);
  EXPECT_EQ(a.samples, 203);
  EXPECT_DOUBLE_EQ(a.accuracy, b.accuracy);
  EXPECT_DOUBLE_EQ(a.accuracy, c.accuracy);
  EXPECT_NEAR(a.loss, b.loss, 1e-5);
  EXPECT_NEAR(a.loss, c.loss, 1e-5);
  EXPECT_GT(a.loss, 0.0);
}

TEST(ModelTest, EvaluateParamsUsesGivenParamsAndRestoresOwn) {
  const SyntheticOptions o{.train_samples = 500, .test_samples = 200, .noise = 1.0f};
  const Dataset train = MakeSynthetic(o, Split::kTrain, 4);
  const Dataset test = MakeSynthetic(o, Split::kTest, 4);
  auto trained = BuildModel({.name = "mlp", .hidden = {16}}, train, 1);
  Sgd sgd(trained->num_params());
  BatchSampler sampler(PartitionIid(train, 1, 1)[0], 25, 1);
  Batch batch;
  for (int s = 0; s < 100; ++s) {
    sampler.Next(train, &batch);
    trained->ForwardBackward(batch);
    sgd.Step(trained->params(), trained->grads(), {.lr = 0.1f, .momentum = 0.9f});
  }
  auto fresh = BuildModel({.name = "mlp", .hidden = {16}}, train, 2);
  const std::vector<float> before(fresh->params().begin(), fresh->params().end());
  const EvalResult via_fresh = fresh->EvaluateParams(trained->params(), test, 64);
  const EvalResult direct = trained->Evaluate(test, 64);
  EXPECT_DOUBLE_EQ(via_fresh.accuracy, direct.accuracy);
  EXPECT_DOUBLE_EQ(via_fresh.loss, direct.loss);
  EXPECT_GT(direct.accuracy, 0.9);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), fresh->params().begin()));
  EXPECT_LT(fresh->Evaluate(test, 64).accuracy, 0.5);  // its own untrained params
}

TEST(ModelTest, FlattenPassesItsInputThrough) {
  // Flatten is a reshape: the model hands buffers on instead of copying. A
  // model that is a Flatten alone still gives the loss and dL/dlogits.
  Model m({1, 2, 2}, 4);
  m.Add(std::make_unique<Flatten>(Shape{1, 2, 2}));
  m.Finalize(1);
  Batch b;
  b.size = 2;
  b.images = {0, 0, 0, 0, 1, 2, 3, 4};
  b.labels = {0, 3};
  const float loss = m.ForwardBackward(b);
  const double row2 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0) + std::exp(4.0)) - 4;
  EXPECT_NEAR(loss, (std::log(4.0) + row2) / 2, 1e-6);
  EXPECT_EQ(m.num_params(), 0u);
}

TEST(ModelTest, GradientsAreViewsOfOneBuffer) {
  // A step computed on the flat buffers moves every layer: params() is the model.
  const Dataset d = MakeSynthetic({.train_samples = 64}, Split::kTrain, 1);
  auto m = BuildModel({.name = "mlp", .hidden = {8}}, d, 1);
  Batch b;
  std::vector<int64_t> idx(16);
  for (int i = 0; i < 16; ++i) idx[i] = i;
  Gather(d, idx.data(), 16, &b);
  const float loss0 = m->ForwardBackward(b);
  size_t nonzero = 0;
  for (float g : m->grads()) nonzero += g != 0.0f;
  EXPECT_GT(nonzero, m->num_params() / 2);
  std::vector<float> p(m->params().begin(), m->params().end());
  for (size_t i = 0; i < p.size(); ++i) p[i] -= 0.1f * m->grads()[i];
  m->SetParams(p);
  EXPECT_LT(m->ForwardBackward(b), loss0);
}

}  // namespace
}  // namespace olsgd::train
