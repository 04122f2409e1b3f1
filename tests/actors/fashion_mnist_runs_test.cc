// Every algorithm learns real data: 3 workers on a Fashion-MNIST subset reach
// accuracy far above chance (10%) after a short run.
#include <gtest/gtest.h>

#include "run_test_util.h"

namespace olsgd::actors {
namespace {

class FashionMnistRunsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(FashionMnistRunsTest, Learns) {
  ExperimentSpec spec;
  spec.name = "fmnist";
  spec.seed = 3;
  spec.cluster.workers = 3;
  spec.data.dataset = DatasetKind::kFashionMnist;
  spec.data.max_train_samples = 12000;
  spec.data.max_test_samples = 2000;
  spec.model.hidden = {64};
  spec.training.epochs = 1;
  spec.training.batch_size = 32;
  spec.training.lr = 0.05;
  spec.algorithm.name = GetParam();
  spec.algorithm.tau = 2;
  spec.algorithm.alpha = spec.algorithm.name == "easgd" ? 0.2 : 0.6;
  spec.algorithm.beta = spec.algorithm.name == "overlap_local_sgd" ? 0.7 : 0.0;
  spec.evaluation.every_rounds = 0;  // once per epoch
  const RunOutcome out = test_util::RunSpec(spec);
  ASSERT_EQ(out.summary.status, "completed") << out.summary.failure;
  EXPECT_GT(out.summary.final_accuracy, 0.6) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, FashionMnistRunsTest,
                         ::testing::Values("sync_sgd", "local_sgd", "overlap_local_sgd", "easgd",
                                           "cocod_sgd"));

}  // namespace
}  // namespace olsgd::actors
