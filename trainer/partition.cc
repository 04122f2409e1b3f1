#include "trainer/partition.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "trainer/rng.h"

namespace olsgd::train {
namespace {

void CheckWorkers(const Dataset& data, int workers) {
  if (workers < 1 || workers > data.n) {
    throw std::invalid_argument("partition: need 1 <= workers <= samples, got workers=" +
                                std::to_string(workers) + " samples=" + std::to_string(data.n));
  }
}

void Shuffle(std::vector<int64_t>* v, Rng* rng) {
  for (size_t i = v->size(); i > 1; --i) {
    std::swap((*v)[i - 1], (*v)[rng->Below(i)]);
  }
}

// Cuts `order` into `workers` contiguous near-equal pieces.
std::vector<std::vector<int64_t>> CutEven(const std::vector<int64_t>& order, int workers) {
  std::vector<std::vector<int64_t>> shards(static_cast<size_t>(workers));
  const int64_t n = static_cast<int64_t>(order.size());
  for (int w = 0; w < workers; ++w) {
    const int64_t lo = n * w / workers, hi = n * (w + 1) / workers;
    shards[w].assign(order.begin() + lo, order.begin() + hi);
    std::sort(shards[w].begin(), shards[w].end());
  }
  return shards;
}

}  // namespace

std::vector<std::vector<int64_t>> PartitionIid(const Dataset& data, int workers, uint64_t seed) {
  CheckWorkers(data, workers);
  std::vector<int64_t> order(static_cast<size_t>(data.n));
  std::iota(order.begin(), order.end(), int64_t{0});
  Rng rng(MixSeed(seed, 0x11D));
  Shuffle(&order, &rng);
  return CutEven(order, workers);
}

std::vector<std::vector<int64_t>> PartitionDirichlet(const Dataset& data, int workers, double alpha,
                                                     uint64_t seed) {
  CheckWorkers(data, workers);
  if (!(alpha > 0)) throw std::invalid_argument("PartitionDirichlet: alpha must be > 0");
  std::vector<std::vector<int64_t>> by_label(static_cast<size_t>(data.classes));
  for (int64_t i = 0; i < data.n; ++i) by_label[data.labels[i]].push_back(i);
  Rng rng(MixSeed(seed, 0xD1C));
  std::vector<std::vector<int64_t>> shards(static_cast<size_t>(workers));
  std::vector<double> p(static_cast<size_t>(workers));
  for (auto& idx : by_label) {
    Shuffle(&idx, &rng);
    double total = 0;
    for (double& x : p) total += (x = rng.Gamma(alpha));
    if (!(total > 0)) {  // all draws underflowed: give the label to one worker
      std::fill(p.begin(), p.end(), 0.0);
      p[rng.Below(static_cast<uint64_t>(workers))] = total = 1.0;
    }
    const auto n = static_cast<int64_t>(idx.size());
    double cumulative = 0;
    int64_t lo = 0;
    for (int w = 0; w < workers; ++w) {
      cumulative += p[w];
      const int64_t hi =
          w == workers - 1
              ? n
              : std::min(n, static_cast<int64_t>(std::llround(cumulative / total * n)));
      if (hi > lo) shards[w].insert(shards[w].end(), idx.begin() + lo, idx.begin() + hi);
      lo = std::max(lo, hi);
    }
  }
  for (auto& shard : shards) {
    if (!shard.empty()) continue;
    auto largest = std::max_element(shards.begin(), shards.end(), [](const auto& a, const auto& b) {
      return a.size() < b.size();
    });
    shard.push_back(largest->back());
    largest->pop_back();
  }
  for (auto& shard : shards) std::sort(shard.begin(), shard.end());
  return shards;
}

std::vector<std::vector<int64_t>> PartitionLabelSorted(const Dataset& data, int workers) {
  CheckWorkers(data, workers);
  std::vector<int64_t> order(static_cast<size_t>(data.n));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return data.labels[a] < data.labels[b]; });
  return CutEven(order, workers);
}

}  // namespace olsgd::train
