// Fashion-MNIST's IDX files, read straight from .gz with zlib.
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "trainer/loaders.h"

namespace olsgd::train {
namespace {

constexpr int64_t kMaxSamples = 100'000'000;  // sanity bound against garbage headers
constexpr int64_t kMaxDim = 65536;
constexpr int64_t kMaxBytes = int64_t{1} << 32;  // no real IDX file is larger

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzPtr = std::unique_ptr<gzFile_s, GzCloser>;

// Reads exactly `n` bytes or throws a DataError saying why not.
void ReadExactly(gzFile f, const std::string& path, void* dst, size_t n, const char* what) {
  size_t done = 0;
  auto* out = static_cast<unsigned char*>(dst);
  while (done < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - done, 1u << 30));
    const int got = gzread(f, out + done, chunk);
    if (got < 0) {
      int errnum = 0;
      const char* msg = gzerror(f, &errnum);
      throw DataError(path + ": corrupt gzip data while reading " + what + ": " + msg);
    }
    if (got == 0) {
      throw DataError(path + ": short read: file ends after " + std::to_string(done) + " of " +
                      std::to_string(n) + " bytes of " + what);
    }
    done += static_cast<size_t>(got);
  }
}

uint32_t BigEndian32(const unsigned char* b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

}  // namespace

std::vector<uint8_t> ReadIdxFile(const std::string& path, int expected_rank,
                                 std::vector<int64_t>* dims) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw DataError(path + ": missing file (or not a regular file)");
  }
  GzPtr f(gzopen(path.c_str(), "rb"));
  if (!f) throw DataError(path + ": cannot open");
  unsigned char header[4];
  ReadExactly(f.get(), path, header, 4, "the magic number");
  const uint32_t magic = BigEndian32(header);
  const uint32_t expected_magic = 0x800u | static_cast<uint32_t>(expected_rank);
  if (magic != expected_magic) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), ": bad magic 0x%08x, expected 0x%08x (unsigned bytes, rank %d)",
                  magic, expected_magic, expected_rank);
    throw DataError(path + buf);
  }
  dims->assign(static_cast<size_t>(expected_rank), 0);
  int64_t total = 1;
  for (int d = 0; d < expected_rank; ++d) {
    unsigned char b[4];
    ReadExactly(f.get(), path, b, 4, "the header");
    (*dims)[d] = BigEndian32(b);
    const int64_t limit = d == 0 ? kMaxSamples : kMaxDim;
    if ((*dims)[d] <= 0 || (*dims)[d] > limit) {
      throw DataError(path + ": implausible dimension " + std::to_string(d) + " = " +
                      std::to_string((*dims)[d]) + " in the header");
    }
    total *= (*dims)[d];
  }
  if (total > kMaxBytes) {
    throw DataError(path + ": implausible header: " + std::to_string(total) +
                    " bytes of data declared");
  }
  std::vector<uint8_t> data(static_cast<size_t>(total));
  ReadExactly(f.get(), path, data.data(), data.size(), "the data");
  return data;
}

Dataset LoadFashionMnist(const std::string& dir, Split split, bool normalize) {
  const std::string prefix = dir + (split == Split::kTrain ? "/train" : "/t10k");
  const std::string images_path = prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = prefix + "-labels-idx1-ubyte.gz";
  std::vector<int64_t> image_dims, label_dims;
  const std::vector<uint8_t> pixels = ReadIdxFile(images_path, 3, &image_dims);
  const std::vector<uint8_t> labels = ReadIdxFile(labels_path, 1, &label_dims);
  if (image_dims[0] != label_dims[0]) {
    throw DataError(labels_path + ": count mismatch: " + std::to_string(label_dims[0]) +
                    " labels but " + images_path + " has " + std::to_string(image_dims[0]) +
                    " images");
  }
  Dataset d;
  d.n = image_dims[0];
  d.channels = 1;
  d.height = static_cast<int>(image_dims[1]);
  d.width = static_cast<int>(image_dims[2]);
  d.classes = 10;
  d.labels.resize(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= 10) {
      throw DataError(labels_path + ": label " + std::to_string(labels[i]) + " at index " +
                      std::to_string(i) + " is out of range 0-9");
    }
    d.labels[i] = labels[i];
  }
  d.images.resize(pixels.size());
  for (size_t i = 0; i < pixels.size(); ++i) d.images[i] = pixels[i] * (1.0f / 255.0f);
  if (normalize) Normalize(&d, {kFashionMnistMean}, {kFashionMnistStd});
  return d;
}

}  // namespace olsgd::train
