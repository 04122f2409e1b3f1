// Two real OS processes over tcp loopback: this test process is the head,
// runtime_peer is a worker that joins it.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "runtime/runtime.h"
#include "tests/runtime/peer_process.h"
#include "tests/runtime/test_actors.h"

#ifndef OLSGD_RUNTIME_PEER
#error "OLSGD_RUNTIME_PEER must name the runtime_peer executable"
#endif

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Control;
using testing::PeerProcess;
using testing::Recorder;

class TwoProcesses : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterActorType<Recorder, int64_t>();
    RuntimeOptions o;
    o.listen = "tcp://127.0.0.1:0";  // port 0: the kernel picks a free port
    head_ = Runtime::Start(o);
    peer_ = std::make_unique<PeerProcess>(
        std::vector<std::string>{OLSGD_RUNTIME_PEER, "worker", head_->address(), "w1"});
    auto r = head_->Lookup<Recorder>("w1.rec", 30s);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    remote_ = *r;
  }
  void TearDown() override {
    if (auto c = head_->Lookup<Control>("w1.control", 1s); c.ok()) (void)c->Tell(&Control::Quit);
    EXPECT_EQ(peer_->Wait(20s), 0);
    head_->Shutdown();
  }
  std::unique_ptr<Runtime> head_;
  std::unique_ptr<PeerProcess> peer_;
  ActorHandle<Recorder> remote_;
};

TEST_F(TwoProcesses, CallReplyAcrossProcesses) {
  EXPECT_FALSE(remote_.is_local());
  EXPECT_EQ(remote_.Call(&Recorder::Add, 40, 2).Get(10s).value(), 42);
  EXPECT_EQ(remote_.Call(&Recorder::Echo, std::string("über")).Get(10s).value(), "über");
  EXPECT_EQ(remote_.Call(&Recorder::Node).Get(10s).value(), remote_.id().node());
  auto err = remote_.Call(&Recorder::Fail, std::string("remote boom")).Get(10s);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().code, ErrorCode::kActorFailed);
  EXPECT_NE(err.error().message.find("remote boom"), std::string::npos);
  ASSERT_EQ(head_->Nodes().size(), 2u);
}

TEST_F(TwoProcesses, FifoBothWaysWithHandlesInMessages) {
  auto local = head_->Spawn<Recorder>({.name = "head.rec"}).value();
  // Head -> worker, several senders.
  std::vector<std::thread> senders;
  for (int s = 0; s < 3; ++s) {
    senders.emplace_back([&, s] {
      for (int64_t i = 0; i < 3000; ++i) ASSERT_TRUE(remote_.Tell(&Recorder::Record, s, i).ok());
    });
  }
  for (auto& t : senders) t.join();
  // Worker -> head: the remote actor gets a handle to `local` and tells it.
  ASSERT_TRUE(remote_.Tell(&Recorder::Forward, local, 7, int64_t{5000}).ok());
  auto log = remote_.Call(&Recorder::Log).Get(30s).value();
  ASSERT_EQ(log.size(), 9000u);
  std::vector<int64_t> next(3, 0);
  for (auto [s, seq] : log) ASSERT_EQ(seq, next[s]++);
  for (;;) {
    if (local.Call(&Recorder::Count).Get(10s).value() == 5000) break;
    std::this_thread::sleep_for(1ms);
  }
  auto back = local.Call(&Recorder::Log).Get(10s).value();
  for (int64_t i = 0; i < 5000; ++i) ASSERT_EQ(back[i], std::make_pair(7, i));
}

TEST_F(TwoProcesses, RemoteSpawnByTypeName) {
  auto h = head_->Spawn<Recorder>({.name = "spawned", .node = "w1"}, int64_t{1000});
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_EQ(h->id().node(), remote_.id().node());
  EXPECT_EQ(h->Call(&Recorder::Generation).Get(10s).value(), 1000);
  EXPECT_EQ(head_->Lookup<Recorder>("spawned")->id(), h->id());
  auto bad = head_->Spawn<Control>({.node = "w1"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kNotFound);  // Control is not registered for remote spawn
  auto nowhere = head_->Spawn<Recorder>({.node = "w9"});
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().code, ErrorCode::kNotFound);
}

TEST_F(TwoProcesses, Tensor256MiBBitExact) {
  const size_t n = (size_t{256} << 20) / sizeof(float);
  Tensor t = Tensor::Uninitialized(n);
  {
    std::mt19937_64 rng(12345);
    auto* words = reinterpret_cast<uint64_t*>(t.mutable_data());
    for (size_t i = 0; i < n / 2; ++i) words[i] = rng();  // every bit pattern, NaNs included
  }
  uint64_t want = Recorder::Fnv1a(t);
  auto sum = remote_.Call(&Recorder::Checksum, t).Get(120s);
  ASSERT_TRUE(sum.ok()) << sum.error().ToString();
  EXPECT_EQ(*sum, want);
  auto back = remote_.Call(&Recorder::Identity, t).Get(120s);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  ASSERT_EQ(back->size(), n);
  EXPECT_EQ(std::memcmp(back->data(), t.data(), t.size_bytes()), 0);
}

TEST_F(TwoProcesses, MalformedFramesAreRejectedNotFatal) {
  zmq::context_t ctx(1);
  zmq::socket_t d(ctx, zmq::socket_type::dealer);
  d.set(zmq::sockopt::linger, 0);
  d.connect(head_->address());
  uint64_t before = head_->transport_stats().decode_errors;
  // 1. Not msgpack at all.
  d.send(zmq::str_buffer("\xc1\xc1 garbage"), zmq::send_flags::none);
  // 2. Valid msgpack, wrong shape.
  msgpack::sbuffer b;
  msgpack::pack(b, std::string("hello"));
  d.send(zmq::buffer(b.data(), b.size()), zmq::send_flags::none);
  // 3. Unknown message type 99.
  auto header = [](uint8_t type, std::vector<uint64_t> sizes) {
    msgpack::sbuffer h;
    msgpack::packer<msgpack::sbuffer> p(h);
    p.pack_array(9);
    p.pack(uint8_t{1});
    p.pack(type);
    p.pack(uint32_t{5});
    p.pack(uint64_t{0});
    p.pack(uint64_t{1});
    p.pack(std::string("x"));
    p.pack(uint64_t{0});
    p.pack(sizes);
    p.pack_nil();
    return h;
  };
  auto h99 = header(99, {});
  d.send(zmq::buffer(h99.data(), h99.size()), zmq::send_flags::none);
  // 4. Header promises a tensor frame that is missing, and one whose size lies.
  auto h1 = header(1, {16});
  d.send(zmq::buffer(h1.data(), h1.size()), zmq::send_flags::none);
  d.send(zmq::buffer(h1.data(), h1.size()), zmq::send_flags::sndmore);
  d.send(zmq::str_buffer("short"), zmq::send_flags::none);
  // 5. A huge declared array in 5 bytes.
  d.send(zmq::str_buffer("\xdd\xff\xff\xff\xff"), zmq::send_flags::none);
  for (int i = 0; i < 2000 && head_->transport_stats().decode_errors < before + 6; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(head_->transport_stats().decode_errors, before + 6);
  // Still healthy.
  EXPECT_EQ(remote_.Call(&Recorder::Add, 1, 2).Get(10s).value(), 3);
}

TEST(Codec, RandomBytesNeverCrashTheDecoder) {
  std::mt19937 rng(1);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<zmq::message_t> frames;
    int nframes = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < nframes; ++f) {
      std::string s(rng() % 64, '\0');
      for (auto& c : s) c = static_cast<char>(rng());
      if (f == 0 && !s.empty() && rng() % 2) s[0] = static_cast<char>(0x99);  // 9-element array
      frames.emplace_back(s.data(), s.size());
    }
    accepted += DecodeMessage(std::move(frames)).ok();
  }
  EXPECT_LT(accepted, 20000);
}

TEST(Codec, RoundTrip) {
  msgpack::sbuffer body;
  std::vector<Tensor> tensors;
  detail::PackValue(body, tensors,
                    std::make_tuple(int64_t{5}, Tensor::CopyOf(std::vector<float>{1, 2, 3})));
  ASSERT_EQ(tensors.size(), 1u);
  detail::WireHeader h{detail::MsgType::kCall, 3, ActorId(3, 9), ActorId(0, 4), "scale", 77};
  auto frames = detail::EncodeMessage(h, body, tensors, nullptr);
  ASSERT_EQ(frames.size(), 2u);
  auto m = DecodeMessage(std::move(frames));
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->type, detail::MsgType::kCall);
  EXPECT_EQ(m->src, ActorId(3, 9));
  EXPECT_EQ(m->dst, ActorId(0, 4));
  EXPECT_EQ(m->method, "scale");
  EXPECT_EQ(m->request_id, 77u);
  std::tuple<int64_t, Tensor> args;
  {
    detail::TensorSourceScope s(&m->tensors);
    m->body.convert(args);
  }
  EXPECT_EQ(std::get<0>(args), 5);
  EXPECT_EQ(std::get<1>(args), Tensor::CopyOf(std::vector<float>{1, 2, 3}));
}

// The hand-written header encoder writes exactly the bytes msgpack-c's
// packer writes, at every boundary between the compact forms.
TEST(Codec, HeaderBytesAreWhatTheMsgpackPackerWrites) {
  const std::vector<uint64_t> values = {
      0, 1, 127, 128, 255, 256, 65535, 65536, 0xffffffffu, uint64_t{1} << 32, ~uint64_t{0}};
  const std::vector<size_t> method_sizes = {0, 5, 31, 32, 255, 256, 65535, 65536};
  const std::vector<size_t> tensor_counts = {0, 1, 15, 16};
  msgpack::sbuffer body;
  msgpack::pack(body, std::make_tuple(std::string("hi")));
  for (uint64_t v : values) {
    for (size_t m : method_sizes) {
      for (size_t t : tensor_counts) {
        const std::string method(m, 'm');
        std::vector<Tensor> tensors(t);
        detail::WireHeader h{detail::MsgType::kCall,
                             static_cast<NodeId>(v & 0xffffffffu),
                             ActorId(v),
                             ActorId(v / 3),
                             method,
                             v};
        auto frames = detail::EncodeMessage(h, body, tensors, nullptr);
        msgpack::sbuffer want;
        msgpack::packer<msgpack::sbuffer> p(want);
        p.pack_array(9);
        p.pack_uint8(detail::kWireVersion);
        p.pack_uint8(static_cast<uint8_t>(h.type));
        p.pack_uint32(h.src_node);
        p.pack_uint64(h.src.value);
        p.pack_uint64(h.dst.value);
        p.pack_str(static_cast<uint32_t>(m));
        p.pack_str_body(method.data(), static_cast<uint32_t>(m));
        p.pack_uint64(h.request_id);
        p.pack_array(static_cast<uint32_t>(t));
        for (size_t i = 0; i < t; ++i) p.pack_uint64(0);
        want.write(body.data(), body.size());
        ASSERT_EQ(frames[0].to_string(), std::string(want.data(), want.size()))
            << "value " << v << ", method of " << m << " bytes, " << t << " tensors";
      }
    }
  }
}

}  // namespace
}  // namespace olsgd::rt
