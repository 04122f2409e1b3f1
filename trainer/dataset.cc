#include "trainer/dataset.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "trainer/rng.h"

namespace olsgd::train {

Dataset MakeSynthetic(const SyntheticOptions& options, Split split, uint64_t seed) {
  if (options.classes < 2 || options.channels < 1 || options.height < 1 || options.width < 1) {
    throw std::invalid_argument("MakeSynthetic: classes >= 2 and positive shape required");
  }
  Dataset d;
  d.n = split == Split::kTrain ? options.train_samples : options.test_samples;
  d.channels = options.channels;
  d.height = options.height;
  d.width = options.width;
  d.classes = options.classes;
  const int64_t size = d.sample_size();
  std::vector<float> centres(static_cast<size_t>(options.classes * size));
  Rng centre_rng(MixSeed(seed, 0xC3A7));
  for (float& c : centres) c = static_cast<float>(centre_rng.Normal());
  Rng rng(MixSeed(seed, split == Split::kTrain ? 1 : 2));
  d.images.resize(static_cast<size_t>(d.n * size));
  d.labels.resize(static_cast<size_t>(d.n));
  for (int64_t i = 0; i < d.n; ++i) {
    const int32_t label = static_cast<int32_t>(i % options.classes);
    d.labels[i] = label;
    const float* centre = centres.data() + label * size;
    float* img = d.images.data() + i * size;
    for (int64_t j = 0; j < size; ++j) {
      img[j] = centre[j] + options.noise * static_cast<float>(rng.Normal());
    }
  }
  return d;
}

void Normalize(Dataset* data, const std::vector<float>& mean, const std::vector<float>& stddev) {
  const int64_t plane = int64_t{data->height} * data->width;
  for (int64_t i = 0; i < data->n; ++i) {
    for (int c = 0; c < data->channels; ++c) {
      const float m = mean.size() == 1 ? mean[0] : mean.at(c);
      const float inv = 1.0f / (stddev.size() == 1 ? stddev[0] : stddev.at(c));
      float* p = data->images.data() + i * data->sample_size() + c * plane;
      for (int64_t j = 0; j < plane; ++j) p[j] = (p[j] - m) * inv;
    }
  }
}

Dataset Subset(const Dataset& data, int64_t max_samples, uint64_t seed) {
  if (max_samples <= 0 || max_samples >= data.n) return data;
  // Partial Fisher-Yates picks max_samples distinct indices; sorting keeps order.
  std::vector<int64_t> idx(static_cast<size_t>(data.n));
  for (int64_t i = 0; i < data.n; ++i) idx[i] = i;
  Rng rng(MixSeed(seed, 0x5B5E7));
  for (int64_t i = 0; i < max_samples; ++i) {
    const int64_t j = i + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(data.n - i)));
    std::swap(idx[i], idx[j]);
  }
  idx.resize(static_cast<size_t>(max_samples));
  std::sort(idx.begin(), idx.end());
  Dataset out = data;
  out.n = max_samples;
  out.images.assign(static_cast<size_t>(max_samples * data.sample_size()), 0.0f);
  out.labels.assign(static_cast<size_t>(max_samples), 0);
  for (int64_t k = 0; k < max_samples; ++k) {
    std::memcpy(out.images.data() + k * data.sample_size(), data.image(idx[k]),
                sizeof(float) * data.sample_size());
    out.labels[k] = data.labels[idx[k]];
  }
  return out;
}

void Gather(const Dataset& data, const int64_t* indices, int count, Batch* out) {
  const int64_t size = data.sample_size();
  out->size = count;
  if (out->images.size() < static_cast<size_t>(count * size)) out->images.resize(count * size);
  if (out->labels.size() < static_cast<size_t>(count)) out->labels.resize(count);
  for (int k = 0; k < count; ++k) {
    std::memcpy(out->images.data() + k * size, data.image(indices[k]), sizeof(float) * size);
    out->labels[k] = data.labels[indices[k]];
  }
}

std::vector<int64_t> LabelCounts(const Dataset& data) {
  std::vector<int64_t> counts(static_cast<size_t>(data.classes), 0);
  for (int64_t i = 0; i < data.n; ++i) ++counts[data.labels[i]];
  return counts;
}

}  // namespace olsgd::train
