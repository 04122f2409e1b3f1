#include "actors/worker/dataset_cache.h"

#include <cmath>
#include <map>
#include <mutex>
#include <string>

#include "trainer/data_spec.h"

namespace olsgd::actors {
namespace {

std::string CacheKey(const DataSpec& d, uint64_t seed, train::Split split) {
  std::string key =
      std::string(NameOf(d.dataset)) + "|" + d.path + "|" + std::to_string(static_cast<int>(split));
  key += "|" +
         std::to_string(split == train::Split::kTrain ? d.max_train_samples : d.max_test_samples);
  if (d.dataset == DatasetKind::kSynthetic) {
    key += "|" + std::to_string(d.synthetic_train) + "|" + std::to_string(d.synthetic_test) + "|" +
           std::to_string(d.synthetic_features) + "|" + std::to_string(d.synthetic_classes) + "|" +
           std::to_string(seed);
  }
  if (d.max_train_samples > 0 || d.max_test_samples > 0) key += "|s" + std::to_string(seed);
  return key;
}

train::Dataset Load(const DataSpec& d, uint64_t seed, train::Split split) {
  train::DataSpec t;
  t.name = NameOf(d.dataset);
  t.dir = d.path;
  t.max_train_samples = d.max_train_samples;
  t.max_test_samples = d.max_test_samples;
  t.seed = seed;
  t.synthetic.train_samples = d.synthetic_train;
  t.synthetic.test_samples = d.synthetic_test;
  t.synthetic.classes = d.synthetic_classes;
  // A perfect square becomes a square image (so `cnn` works); else a row.
  const int side = static_cast<int>(std::lround(std::sqrt(d.synthetic_features)));
  t.synthetic.channels = 1;
  t.synthetic.height = side * side == d.synthetic_features ? side : 1;
  t.synthetic.width = d.synthetic_features / t.synthetic.height;
  return train::LoadDataset(t, split);
}

}  // namespace

std::shared_ptr<const train::Dataset> LoadSplit(const DataSpec& data, uint64_t seed,
                                                train::Split split) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const train::Dataset>> cache;
  const std::string key = CacheKey(data, seed, split);
  std::lock_guard<std::mutex> lock(mu);  // loading under the lock: others wait, not reload
  if (auto hit = cache[key].lock()) return hit;
  auto loaded = std::make_shared<const train::Dataset>(Load(data, seed, split));
  cache[key] = loaded;
  return loaded;
}

std::shared_ptr<const Partitioned> PartitionOf(const ExperimentSpec& spec,
                                               const train::Dataset& data) {
  static std::mutex mu;
  // Held, not weak: trainers copy their shard and let go of the rest, and
  // the next trainer would partition again. A few entries (indices only,
  // 8 bytes a sample) are kept; a long-lived process starts over past them.
  static std::map<std::string, std::shared_ptr<const Partitioned>> cache;
  train::PartitionSpec p;
  p.kind = NameOf(spec.data.partition);
  p.alpha = spec.data.dirichlet_alpha;
  p.seed = spec.seed;
  // The dataset's identity, its size (a subset changes it) and the partition.
  const std::string key = CacheKey(spec.data, spec.seed, train::Split::kTrain) + "|" +
                          std::to_string(data.n) + "|" + p.kind + "|" + std::to_string(p.alpha) +
                          "|" + std::to_string(spec.seed) + "|" +
                          std::to_string(spec.cluster.workers);
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  if (cache.size() >= 8) cache.clear();
  auto made = std::make_shared<const Partitioned>(train::Partition(data, spec.cluster.workers, p));
  cache[key] = made;
  return made;
}

}  // namespace olsgd::actors
