// Integration: the MLP trained serially for one epoch on the real
// Fashion-MNIST reaches at least 84% test accuracy.
#include <gtest/gtest.h>

#include "trainer/trainer.h"  // the umbrella header: also checks it compiles alone

namespace olsgd::train {
namespace {

TEST(FashionMnistTrainingTest, MlpReaches84PercentAfterOneEpoch) {
  const Dataset train = LoadFashionMnist(kFashionMnistDir, Split::kTrain);
  const Dataset test = LoadFashionMnist(kFashionMnistDir, Split::kTest);
  auto model = BuildModel({.name = "mlp", .hidden = {256, 128}}, train, 1);
  // lr 0.02 with Nesterov 0.9 (effective step 0.2): 0.05 already overshoots in epoch one.
  Sgd sgd(model->num_params());
  BatchSampler sampler(PartitionIid(train, 1, 1)[0], 64, 1);
  const SgdOptions options{.lr = 0.02f, .momentum = 0.9f, .nesterov = true, .weight_decay = 1e-4f};
  Batch batch;
  double first_loss = 0, last_loss = 0;
  while (sampler.epoch() < 1.0) {
    sampler.Next(train, &batch);
    last_loss = model->ForwardBackward(batch);
    if (first_loss == 0) first_loss = last_loss;
    sgd.Step(model->params(), model->grads(), options);
  }
  const EvalResult r = model->Evaluate(test, 1000);
  std::printf("one epoch: train loss %.4f -> %.4f, test loss %.4f, test accuracy %.4f\n",
              first_loss, last_loss, r.loss, r.accuracy);
  EXPECT_EQ(r.samples, 10000);
  EXPECT_GE(r.accuracy, 0.84);
  EXPECT_LT(r.loss, 0.5);
}

}  // namespace
}  // namespace olsgd::train
