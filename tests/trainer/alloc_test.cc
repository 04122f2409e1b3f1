// A training step allocates nothing once warmed up: every buffer the model,
// its layers, the sampler and the optimiser need is sized on the first step.
// This binary replaces the global operator new to count calls (the C++
// containers allocate through it; new_counter.cc).
#include <gtest/gtest.h>

#include "tests/trainer/new_counter.h"
#include "trainer/batch_sampler.h"
#include "trainer/model.h"
#include "trainer/partition.h"
#include "trainer/sgd.h"

namespace olsgd::train {
namespace {

// operator new calls during `steps` training steps that follow three warm-up steps.
long NewCallsPerSteadySteps(const ModelConfig& config, int steps) {
  const SyntheticOptions o{
      .train_samples = 300, .test_samples = 10, .channels = 1, .height = 12, .width = 12};
  const Dataset train = MakeSynthetic(o, Split::kTrain, 3);
  auto model = BuildModel(config, train, 1);
  Sgd sgd(model->num_params());
  BatchSampler sampler(PartitionIid(train, 1, 1)[0], 16, 1);
  Batch batch;
  auto step = [&] {
    sampler.Next(train, &batch);
    model->ForwardBackward(batch);
    sgd.Step(model->params(), model->grads(), {.lr = 0.01f, .momentum = 0.9f, .nesterov = true});
  };
  for (int i = 0; i < 3; ++i) step();
  const long before = testing_support::NewCalls();
  for (int i = 0; i < steps; ++i) step();
  return testing_support::NewCalls() - before;
}

TEST(AllocTest, MlpStepsAllocateNothing) {
  EXPECT_EQ(NewCallsPerSteadySteps({.name = "mlp", .hidden = {32, 16}}, 40), 0);
}

TEST(AllocTest, CnnStepsWithGemmConvolutionsAllocateNothing) {
  // (Over 40 steps the sampler also crosses an epoch, which reshuffles in place.)
  EXPECT_EQ(
      NewCallsPerSteadySteps(
          {.name = "cnn", .conv1_channels = 4, .conv2_channels = 8, .fc_width = 16, .conv = "gemm"},
          40),
      0);
}

// The oneDNN layer's own buffers and kernels are made once per batch size,
// but oneDNN's execute call builds a small argument map each time (a handful
// of allocations per primitive call, inside the library): bounded, not zero.
TEST(AllocTest, CnnStepsWithOneDnnAllocateOnlyInsideOneDnnExecute) {
  const long calls = NewCallsPerSteadySteps(
      {.name = "cnn", .conv1_channels = 4, .conv2_channels = 8, .fc_width = 16}, 40);
  EXPECT_LE(calls, 40 * 100);
}

}  // namespace
}  // namespace olsgd::train
