#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trainer/dataset.h"

namespace olsgd::train {

// A dataset chosen by name, as a config names it.
struct DataSpec {
  std::string name = "fashion_mnist";  // "fashion_mnist", "cifar10" or "synthetic"
  std::string dir;                     // empty: the default for the dataset
  int64_t max_train_samples = 0;       // > 0: a seeded random subset
  int64_t max_test_samples = 0;
  uint64_t seed = 0;           // for the subsets and the synthetic data
  SyntheticOptions synthetic;  // only for "synthetic"
};

// Loads split `split` of `spec` (normalised). Throws DataError for bad files,
// std::invalid_argument for an unknown name or a CIFAR-10 spec without a dir.
Dataset LoadDataset(const DataSpec& spec, Split split);

// How to split the training set over workers.
struct PartitionSpec {
  std::string kind = "iid";  // "iid", "dirichlet" or "label_sorted"
  double alpha = 0.5;        // Dirichlet concentration
  uint64_t seed = 0;
};

// Dispatches to PartitionIid / PartitionDirichlet / PartitionLabelSorted.
// Throws std::invalid_argument for an unknown kind.
std::vector<std::vector<int64_t>> Partition(const Dataset& data, int workers,
                                            const PartitionSpec& spec);

}  // namespace olsgd::train
