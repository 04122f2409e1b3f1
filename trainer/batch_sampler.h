#pragma once

#include <cstdint>
#include <vector>

#include "trainer/dataset.h"

namespace olsgd::train {

// Draws fixed-size batches from one worker's shard, reshuffled every epoch with
// a permutation seeded by (seed, epoch). A batch that crosses the end of an
// epoch continues into the next epoch's permutation, so every batch is full.
// Its whole state is samples_drawn(), so a checkpoint needs only that number.
class BatchSampler {
 public:
  // REQUIRES: shard non-empty, batch_size > 0.
  BatchSampler(std::vector<int64_t> shard, int batch_size, uint64_t seed);

  // Fills `out` with the next batch_size samples of `data`.
  void Next(const Dataset& data, Batch* out);

  // Epochs completed over this shard, fractional (samples drawn / shard size).
  double epoch() const;
  // Samples drawn so far.
  int64_t samples_drawn() const { return drawn_; }
  // Jumps to the state after `samples_drawn` samples (for checkpoint restore).
  void Seek(int64_t samples_drawn);
  // Batches per epoch, rounded up.
  int64_t batches_per_epoch() const;
  int batch_size() const { return batch_size_; }
  const std::vector<int64_t>& shard() const { return shard_; }

 private:
  void Reshuffle(int64_t epoch);

  std::vector<int64_t> shard_;
  int batch_size_;
  uint64_t seed_;
  std::vector<int64_t> order_;   // this epoch's permutation of shard_
  std::vector<int64_t> picked_;  // the indices of the batch being built
  int64_t drawn_ = 0;
  int64_t order_epoch_ = -1;  // which epoch order_ holds
};

}  // namespace olsgd::train
