// The Fashion-MNIST (IDX .gz) and CIFAR-10 loaders, on the real files and on
// broken ones written here: each failure is a DataError naming the file.
#include "trainer/loaders.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace olsgd::train {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("olsgd_loaders_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

void Put32(std::vector<uint8_t>* b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b->push_back(static_cast<uint8_t>(v >> s));
}

void WriteGz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), int(bytes.size()));
  gzclose(f);
}

void WriteRaw(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

// An IDX image file with `n` rows x cols images declared, `data_bytes` of pixels written.
std::vector<uint8_t> Images(uint32_t n, uint32_t rows, uint32_t cols, size_t data_bytes,
                            uint32_t magic = 0x803) {
  std::vector<uint8_t> b;
  Put32(&b, magic);
  Put32(&b, n);
  Put32(&b, rows);
  Put32(&b, cols);
  for (size_t i = 0; i < data_bytes; ++i) b.push_back(static_cast<uint8_t>(i * 7));
  return b;
}

std::vector<uint8_t> LabelFile(uint32_t n, std::vector<uint8_t> labels, uint32_t magic = 0x801) {
  std::vector<uint8_t> b;
  Put32(&b, magic);
  Put32(&b, n);
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

// Expects LoadFashionMnist(dir, test) to throw a DataError mentioning both.
void ExpectDataError(const std::string& dir, const std::string& file, const std::string& what) {
  try {
    LoadFashionMnist(dir, Split::kTest);
    ADD_FAILURE() << "no DataError for " << what;
  } catch (const DataError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(dir + "/" + file), std::string::npos) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
  }
}

const char* kImages = "t10k-images-idx3-ubyte.gz";
const char* kLabels = "t10k-labels-idx1-ubyte.gz";

TEST(FashionMnistTest, LoadsTheRealFiles) {
  const Dataset train = LoadFashionMnist(kFashionMnistDir, Split::kTrain);
  const Dataset test = LoadFashionMnist(kFashionMnistDir, Split::kTest);
  EXPECT_EQ(train.n, 60000);
  EXPECT_EQ(test.n, 10000);
  for (const Dataset* d : {&train, &test}) {
    EXPECT_EQ(d->channels, 1);
    EXPECT_EQ(d->height, 28);
    EXPECT_EQ(d->width, 28);
    EXPECT_EQ(d->classes, 10);
    EXPECT_EQ(d->images.size(), size_t(d->n) * 784);
    const std::vector<int64_t> counts = LabelCounts(*d);
    for (int64_t c : counts) EXPECT_EQ(c, d->n / 10);  // Fashion-MNIST is balanced
  }
  // Normalised with the training statistics: mean ~0, std ~1.
  double sum = 0, sq = 0;
  for (float v : train.images) {
    sum += v;
    sq += double(v) * v;
  }
  const double mean = sum / train.images.size();
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sq / train.images.size() - mean * mean), 1.0, 0.01);
  // Without normalisation pixels are in [0, 1] and some are exactly 0 and 1.
  const Dataset raw = LoadFashionMnist(kFashionMnistDir, Split::kTest, false);
  EXPECT_EQ(*std::min_element(raw.images.begin(), raw.images.end()), 0.0f);
  EXPECT_EQ(*std::max_element(raw.images.begin(), raw.images.end()), 1.0f);
}

TEST(FashionMnistTest, ReadsAGoodSmallFileAndPlainIdx) {
  TempDir dir;
  WriteGz(dir.str() + "/" + kImages, Images(3, 2, 2, 12));
  WriteRaw(dir.str() + "/" + kLabels, LabelFile(3, {9, 0, 4}));  // uncompressed works too
  const Dataset d = LoadFashionMnist(dir.str(), Split::kTest, false);
  EXPECT_EQ(d.n, 3);
  EXPECT_EQ(d.height, 2);
  EXPECT_EQ(d.labels, (std::vector<int32_t>{9, 0, 4}));
  EXPECT_FLOAT_EQ(d.images[1], 7.0f / 255.0f);
  EXPECT_FLOAT_EQ(d.images[11], 77.0f / 255.0f);
}

TEST(FashionMnistTest, MissingFile) {
  TempDir dir;
  ExpectDataError(dir.str(), kImages, "missing file");
  WriteGz(dir.str() + "/" + kImages, Images(3, 2, 2, 12));
  ExpectDataError(dir.str(), kLabels, "missing file");
}

TEST(FashionMnistTest, BadMagic) {
  TempDir dir;
  WriteGz(dir.str() + "/" + kImages, Images(3, 2, 2, 12, 0x801));
  WriteGz(dir.str() + "/" + kLabels, LabelFile(3, {1, 2, 3}));
  ExpectDataError(dir.str(), kImages, "bad magic");
  WriteGz(dir.str() + "/" + kImages, Images(3, 2, 2, 12));
  WriteGz(dir.str() + "/" + kLabels, LabelFile(3, {1, 2, 3}, 0x12345678));
  ExpectDataError(dir.str(), kLabels, "bad magic");
}

TEST(FashionMnistTest, ShortReadOfTheData) {
  TempDir dir;
  WriteGz(dir.str() + "/" + kImages, Images(100, 28, 28, 500));  // declares 78400 bytes
  WriteGz(dir.str() + "/" + kLabels, LabelFile(100, std::vector<uint8_t>(100, 1)));
  ExpectDataError(dir.str(), kImages, "short read");
}

TEST(FashionMnistTest, ShortReadOfTheHeader) {
  TempDir dir;
  WriteGz(dir.str() + "/" + kImages, {0, 0, 8});
  ExpectDataError(dir.str(), kImages, "short read");
}

TEST(FashionMnistTest, EmptyFile) {
  TempDir dir;
  WriteRaw(dir.str() + "/" + kImages, {});
  ExpectDataError(dir.str(), kImages, "short read");
}

TEST(FashionMnistTest, CountMismatch) {
  TempDir dir;
  WriteGz(dir.str() + "/" + kImages, Images(5, 2, 2, 20));
  WriteGz(dir.str() + "/" + kLabels, LabelFile(4, {1, 2, 3, 4}));
  ExpectDataError(dir.str(), kLabels, "count mismatch");
}

TEST(FashionMnistTest, ImplausibleHeader) {
  TempDir dir;
  WriteGz(dir.str() + "/" + kImages, Images(0, 2, 2, 0));
  ExpectDataError(dir.str(), kImages, "implausible dimension");
  WriteGz(dir.str() + "/" + kImages, Images(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0));
  ExpectDataError(dir.str(), kImages, "implausible dimension");
  // Each dimension plausible, their product (256 GiB) not: no huge allocation.
  WriteGz(dir.str() + "/" + kImages, Images(60000, 65536, 65536, 0));
  ExpectDataError(dir.str(), kImages, "implausible header");
}

TEST(FashionMnistTest, LabelOutOfRange) {
  TempDir dir;
  WriteGz(dir.str() + "/" + kImages, Images(2, 2, 2, 8));
  WriteGz(dir.str() + "/" + kLabels, LabelFile(2, {3, 10}));
  ExpectDataError(dir.str(), kLabels, "out of range");
}

TEST(FashionMnistTest, TruncatedGzipStream) {
  // The real file cut in half: zlib reports an error or the data ends early.
  TempDir dir;
  std::ifstream in(std::string(kFashionMnistDir) + "/" + kImages, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  bytes.resize(bytes.size() / 2);
  WriteRaw(dir.str() + "/" + kImages, bytes);
  try {
    LoadFashionMnist(dir.str(), Split::kTest);
    ADD_FAILURE() << "no DataError for a truncated gzip file";
  } catch (const DataError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(kImages), std::string::npos) << msg;
    EXPECT_TRUE(msg.find("short read") != std::string::npos ||
                msg.find("corrupt gzip") != std::string::npos)
        << msg;
  }
}

TEST(FashionMnistTest, CorruptGzipBody) {
  TempDir dir;
  std::ifstream in(std::string(kFashionMnistDir) + "/" + kLabels, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  for (size_t i = 20; i < bytes.size(); i += 3) bytes[i] ^= 0x5A;  // scramble the deflate data
  WriteGz(dir.str() + "/" + kImages, Images(10000, 1, 1, 10000));
  WriteRaw(dir.str() + "/" + kLabels, bytes);
  try {
    LoadFashionMnist(dir.str(), Split::kTest);
    ADD_FAILURE() << "no DataError for a corrupt gzip file";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(kLabels), std::string::npos) << e.what();
  }
}

// CIFAR-10 records: a label byte then 3072 pixel bytes.
std::vector<uint8_t> CifarRecords(const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> b;
  for (size_t r = 0; r < labels.size(); ++r) {
    b.push_back(labels[r]);
    for (int j = 0; j < 3072; ++j) b.push_back(static_cast<uint8_t>((j / 1024) * 100 + r));
  }
  return b;
}

TEST(Cifar10Test, ReadsGeneratedFiles) {
  TempDir dir;
  WriteRaw(dir.str() + "/test_batch.bin", CifarRecords({3, 7, 0}));
  for (int b = 1; b <= 5; ++b) {
    WriteRaw(dir.str() + "/data_batch_" + std::to_string(b) + ".bin",
             CifarRecords({uint8_t(b), uint8_t(9 - b)}));
  }
  const Dataset test = LoadCifar10(dir.str(), Split::kTest, false);
  EXPECT_EQ(test.n, 3);
  EXPECT_EQ(test.channels, 3);
  EXPECT_EQ(test.height, 32);
  EXPECT_EQ(test.labels, (std::vector<int32_t>{3, 7, 0}));
  // Sample 1: plane c holds (100 c + 1) / 255.
  EXPECT_FLOAT_EQ(test.image(1)[0], 1.0f / 255);
  EXPECT_FLOAT_EQ(test.image(1)[1024], 101.0f / 255);
  EXPECT_FLOAT_EQ(test.image(1)[3071], 201.0f / 255);
  const Dataset train = LoadCifar10(dir.str(), Split::kTrain);
  EXPECT_EQ(train.n, 10);
  EXPECT_EQ(train.labels[8], 5);
  EXPECT_EQ(train.labels[9], 4);
  EXPECT_NEAR(train.image(0)[0], (0.0f - kCifar10Mean[0]) / kCifar10Std[0], 1e-6);
}

void ExpectCifarError(const std::string& dir, const std::string& file, const std::string& what) {
  try {
    LoadCifar10(dir, Split::kTest);
    ADD_FAILURE() << "no DataError for " << what;
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/" + file), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(Cifar10Test, BrokenFiles) {
  TempDir dir;
  ExpectCifarError(dir.str(), "test_batch.bin", "missing file");
  std::vector<uint8_t> bytes = CifarRecords({1, 2});
  bytes.pop_back();
  WriteRaw(dir.str() + "/test_batch.bin", bytes);
  ExpectCifarError(dir.str(), "test_batch.bin", "not a whole number");
  WriteRaw(dir.str() + "/test_batch.bin", CifarRecords({1, 12}));
  ExpectCifarError(dir.str(), "test_batch.bin", "out of range");
  WriteRaw(dir.str() + "/test_batch.bin", {});
  ExpectCifarError(dir.str(), "test_batch.bin", "not a whole number");
}

}  // namespace
}  // namespace olsgd::train
