// Partition invariants and the per-worker BatchSampler.
#include "trainer/partition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "trainer/batch_sampler.h"
#include "trainer/data_spec.h"
#include "trainer/loaders.h"

namespace olsgd::train {
namespace {

Dataset Labels(int64_t n, int classes) {
  SyntheticOptions o{.train_samples = n, .classes = classes, .height = 2, .width = 2};
  return MakeSynthetic(o, Split::kTrain, 1);
}

// Every sample in exactly one shard, each shard sorted.
void ExpectExactCover(const Dataset& d, const std::vector<std::vector<int64_t>>& shards) {
  std::vector<int> seen(size_t(d.n), 0);
  for (const auto& s : shards) {
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
    for (int64_t i : s) {
      ASSERT_GE(i, 0);
      ASSERT_LT(i, d.n);
      ++seen[i];
    }
  }
  for (int64_t i = 0; i < d.n; ++i) ASSERT_EQ(seen[i], 1) << "sample " << i;
}

// Mean over workers of the total-variation distance between the worker's label
// distribution and the global one: 0 for perfectly IID shards.
double LabelSkew(const Dataset& d, const std::vector<std::vector<int64_t>>& shards) {
  const std::vector<int64_t> global = LabelCounts(d);
  double total = 0;
  for (const auto& s : shards) {
    std::vector<double> local(size_t(d.classes), 0.0);
    for (int64_t i : s) local[d.labels[i]] += 1.0;
    double tv = 0;
    for (int c = 0; c < d.classes; ++c) {
      tv += std::fabs(local[c] / s.size() - double(global[c]) / d.n);
    }
    total += tv / 2;
  }
  return total / shards.size();
}

TEST(PartitionTest, IidCoversEverySampleOnceWithBalancedSizes) {
  const Dataset d = Labels(1003, 10);
  const auto shards = PartitionIid(d, 4, 7);
  ASSERT_EQ(shards.size(), 4u);
  ExpectExactCover(d, shards);
  for (const auto& s : shards) {
    EXPECT_GE(s.size(), 250u);
    EXPECT_LE(s.size(), 251u);
  }
  EXPECT_LT(LabelSkew(d, shards), 0.1);
}

TEST(PartitionTest, IidIsSeeded) {
  const Dataset d = Labels(500, 10);
  EXPECT_EQ(PartitionIid(d, 3, 5), PartitionIid(d, 3, 5));
  EXPECT_NE(PartitionIid(d, 3, 5), PartitionIid(d, 3, 6));
}

TEST(PartitionTest, DirichletCoversEverySampleOnce) {
  const Dataset d = Labels(2000, 10);
  for (double alpha : {0.1, 0.5, 100.0}) {
    const auto shards = PartitionDirichlet(d, 5, alpha, 11);
    ASSERT_EQ(shards.size(), 5u);
    ExpectExactCover(d, shards);
  }
}

TEST(PartitionTest, DirichletSmallAlphaIsFarMoreSkewedThanIid) {
  const Dataset d = Labels(5000, 10);
  const double iid = LabelSkew(d, PartitionIid(d, 4, 3));
  const double dir01 = LabelSkew(d, PartitionDirichlet(d, 4, 0.1, 3));
  const double dir_large = LabelSkew(d, PartitionDirichlet(d, 4, 1000.0, 3));
  EXPECT_LT(iid, 0.05);
  EXPECT_GT(dir01, 0.4);
  EXPECT_GT(dir01, 8 * iid);
  EXPECT_LT(dir_large, 0.1);  // huge alpha approaches IID
}

TEST(PartitionTest, DirichletNeverLeavesAWorkerEmpty) {
  const Dataset d = Labels(60, 10);
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const auto shards = PartitionDirichlet(d, 20, 0.05, seed);
    ExpectExactCover(d, shards);
    for (const auto& s : shards) EXPECT_FALSE(s.empty()) << "seed " << seed;
  }
}

TEST(PartitionTest, LabelSortedGivesEachWorkerFewLabels) {
  const Dataset d = Labels(1000, 10);  // 100 per label
  const auto shards = PartitionLabelSorted(d, 5);
  ExpectExactCover(d, shards);
  for (const auto& s : shards) {
    std::set<int32_t> labels;
    for (int64_t i : s) labels.insert(d.labels[i]);
    EXPECT_EQ(labels.size(), 2u);
  }
}

TEST(PartitionTest, RejectsBadArguments) {
  const Dataset d = Labels(10, 2);
  EXPECT_THROW(PartitionIid(d, 0, 1), std::invalid_argument);
  EXPECT_THROW(PartitionIid(d, 11, 1), std::invalid_argument);
  EXPECT_THROW(PartitionDirichlet(d, 2, 0.0, 1), std::invalid_argument);
}

TEST(BatchSamplerTest, EachEpochVisitsTheShardOnceInANewOrder) {
  const Dataset d = Labels(100, 10);
  std::vector<int64_t> shard;
  for (int64_t i = 0; i < 100; i += 2) shard.push_back(i);  // 50 samples
  BatchSampler sampler(shard, 10, 42);
  EXPECT_EQ(sampler.batches_per_epoch(), 5);
  Batch b;
  std::vector<int64_t> epoch0, epoch1;
  // Identify samples by their (unique) image's first pixel.
  auto id_of = [&](const float* img) {
    for (int64_t i : shard) {
      if (d.image(i)[0] == img[0] && d.image(i)[1] == img[1]) return i;
    }
    return int64_t{-1};
  };
  for (int k = 0; k < 10; ++k) {
    sampler.Next(d, &b);
    ASSERT_EQ(b.size, 10);
    for (int j = 0; j < 10; ++j) {
      const int64_t id = id_of(b.images.data() + j * d.sample_size());
      ASSERT_GE(id, 0);
      EXPECT_EQ(b.labels[j], d.labels[id]);
      (k < 5 ? epoch0 : epoch1).push_back(id);
    }
    if (k == 4) {
      EXPECT_DOUBLE_EQ(sampler.epoch(), 1.0);
    }
  }
  EXPECT_DOUBLE_EQ(sampler.epoch(), 2.0);
  EXPECT_NE(epoch0, epoch1);
  std::sort(epoch0.begin(), epoch0.end());
  std::sort(epoch1.begin(), epoch1.end());
  EXPECT_EQ(epoch0, shard);
  EXPECT_EQ(epoch1, shard);
}

TEST(BatchSamplerTest, BatchesCrossEpochBoundariesAndSeekRestores) {
  const Dataset d = Labels(30, 3);
  std::vector<int64_t> shard(30);
  for (int i = 0; i < 30; ++i) shard[i] = i;
  BatchSampler a(shard, 8, 9), b(shard, 8, 9), other(shard, 8, 10);
  Batch ba, bb, bo;
  for (int k = 0; k < 5; ++k) a.Next(d, &ba);  // 40 samples: 1.33 epochs
  EXPECT_NEAR(a.epoch(), 40.0 / 30.0, 1e-12);
  b.Seek(a.samples_drawn());
  a.Next(d, &ba);
  b.Next(d, &bb);
  EXPECT_EQ(ba.labels, bb.labels);
  EXPECT_EQ(ba.images, bb.images);
  for (int k = 0; k < 6; ++k) other.Next(d, &bo);
  EXPECT_NE(bo.images, ba.images);  // another seed, another order
}

}  // namespace
}  // namespace olsgd::train

namespace olsgd::train {
namespace {

TEST(DataSpecTest, LoadsByNameWithSubsetsAndPartitionsByKind) {
  DataSpec spec{.name = "synthetic",
                .max_train_samples = 300,
                .seed = 4,
                .synthetic = {.train_samples = 1000, .test_samples = 200}};
  const Dataset train = LoadDataset(spec, Split::kTrain);
  const Dataset test = LoadDataset(spec, Split::kTest);
  EXPECT_EQ(train.n, 300);
  EXPECT_EQ(train.labels.size(), 300u);
  EXPECT_EQ(train.images.size(), 300u * 64);
  EXPECT_EQ(test.n, 200);
  for (const char* kind : {"iid", "dirichlet", "label_sorted"}) {
    const auto shards = Partition(train, 3, {.kind = kind, .alpha = 0.5, .seed = 1});
    size_t total = 0;
    for (const auto& s : shards) total += s.size();
    EXPECT_EQ(total, 300u) << kind;
  }
  EXPECT_THROW(Partition(train, 3, {.kind = "round_robin"}), std::invalid_argument);
  EXPECT_THROW(LoadDataset({.name = "imagenet"}, Split::kTrain), std::invalid_argument);
  EXPECT_THROW(LoadDataset({.name = "cifar10"}, Split::kTrain), std::invalid_argument);
  EXPECT_THROW(LoadDataset({.name = "fashion_mnist", .dir = "/nonexistent"}, Split::kTest),
               DataError);
}

TEST(DataSpecTest, SubsetIsSeededAndKeepsPairs) {
  const Dataset d = MakeSynthetic({.train_samples = 500}, Split::kTrain, 3);
  const Dataset a = Subset(d, 50, 1), b = Subset(d, 50, 1), c = Subset(d, 50, 2);
  EXPECT_EQ(a.images, b.images);
  EXPECT_NE(a.images, c.images);
  // Each kept sample keeps its own label: find it in the original.
  for (int64_t k = 0; k < a.n; ++k) {
    bool found = false;
    for (int64_t i = 0; i < d.n && !found; ++i) {
      found = std::equal(a.image(k), a.image(k) + a.sample_size(), d.image(i)) &&
              a.labels[k] == d.labels[i];
    }
    EXPECT_TRUE(found) << k;
  }
}

}  // namespace
}  // namespace olsgd::train
