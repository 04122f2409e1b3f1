// CURVE + ZAP: a head with the cluster keys; peers without a key or with
// another key pair can neither join nor reach an actor; a peer with the key
// joins and calls actors both ways. Plus the key files' errors.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime/cluster_keys.h"
#include "runtime/runtime.h"
#include "tests/runtime/test_actors.h"

namespace olsgd::rt {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "olsgd_keys_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

SecurityOptions Keys(const std::string& dir) {
  EXPECT_TRUE(WriteClusterKeys(dir).ok());
  auto k = LoadClusterKeys(dir);
  EXPECT_TRUE(k.ok()) << k.error().ToString();
  return *k;
}

// A well-formed Tell of Recorder::Record(1, 5) to `to`, as the runtime encodes it.
std::vector<zmq::message_t> RecordTell(ActorId to) {
  msgpack::sbuffer body;
  msgpack::pack(body, std::make_tuple(1, int64_t{5}));
  detail::WireHeader h{detail::MsgType::kTell, 7, ActorId(7, 1), to, "record", 0};
  return detail::EncodeMessage(h, body, {}, nullptr);
}

void SendRaw(zmq::socket_t& s, std::vector<zmq::message_t> frames) {
  for (size_t i = 0; i < frames.size(); ++i) {
    auto flags = i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none;
    ASSERT_TRUE(s.send(frames[i], flags | zmq::send_flags::dontwait));
  }
}

class Secured : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterActorType<Recorder, int64_t>();
    keys_ = Keys(dir_.path() + "/cluster");
    RuntimeOptions o;
    o.listen = "tcp://127.0.0.1:0";
    o.security = keys_;
    head_ = Runtime::Start(o);
    rec_ = head_->Spawn<Recorder>({.name = "head.rec"}).value();
  }
  RuntimeOptions WorkerOptions(const std::string& name) {
    RuntimeOptions o;
    o.join = head_->address();
    o.node_name = name;
    o.join_timeout = 2s;
    return o;
  }
  // Sends RecordTell through a raw DEALER set up by `setup`; returns how many
  // Record messages head.rec got after waiting `wait`.
  int64_t RawTell(const std::function<void(zmq::socket_t&)>& setup,
                  std::chrono::milliseconds wait) {
    zmq::context_t ctx(1);
    zmq::socket_t d(ctx, zmq::socket_type::dealer);
    d.set(zmq::sockopt::linger, 0);
    setup(d);
    d.connect(head_->address());
    SendRaw(d, RecordTell(rec_.id()));
    auto end = std::chrono::steady_clock::now() + wait;
    int64_t n = 0;
    while (std::chrono::steady_clock::now() < end &&
           (n = rec_.Call(&Recorder::Count).Get(10s).value()) == 0) {
      std::this_thread::sleep_for(20ms);
    }
    return n;
  }
  TempDir dir_;
  SecurityOptions keys_;
  std::unique_ptr<Runtime> head_;
  ActorHandle<Recorder> rec_;
};

TEST_F(Secured, PeerWithoutKeyCannotJoinOrReachAnActor) {
  auto t0 = std::chrono::steady_clock::now();
  try {
    auto w = Runtime::Start(WorkerOptions("nokey"));
    FAIL() << "a worker without the cluster key joined";
  } catch (const ErrorException& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("did not answer"), std::string::npos) << msg;
    EXPECT_NE(msg.find("cluster key"), std::string::npos) << msg;
  }
  std::printf("join without key failed after %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  EXPECT_EQ(head_->Nodes().size(), 1u);
  uint64_t received = head_->transport_stats().messages_received;
  EXPECT_EQ(RawTell([](zmq::socket_t&) {}, 1500ms), 0);  // plaintext: the handshake fails
  EXPECT_EQ(head_->transport_stats().messages_received, received);
  EXPECT_GE(head_->transport_stats().handshake_failures, 1u);  // counted and logged
  // The same bytes with the cluster key get through: the message itself is fine.
  EXPECT_EQ(RawTell(
                [&](zmq::socket_t& d) {
                  d.set(zmq::sockopt::curve_serverkey, keys_.public_key);
                  d.set(zmq::sockopt::curve_publickey, keys_.public_key);
                  d.set(zmq::sockopt::curve_secretkey, keys_.secret_key);
                },
                10s),
            1);
}

TEST_F(Secured, PeerWithAnotherKeyPairIsRefusedAndCounted) {
  SecurityOptions other = Keys(dir_.path() + "/other");
  ASSERT_NE(other.public_key, keys_.public_key);
  RuntimeOptions o = WorkerOptions("wrongkey");
  o.security = other;
  o.security.server_key = keys_.public_key;  // it even knows the head's public key
  EXPECT_THROW(Runtime::Start(o), ErrorException);
  EXPECT_GE(head_->transport_stats().auth_refused, 1u);
  EXPECT_EQ(head_->Nodes().size(), 1u);
  uint64_t refused = head_->transport_stats().auth_refused;
  EXPECT_EQ(RawTell(
                [&](zmq::socket_t& d) {
                  d.set(zmq::sockopt::curve_serverkey, keys_.public_key);
                  d.set(zmq::sockopt::curve_publickey, other.public_key);
                  d.set(zmq::sockopt::curve_secretkey, other.secret_key);
                },
                1500ms),
            0);
  EXPECT_GT(head_->transport_stats().auth_refused, refused);
}

TEST_F(Secured, PeerWithTheKeyJoinsSpawnsLooksUpAndCalls) {
  RuntimeOptions o = WorkerOptions("w1");
  o.security = keys_;
  o.join_timeout = 15s;
  auto w = Runtime::Start(o);
  ASSERT_EQ(head_->Nodes().size(), 2u);
  // Worker -> head actor.
  auto h = w->Lookup<Recorder>("head.rec", 10s);
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_EQ(h->Call(&Recorder::Add, 40, 2).Get(10s).value(), 42);
  // Head spawns on the worker and calls it; the worker's ROUTER is CURVE too.
  auto remote = head_->Spawn<Recorder>({.name = "w1.rec", .node = "w1"});
  ASSERT_TRUE(remote.ok()) << remote.error().ToString();
  EXPECT_EQ(remote->Call(&Recorder::Node).Get(10s).value(), w->node_id());
  EXPECT_EQ(w->Lookup<Recorder>("w1.rec", 10s)->id(), remote->id());
  EXPECT_EQ(head_->transport_stats().auth_refused, 0u);
  w->Shutdown();
}

TEST(ClusterKeys, WriteThenLoad) {
  ASSERT_TRUE(CurveAvailable());
  TempDir d;
  std::string dir = d / "a/b";  // parents are created
  ASSERT_TRUE(WriteClusterKeys(dir).ok());
  struct stat st {};
  ASSERT_EQ(stat((dir + "/cluster.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto k = LoadClusterKeys(dir);
  ASSERT_TRUE(k.ok()) << k.error().ToString();
  EXPECT_TRUE(k->curve);
  EXPECT_EQ(k->public_key.size(), 40u);
  EXPECT_EQ(k->secret_key.size(), 40u);
  EXPECT_TRUE(k->authorized_keys.empty());
  // Never overwrites.
  Status again = WriteClusterKeys(dir);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message.find("cluster.key"), std::string::npos) << again.error().message;
  EXPECT_EQ(LoadClusterKeys(dir)->secret_key, k->secret_key);
}

TEST(ClusterKeys, LoadErrorsNameTheFile) {
  TempDir d;
  auto missing_dir = LoadClusterKeys(d / "nope");
  ASSERT_FALSE(missing_dir.ok());
  EXPECT_EQ(missing_dir.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing_dir.error().message.find("nope"), std::string::npos);

  std::string dir = d / "k";
  ASSERT_TRUE(WriteClusterKeys(dir).ok());
  std::string secret;
  std::getline(std::ifstream(dir + "/cluster.key"), secret);
  std::string pub;
  std::getline(std::ifstream(dir + "/cluster.pub"), pub);

  fs::remove(dir + "/cluster.pub");
  auto no_pub = LoadClusterKeys(dir);
  ASSERT_FALSE(no_pub.ok());
  EXPECT_EQ(no_pub.error().code, ErrorCode::kNotFound);
  EXPECT_NE(no_pub.error().message.find("cluster.pub"), std::string::npos)
      << no_pub.error().message;

  WriteText(dir + "/cluster.pub", pub.substr(0, 39) + "\n");  // wrong length
  auto short_key = LoadClusterKeys(dir);
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.error().message.find("cluster.pub"), std::string::npos);
  EXPECT_NE(short_key.error().message.find("40"), std::string::npos);

  WriteText(dir + "/cluster.pub",
            std::string(40, '~') + "\n");  // not Z85 ('~' is outside the alphabet)
  auto bad_z85 = LoadClusterKeys(dir);
  ASSERT_FALSE(bad_z85.ok());
  EXPECT_NE(bad_z85.error().message.find("cluster.pub"), std::string::npos);

  std::string other = d / "other";
  ASSERT_TRUE(WriteClusterKeys(other).ok());
  fs::copy_file(other + "/cluster.pub", dir + "/cluster.pub", fs::copy_options::overwrite_existing);
  auto mismatch = LoadClusterKeys(dir);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("does not belong"), std::string::npos)
      << mismatch.error().message;

  WriteText(dir + "/cluster.pub", pub + "\n");
  fs::remove(dir + "/cluster.key");
  auto no_secret = LoadClusterKeys(dir);
  ASSERT_FALSE(no_secret.ok());
  EXPECT_NE(no_secret.error().message.find("cluster.key"), std::string::npos);

  // A world-readable secret is a warning, not an error.
  WriteText(dir + "/cluster.key", secret + "\n");
  chmod((dir + "/cluster.key").c_str(), 0644);
  ASSERT_TRUE(LoadClusterKeys(dir).ok());

  WriteText(dir + "/authorized_keys", "# extra clients\n\n" + pub + "\nnot-a-key\n");
  auto bad_auth = LoadClusterKeys(dir);
  ASSERT_FALSE(bad_auth.ok());
  EXPECT_NE(bad_auth.error().message.find("authorized_keys:4"), std::string::npos)
      << bad_auth.error().message;
  WriteText(dir + "/authorized_keys", "# extra clients\n" + pub + "\n");
  auto with_auth = LoadClusterKeys(dir);
  ASSERT_TRUE(with_auth.ok()) << with_auth.error().ToString();
  EXPECT_EQ(with_auth->authorized_keys, std::vector<std::string>{pub});
}

}  // namespace
}  // namespace olsgd::rt
