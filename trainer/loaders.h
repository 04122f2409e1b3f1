#pragma once

#include <string>

#include "trainer/data_error.h"
#include "trainer/dataset.h"

namespace olsgd::train {

// Where Debian's dataset-fashion-mnist package installs the files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Fashion-MNIST pixel statistics (of the training set, pixels in [0, 1]).
inline constexpr float kFashionMnistMean = 0.2860f;
inline constexpr float kFashionMnistStd = 0.3530f;

// Loads {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from `dir`, reading the
// gzip files directly with zlib (plain uncompressed IDX files work too). Pixels
// are scaled to [0, 1] and, if `normalize`, standardised with the constants above.
// Throws DataError naming the file for a missing file, bad magic, implausible
// header, image/label count mismatch, short read, corrupt gzip or a label > 9.
Dataset LoadFashionMnist(const std::string& dir, Split split, bool normalize = true);

// Reads one IDX file (magic 0x00000801 labels or 0x00000803 images, big-endian
// header) into bytes; `dims` receives the dimensions. Throws DataError.
std::vector<uint8_t> ReadIdxFile(const std::string& path, int expected_rank,
                                 std::vector<int64_t>* dims);

// CIFAR-10 per-channel statistics (RGB, pixels in [0, 1]).
inline constexpr float kCifar10Mean[3] = {0.4914f, 0.4822f, 0.4465f};
inline constexpr float kCifar10Std[3] = {0.2470f, 0.2435f, 0.2616f};

// Loads the CIFAR-10 binary format from `dir`: data_batch_1..5.bin (train) or
// test_batch.bin (test); each record is 1 label byte then 3072 bytes of
// 32x32 R, G and B planes. Throws DataError naming the file for a missing file,
// a size that is not a whole number of records, or a label > 9.
Dataset LoadCifar10(const std::string& dir, Split split, bool normalize = true);

}  // namespace olsgd::train
