#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace olsgd::train {

// Which half of a dataset to load.
enum class Split { kTrain, kTest };

// An in-memory labelled image dataset: images NCHW float (normalised by the
// loaders), labels int32 in [0, classes).
struct Dataset {
  int64_t n = 0;
  int channels = 0, height = 0, width = 0, classes = 0;
  std::vector<float> images;
  std::vector<int32_t> labels;

  // Floats per sample (channels * height * width).
  int64_t sample_size() const { return int64_t{channels} * height * width; }
  // The first float of sample i. REQUIRES: 0 <= i < n.
  const float* image(int64_t i) const { return images.data() + i * sample_size(); }
};

// A minibatch: `size` samples, images packed NCHW, labels alongside. The
// vectors may be longer than `size` samples (they only grow, so refilling a
// Batch allocates nothing); only the first `size` count.
struct Batch {
  int size = 0;
  std::vector<float> images;
  std::vector<int32_t> labels;
};

// Options of MakeSynthetic: Gaussian class clusters in image shape.
struct SyntheticOptions {
  int64_t train_samples = 2000;
  int64_t test_samples = 500;
  int classes = 10;
  int channels = 1, height = 8, width = 8;
  float noise = 1.0f;  // std of the per-pixel noise around each class centre
};

// A seeded, learnable dataset: each class has a random centre (unit normal per
// pixel, shared by both splits for a given seed) and samples are the centre
// plus `noise` * N(0, 1). Labels cycle evenly through the classes.
Dataset MakeSynthetic(const SyntheticOptions& options, Split split, uint64_t seed);

// Subtracts mean[c] and divides by stddev[c] per channel c (one value each
// broadcasts to all channels).
void Normalize(Dataset* data, const std::vector<float>& mean, const std::vector<float>& stddev);

// A seeded random subset of at most max_samples samples, in the original order.
// max_samples <= 0 or >= n returns a copy.
Dataset Subset(const Dataset& data, int64_t max_samples, uint64_t seed);

// Copies samples `indices` into `out` (resized as needed, no allocation when
// the batch size does not grow).
void Gather(const Dataset& data, const int64_t* indices, int count, Batch* out);

// Per-class sample counts.
std::vector<int64_t> LabelCounts(const Dataset& data);

}  // namespace olsgd::train
