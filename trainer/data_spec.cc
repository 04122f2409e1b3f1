#include "trainer/data_spec.h"

#include <stdexcept>

#include "trainer/loaders.h"
#include "trainer/partition.h"

namespace olsgd::train {

Dataset LoadDataset(const DataSpec& spec, Split split) {
  Dataset d;
  if (spec.name == "fashion_mnist") {
    d = LoadFashionMnist(spec.dir.empty() ? kFashionMnistDir : spec.dir, split);
  } else if (spec.name == "cifar10") {
    if (spec.dir.empty()) throw std::invalid_argument("LoadDataset: cifar10 needs a dir");
    d = LoadCifar10(spec.dir, split);
  } else if (spec.name == "synthetic") {
    d = MakeSynthetic(spec.synthetic, split, spec.seed);
  } else {
    throw std::invalid_argument("LoadDataset: unknown dataset '" + spec.name +
                                "' (expected fashion_mnist, cifar10 or synthetic)");
  }
  const int64_t max = split == Split::kTrain ? spec.max_train_samples : spec.max_test_samples;
  if (max > 0 && max < d.n) d = Subset(d, max, spec.seed + (split == Split::kTrain ? 0 : 1));
  return d;
}

std::vector<std::vector<int64_t>> Partition(const Dataset& data, int workers,
                                            const PartitionSpec& spec) {
  if (spec.kind == "iid") return PartitionIid(data, workers, spec.seed);
  if (spec.kind == "dirichlet") return PartitionDirichlet(data, workers, spec.alpha, spec.seed);
  if (spec.kind == "label_sorted") return PartitionLabelSorted(data, workers);
  throw std::invalid_argument("Partition: unknown kind '" + spec.kind +
                              "' (expected iid, dirichlet or label_sorted)");
}

}  // namespace olsgd::train
