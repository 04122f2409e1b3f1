#include "trainer/batch_sampler.h"

#include <stdexcept>

#include "trainer/rng.h"

namespace olsgd::train {

BatchSampler::BatchSampler(std::vector<int64_t> shard, int batch_size, uint64_t seed)
    : shard_(std::move(shard)), batch_size_(batch_size), seed_(seed) {
  if (shard_.empty()) throw std::invalid_argument("BatchSampler: empty shard");
  if (batch_size_ <= 0) throw std::invalid_argument("BatchSampler: batch_size must be > 0");
  picked_.resize(static_cast<size_t>(batch_size_));
}

void BatchSampler::Reshuffle(int64_t epoch) {
  order_ = shard_;
  Rng rng(MixSeed(seed_, static_cast<uint64_t>(epoch)));
  for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng.Below(i)]);
  order_epoch_ = epoch;
}

void BatchSampler::Next(const Dataset& data, Batch* out) {
  const auto n = static_cast<int64_t>(shard_.size());
  for (int k = 0; k < batch_size_; ++k, ++drawn_) {
    const int64_t epoch = drawn_ / n;
    if (epoch != order_epoch_) Reshuffle(epoch);
    picked_[k] = order_[drawn_ % n];
  }
  Gather(data, picked_.data(), batch_size_, out);
}

double BatchSampler::epoch() const {
  return static_cast<double>(drawn_) / static_cast<double>(shard_.size());
}

void BatchSampler::Seek(int64_t samples_drawn) { drawn_ = samples_drawn; }

int64_t BatchSampler::batches_per_epoch() const {
  return (static_cast<int64_t>(shard_.size()) + batch_size_ - 1) / batch_size_;
}

}  // namespace olsgd::train
