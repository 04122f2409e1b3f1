// CIFAR-10 in its binary format (https://www.cs.toronto.edu/~kriz/cifar.html).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "trainer/loaders.h"

namespace olsgd::train {
namespace {

constexpr int64_t kPixels = 3 * 32 * 32;
constexpr int64_t kRecord = 1 + kPixels;

// Appends the records of one batch file to `d`.
void AppendBatchFile(const std::string& path, Dataset* d) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw DataError(path + ": missing file (or not a regular file)");
  }
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  if (ec) throw DataError(path + ": cannot read its size: " + ec.message());
  if (bytes == 0 || bytes % kRecord != 0) {
    throw DataError(path + ": size " + std::to_string(bytes) +
                    " bytes is not a whole number of 3073-byte records (truncated?)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open");
  std::vector<unsigned char> buf(static_cast<size_t>(bytes));
  in.read(reinterpret_cast<char*>(buf.data()), bytes);
  if (in.gcount() != bytes) {
    throw DataError(path + ": short read: got " + std::to_string(in.gcount()) + " of " +
                    std::to_string(bytes) + " bytes");
  }
  const int64_t records = bytes / kRecord;
  const int64_t first = d->n;
  d->n += records;
  d->labels.resize(static_cast<size_t>(d->n));
  d->images.resize(static_cast<size_t>(d->n * kPixels));
  for (int64_t r = 0; r < records; ++r) {
    const unsigned char* rec = buf.data() + r * kRecord;
    if (rec[0] >= 10) {
      throw DataError(path + ": label " + std::to_string(rec[0]) + " in record " +
                      std::to_string(r) + " (byte offset " + std::to_string(r * kRecord) +
                      ") is out of range 0-9");
    }
    d->labels[first + r] = rec[0];
    float* img = d->images.data() + (first + r) * kPixels;
    for (int64_t j = 0; j < kPixels; ++j) img[j] = rec[1 + j] * (1.0f / 255.0f);
  }
}

}  // namespace

Dataset LoadCifar10(const std::string& dir, Split split, bool normalize) {
  Dataset d;
  d.channels = 3;
  d.height = 32;
  d.width = 32;
  d.classes = 10;
  if (split == Split::kTrain) {
    for (int b = 1; b <= 5; ++b)
      AppendBatchFile(dir + "/data_batch_" + std::to_string(b) + ".bin", &d);
  } else {
    AppendBatchFile(dir + "/test_batch.bin", &d);
  }
  if (normalize) {
    Normalize(&d, {kCifar10Mean[0], kCifar10Mean[1], kCifar10Mean[2]},
              {kCifar10Std[0], kCifar10Std[1], kCifar10Std[2]});
  }
  return d;
}

}  // namespace olsgd::train
