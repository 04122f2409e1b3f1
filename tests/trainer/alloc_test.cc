// A training step allocates nothing once warmed up: every buffer the model,
// its layers, the sampler and the optimiser need is sized on the first step.
// This binary replaces the global operator new to count calls (the C++
// containers allocate through it).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "trainer/batch_sampler.h"
#include "trainer/model.h"
#include "trainer/partition.h"
#include "trainer/sgd.h"

namespace {
std::atomic<long> new_calls{0};
}  // namespace

void* operator new(std::size_t n) {
  new_calls.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace olsgd::train {
namespace {

// operator new calls during `steps` training steps after `warmup` of them.
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
  const long before = new_calls.load();
  for (int i = 0; i < steps; ++i) step();
  return new_calls.load() - before;
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
