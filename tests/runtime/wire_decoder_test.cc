// The fuzz corpus and hand-made malformed messages through the decode path
// of the libFuzzer target (tests/fuzz/wire_fuzz_driver.h), in every
// `make test` and sanitizer build, with or without clang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "tests/fuzz/wire_fuzz_driver.h"

namespace olsgd::rt::fuzz {
namespace {

using detail::MsgType;

std::vector<zmq::message_t> Frames(std::vector<std::string> parts) {
  std::vector<zmq::message_t> out;
  for (const auto& p : parts) out.emplace_back(p.data(), p.size());
  return out;
}

std::string Bytes(std::initializer_list<uint8_t> b) { return std::string(b.begin(), b.end()); }

std::string Pack(const auto& v) {
  msgpack::sbuffer b;
  msgpack::pack(b, v);
  return std::string(b.data(), b.size());
}

// A header: [version, type, src_node, src, dst, method, request_id, sizes, body].
std::string Header(int version, int type, std::vector<uint64_t> sizes,
                   const std::string& method = "echo") {
  msgpack::sbuffer b;
  msgpack::packer<msgpack::sbuffer> p(b);
  p.pack_array(9);
  p.pack(version);
  p.pack(type);
  p.pack(1);
  p.pack(uint64_t{7});
  p.pack(uint64_t{3});
  p.pack(method);
  p.pack(uint64_t{1});
  p.pack(sizes);
  p.pack(std::make_tuple(std::string("hi")));
  return std::string(b.data(), b.size());
}

// Asserts that the frames are rejected with kDecode (and do not crash).
void ExpectRejected(std::vector<zmq::message_t> frames, const std::string& why) {
  Outcome o = RunFrames(std::move(frames));
  EXPECT_FALSE(o.decoded) << why;
  EXPECT_FALSE(o.error.empty()) << why;
}

TEST(WireDecoderTest, CorpusDecodes) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(OLSGD_FUZZ_CORPUS_DIR))
    files.push_back(e.path());
  ASSERT_GE(files.size(), 20u) << OLSGD_FUZZ_CORPUS_DIR;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Outcome o = RunInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    EXPECT_TRUE(o.decoded) << f << ": " << o.error;
  }
}

TEST(WireDecoderTest, SeedsDecode) {
  for (const auto& [name, data] : SeedInputs()) {
    Outcome o = RunInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    EXPECT_TRUE(o.decoded) << name << ": " << o.error;
  }
}

TEST(WireDecoderTest, ValidHandMadeHeaderDecodes) {
  EXPECT_TRUE(RunFrames(Frames({Header(1, 2, {})})).decoded);
  EXPECT_TRUE(RunFrames(Frames({Header(1, 2, {8, 0}), std::string(8, 'x'), ""})).decoded);
}

TEST(WireDecoderTest, EveryTruncationOfAValidEnvelopeIsRejected) {
  std::string h = Header(1, 2, {4});
  for (size_t n = 0; n < h.size(); ++n) {
    ExpectRejected(Frames({h.substr(0, n), "abcd"}), "truncated to " + std::to_string(n));
  }
  ExpectRejected(Frames({h + "x", "abcd"}), "trailing byte");
}

TEST(WireDecoderTest, WrongFrameCountIsRejected) {
  ExpectRejected({}, "no frames");
  ExpectRejected(Frames({Header(1, 2, {4})}), "tensor frame missing");
  ExpectRejected(Frames({Header(1, 2, {4}), "abcd", "abcd"}), "extra frame");
  ExpectRejected(Frames({Header(1, 2, {}), ""}), "extra empty frame");
}

TEST(WireDecoderTest, TensorSizesThatDoNotMatchAreRejected) {
  ExpectRejected(Frames({Header(1, 2, {~uint64_t{0}}), "abcd"}), "2^64-1 bytes declared");
  ExpectRejected(Frames({Header(1, 2, {uint64_t{1} << 40}), "abcd"}), "1 TiB declared");
  ExpectRejected(Frames({Header(1, 2, {8}), "abcd"}), "shorter frame");
  ExpectRejected(Frames({Header(1, 2, {3}), "abc"}), "not a multiple of 4");
}

TEST(WireDecoderTest, HugeDeclaredCountsAreRejectedWithoutAllocating) {
  // array32 / map32 / str32 / bin32 headers declaring 4 G elements or bytes.
  for (char tag : {'\xdd', '\xdf', '\xdb', '\xc6'}) {
    ExpectRejected(Frames({std::string(1, tag) + "\xff\xff\xff\xff"}), "huge count");
    std::string h =
        "\x99\x01\x02\x01\x07\x03\xa4"
        "echo"
        "\x01" +
        std::string(1, tag) + "\xff\xff\xff\xff";
    ExpectRejected(Frames({h}), "huge count inside the header");
  }
  ExpectRejected(Frames({std::string(100000, '\x91')}), "deep nesting");
}

// Found with the fuzz target (libFuzzer: out-of-memory (malloc(4294967304))):
// a 64 MiB header frame whose body is a map32 declaring 2^26 entries made
// msgpack::unpack reserve 4 GiB before it saw that the entries were missing.
// The decoder now rejects counts the frame cannot hold before unpacking.
TEST(WireDecoderTest, RegressionCountLargerThanTheFrameIsRejectedBeforeUnpacking) {
  const size_t kSize = size_t{64} << 20;
  std::string h =
      "\x99\x01\x02\x01\x07\x03\xa4"
      "echo"
      "\x01\x90\xdf\x04\x00\x00\x00";
  h.resize(kSize, '\0');
  Outcome o = RunFrames(Frames({h}));
  EXPECT_FALSE(o.decoded);
  EXPECT_NE(o.error.find("more elements than it has bytes"), std::string::npos) << o.error;
  // Nested containers each declaring the frame size, too.
  std::string nested;
  for (int i = 0; i < 30; ++i) nested += "\xdd\x00\x10\x00\x00";  // array32 of 2^20
  nested.resize(size_t{1} << 20, '\xc0');
  EXPECT_FALSE(RunFrames(Frames({nested})).decoded);
}

TEST(WireDecoderTest, LargeValidHeadersStillDecode) {
  std::vector<int> many(200000, 1);
  msgpack::sbuffer b;
  msgpack::packer<msgpack::sbuffer> p(b);
  p.pack_array(9);
  p.pack(1);
  p.pack(static_cast<int>(MsgType::kTell));
  p.pack(1);
  p.pack(uint64_t{7});
  p.pack(uint64_t{3});
  p.pack(std::string("nested"));
  p.pack(uint64_t{0});
  p.pack(std::vector<uint64_t>{});
  p.pack(std::make_tuple(std::vector<std::map<std::string, std::vector<int>>>{{{"k", many}}}));
  EXPECT_TRUE(RunFrames(Frames({std::string(b.data(), b.size())})).decoded);
}

TEST(WireDecoderTest, WrongMsgpackTypesAreRejected) {
  ExpectRejected(Frames({Pack(std::string("not an array"))}), "string");
  ExpectRejected(Frames({Pack(std::vector<int>{1, 2, 3})}), "short array");
  ExpectRejected(Frames({"\xc1"}), "reserved byte");
  std::string ok = Header(1, 2, {});
  auto with = [&](int index, const std::string& value) {
    msgpack::object_handle oh = msgpack::unpack(ok.data(), ok.size());
    msgpack::sbuffer b;
    msgpack::packer<msgpack::sbuffer> p(b);
    p.pack_array(9);
    for (int i = 0; i < 9; ++i) {
      if (i == index) {
        b.write(value.data(), value.size());
      } else {
        p.pack(oh.get().via.array.ptr[i]);
      }
    }
    return std::string(b.data(), b.size());
  };
  const std::string kStr = Pack(std::string("1"));
  const std::string kNeg = Pack(-1);
  const std::string kFloat = Pack(1.5);
  for (int i : {0, 1, 2, 3, 4, 6}) {
    ExpectRejected(Frames({with(i, kStr)}), "string in field " + std::to_string(i));
    ExpectRejected(Frames({with(i, kNeg)}), "negative in field " + std::to_string(i));
    ExpectRejected(Frames({with(i, kFloat)}), "float in field " + std::to_string(i));
  }
  ExpectRejected(Frames({with(2, Pack(uint64_t{1} << 32))}), "node id over 32 bits");
  ExpectRejected(Frames({with(5, Pack(5))}), "method is an int");
  ExpectRejected(Frames({with(5, Pack(msgpack::type::raw_ref("echo", 4)))}), "method is bin");
  ExpectRejected(Frames({with(7, Pack(4))}), "sizes not an array");
  ExpectRejected(Frames({with(7, Pack(std::vector<int>{-4})), "abcd"}), "negative size");
  ExpectRejected(Frames({with(7, Pack(std::vector<std::string>{"4"})), "abcd"}), "string size");
}

// (17 is kLinkRules since the cluster-wide link models.)
TEST(WireDecoderTest, UnknownVersionsAndTypesAreRejected) {
  ExpectRejected(Frames({Header(0, 2, {})}), "version 0");
  ExpectRejected(Frames({Header(2, 2, {})}), "version 2");
  for (int type : {0, 5, 9, 18, 19, 21, 99, 255, 256, 257, 65536 + 2}) {
    ExpectRejected(Frames({Header(1, type, {})}), "type " + std::to_string(type));
  }
}

// Bodies that decode as envelopes but do not match what the receiver
// expects are errors for the method or system handler, not crashes.
TEST(WireDecoderTest, MismatchedBodiesDecodeAndAreHandled) {
  auto call = [](const std::string& method, const std::string& body,
                 std::vector<uint64_t> sizes = {}) {
    msgpack::sbuffer b;
    msgpack::packer<msgpack::sbuffer> p(b);
    p.pack_array(9);
    p.pack(1);
    p.pack(static_cast<int>(MsgType::kCall));
    p.pack(1);
    p.pack(uint64_t{7});
    p.pack(uint64_t{3});
    p.pack(method);
    p.pack(uint64_t{1});
    p.pack(sizes);
    b.write(body.data(), body.size());
    std::vector<std::string> parts{std::string(b.data(), b.size())};
    for (uint64_t n : sizes) parts.emplace_back(n, '\0');
    return RunFrames(Frames(parts)).decoded;
  };
  EXPECT_TRUE(call("ints", Pack(std::make_tuple(300, 1, 1, 1, 1))));        // int8 overflow
  EXPECT_TRUE(call("ints", Pack(std::make_tuple("a", 1))));                 // wrong types, too few
  EXPECT_TRUE(call("echo", Pack(42)));                                      // not an array
  EXPECT_TRUE(call("nested", Pack(std::make_tuple(std::vector<int>{1}))));  // int for a map
  // Tensor ext with an index past the frames, a wrong size, a wrong type.
  const std::string k = Bytes({0xca, 0x3f, 0x80, 0x00, 0x00});  // float 1.0
  EXPECT_TRUE(call("tensor", Bytes({0x92, 0xd7, 0x54, 0, 0, 0, 0, 0, 0, 0, 5}) + k, {4}));
  EXPECT_TRUE(call("tensor", Bytes({0x92, 0xd6, 0x54, 0, 0, 0, 0}) + k, {4}));
  EXPECT_TRUE(call("tensor", Bytes({0x92, 0xd7, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}) + k, {4}));
  EXPECT_TRUE(call("tensor", Bytes({0x92, 0xc4, 0x03, 1, 2, 3}) + k));  // bin of 3 bytes
  EXPECT_TRUE(call("handle", Pack(std::make_tuple(std::make_tuple(1, "other.Type")))));
  EXPECT_TRUE(call("error", Pack(std::make_tuple(std::make_tuple(-7, "bad code")))));
  EXPECT_TRUE(call("nope", Pack(std::make_tuple())));  // unknown method
}

// Fuzzer finding: a uint64 near 2^64 unpacked into a double rounds to
// exactly 2^64, and msgpack-cxx's own pack_double converted that to uint64
// out of range (UB). runtime/msgpack_safe.h replaces it; 2^64 must now pack
// as a float64 and come back unchanged, and every other value as before.
TEST(WireDecoderTest, RegressionRealsAtTwoToThe64PackWithoutOverflow) {
  const double two64 = 18446744073709551616.0;
  for (double d : {two64, -two64, 9223372036854775808.0, -9223372036854775808.0, 1.5, -3.0, 0.0,
                   42.0, 18446744073709549568.0 /* largest double below 2^64 */}) {
    std::string bytes = Pack(d);
    msgpack::object_handle oh = msgpack::unpack(bytes.data(), bytes.size());
    EXPECT_EQ(oh.get().as<double>(), d) << d;
  }
  EXPECT_EQ(static_cast<uint8_t>(Pack(two64)[0]), 0xcb) << "2^64 must pack as float64";
  EXPECT_EQ(static_cast<uint8_t>(Pack(42.0)[0]), 42) << "integral doubles still pack as integers";
  EXPECT_EQ(static_cast<uint8_t>(Pack(static_cast<float>(two64))[0]), 0xca)
      << "2^64 must pack as float32";
  EXPECT_EQ(static_cast<uint8_t>(Pack(-9223372036854775808.0)[0]), 0xd3) << "-2^63 packs as int64";
  // The fuzzer's input itself: a call to `tuple` whose reply carries 2^64.
  std::string in =
      Bytes({0x0,  0x2e, 0x0,  0x0,  0x0,  0x99, 0x1,  0x2,  0x1,  0xcf, 0x0,  0x0,  0x0,
             0x1,  0x0,  0x0,  0x0,  0x7,  0x3,  0xa5, 0x74, 0x75, 0x70, 0x6c, 0x65, 0x10,
             0x90, 0x91, 0x93, 0xa1, 0x78, 0xcf, 0x0,  0x0,  0x25, 0x3,  0x0,  0x0,  0x0,
             0x1,  0x92, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3,  0x9});
  (void)RunInput(reinterpret_cast<const uint8_t*>(in.data()), in.size());
}

}  // namespace
}  // namespace olsgd::rt::fuzz
