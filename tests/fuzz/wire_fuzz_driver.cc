#include "tests/fuzz/wire_fuzz_driver.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <tuple>
#include <utility>

#include "runtime/link_rules_wire.h"
#include "runtime/runtime.h"

namespace olsgd::rt::fuzz {

using detail::MsgType;
using detail::WireHeader;
using detail::WireMessage;

namespace {

// A test actor whose methods take the kinds of parameters real actors use,
// so remote dispatch unpacks (and replies pack) all of them.
class FuzzActor : public Actor {
 public:
  static constexpr const char* kTypeName = "fuzz.FuzzActor";
  static void DefineMethods(MethodTable<FuzzActor>& t) {
    t.Def("ping", &FuzzActor::Ping);
    t.Def("ints", &FuzzActor::Ints);
    t.Def("reals", &FuzzActor::Reals);
    t.Def("echo", &FuzzActor::Echo);
    t.Def("tensor", &FuzzActor::Scale);
    t.Def("tensors", &FuzzActor::Tensors);
    t.Def("nested", &FuzzActor::Nested);
    t.Def("handle", &FuzzActor::Handle);
    t.Def("error", &FuzzActor::Fail);
    t.Def("node", &FuzzActor::Node);
    t.Def("tuple", &FuzzActor::Tuple);
    t.Def("throw", &FuzzActor::Throw);
  }
  void Ping() {}
  uint64_t Ints(int8_t a, uint16_t b, int32_t c, int64_t d, uint64_t e) {
    return static_cast<uint64_t>(a) ^ b ^ static_cast<uint64_t>(c) ^ static_cast<uint64_t>(d) ^ e;
  }
  double Reals(float a, double b, bool c) { return c ? a : b; }
  std::string Echo(const std::string& s) { return s; }
  Tensor Scale(Tensor t, float k) {
    for (float& f : t.floats()) f *= k;
    return t;
  }
  std::vector<Tensor> Tensors(std::vector<Tensor> ts, const Tensor& extra) {
    ts.push_back(extra);
    return ts;
  }
  size_t Nested(const std::vector<std::map<std::string, std::vector<int64_t>>>& v) {
    return v.size();
  }
  ActorId Handle(ActorHandle<FuzzActor> h) { return h.id(); }
  Result<int64_t> Fail(Error e) { return e; }
  NodeInfo Node(NodeInfo n) { return n; }
  std::tuple<std::string, ActorId, std::pair<double, uint64_t>> Tuple(
      std::tuple<std::string, ActorId, std::pair<double, uint64_t>> t) {
    return t;
  }
  int64_t Throw(const std::string& why) { throw std::runtime_error(why); }
};

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "wire fuzz driver: %s\n", what);
  std::abort();
}

void FreeMisaligned(void*, void* hint) { std::free(hint); }

// A frame whose data starts at an odd address (zero-copy over our buffer).
zmq::message_t MisalignedFrame(const uint8_t* p, size_t n) {
  if (n == 0) return zmq::message_t();
  auto* buf = static_cast<char*>(std::malloc(n + 1));
  if (!buf) Fail("out of memory");
  std::memcpy(buf + 1, p, n);
  return zmq::message_t(buf + 1, n, &FreeMisaligned, buf);
}

msgpack::sbuffer PackObject(const msgpack::object& o) {
  msgpack::sbuffer b;
  msgpack::pack(b, o);
  return b;
}

bool SameBytes(const msgpack::sbuffer& a, const msgpack::sbuffer& b) {
  return a.size() == b.size() && (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

// Encodes a message with the real encoder and decodes it again.
Result<WireMessage> RoundTrip(const WireHeader& h, const msgpack::sbuffer& body,
                              const std::vector<Tensor>& tensors) {
  return DecodeMessage(detail::EncodeMessage(h, body, tensors, nullptr));
}

// Re-encoding a decoded message must give back the same message.
void CheckRoundTrip(const WireMessage& m) {
  WireHeader h{m.type, m.src_node, m.src, m.dst, m.method, m.request_id};
  msgpack::sbuffer body = PackObject(m.body);
  Result<WireMessage> again = RoundTrip(h, body, m.tensors);
  if (!again.ok()) {
    std::fprintf(stderr, "%s\n", again.error().message.c_str());
    Fail("a decoded message does not decode after re-encoding");
  }
  const WireMessage& b = *again;
  if (b.type != m.type || b.src_node != m.src_node || b.src != m.src || b.dst != m.dst ||
      b.method != m.method || b.request_id != m.request_id ||
      b.tensors.size() != m.tensors.size()) {
    Fail("re-encoding changed the header");
  }
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    if (!(b.tensors[i] == m.tensors[i])) Fail("re-encoding changed a tensor");
  }
  if (!SameBytes(PackObject(b.body), body)) Fail("re-encoding changed the body");
}

// A reply goes back over the wire: it must encode and decode.
void SendReply(const WireMessage& req, Result<detail::WirePayload> r) {
  WireHeader h{
      r.ok() ? MsgType::kReply : MsgType::kReplyError, 0, req.dst, req.src, "", req.request_id};
  msgpack::sbuffer body;
  std::vector<Tensor> tensors;
  if (r.ok()) {
    body = std::move(r.value().body);
    tensors = std::move(r.value().tensors);
  } else {
    msgpack::pack(body, r.error());
  }
  Result<WireMessage> back = RoundTrip(h, body, tensors);
  if (!back.ok()) Fail("a reply made by the runtime does not decode");
  if (back->type == MsgType::kReplyError) (void)back->body.as<Error>();
}

// What RemoteMessage::Run does: find the method, unpack, run, reply.
void Dispatch(WireMessage& m) {
  const detail::RemoteInvoker* inv = MethodTable<FuzzActor>::FindStatic(m.method);
  if (!inv) {
    if (m.type == MsgType::kCall)
      SendReply(m, Error{ErrorCode::kUnknownMethod, "no method '" + m.method + "'"});
    return;
  }
  FuzzActor actor;
  detail::RemoteReplySink sink;
  if (m.type == MsgType::kCall) {
    sink = [&m](Result<detail::WirePayload> r) { SendReply(m, std::move(r)); };
  }
  (void)(*inv)(actor, m.body, m.tensors, std::move(sink));
}

template <class T>
void Convert(const WireMessage& m) {
  std::vector<Tensor> tensors = m.tensors;
  detail::TensorSourceScope scope(&tensors);
  try {
    T v;
    m.body.convert(v);
  } catch (const std::exception&) {
  }
}

// What HandleRemoteSpawn does with the body, up to the constructor arguments.
void Spawn(const WireMessage& m) {
  try {
    const auto& a = m.body;
    if (a.type != msgpack::type::ARRAY || a.via.array.size != 6) return;
    (void)a.via.array.ptr[0].as<std::string>();
    (void)a.via.array.ptr[1].as<std::string>();
    (void)a.via.array.ptr[2].as<bool>();
    int kind = a.via.array.ptr[3].as<int>();
    if (kind < 0 || kind > 2) return;
    (void)a.via.array.ptr[4].as<int>();
    std::vector<Tensor> tensors = m.tensors;
    detail::TensorSourceScope scope(&tensors);
    std::tuple<std::string, std::vector<Tensor>, NodeInfo> args;
    a.via.array.ptr[5].convert(args);
  } catch (const std::exception&) {
  }
}

// What Runtime::OnWire / HandleSystem / the reply handlers do with the body.
void Exercise(WireMessage& m) {
  switch (m.type) {
    case MsgType::kTell:
    case MsgType::kCall:
      Dispatch(m);
      return;
    case MsgType::kReply:
      Convert<std::tuple<NodeId, std::vector<NodeInfo>>>(m);
      Convert<std::tuple<ActorId, std::string>>(m);
      Convert<std::vector<NodeInfo>>(m);
      Convert<ActorId>(m);
      Convert<Tensor>(m);
      Convert<std::pair<double, uint64_t>>(m);
      return;
    case MsgType::kReplyError:
      Convert<Error>(m);
      return;
    case MsgType::kSpawn:
      Spawn(m);
      return;
    case MsgType::kJoin:
      Convert<NodeInfo>(m);
      return;
    case MsgType::kNodeTable:
      Convert<std::vector<NodeInfo>>(m);
      return;
    case MsgType::kRegisterName:
      Convert<std::tuple<std::string, ActorId, std::string>>(m);
      return;
    case MsgType::kUnregisterName:
      Convert<std::tuple<std::string, ActorId>>(m);
      return;
    case MsgType::kLookup:
    case MsgType::kLeave:
      Convert<std::string>(m);
      return;
    case MsgType::kLinkRules:
      Convert<detail::WireLinkRules>(m);
      return;
    case MsgType::kHeartbeat:
      return;
  }
  Fail("the decoder accepted an unknown message type");
}

}  // namespace

std::vector<zmq::message_t> SplitFrames(const uint8_t* data, size_t size) {
  std::vector<zmq::message_t> frames;
  if (size == 0) return frames;
  const bool misaligned = (data[0] & kFlagMisaligned) != 0;
  size_t off = 1;
  while (off < size && frames.size() < kMaxFrames) {
    size_t len = 0;
    for (int i = 0; i < 4 && off < size; ++i) len |= static_cast<size_t>(data[off++]) << (8 * i);
    len = std::min(len, size - off);
    frames.push_back(misaligned ? MisalignedFrame(data + off, len)
                                : zmq::message_t(data + off, len));
    off += len;
  }
  return frames;
}

std::string JoinFrames(const std::vector<zmq::message_t>& frames, uint8_t flags) {
  std::string out(1, static_cast<char>(flags));
  for (const auto& f : frames) {
    uint32_t n = static_cast<uint32_t>(f.size());
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(n >> (8 * i)));
    out.append(static_cast<const char*>(f.data()), f.size());
  }
  return out;
}

Outcome RunFrames(std::vector<zmq::message_t>&& frames) {
  Result<WireMessage> m = DecodeMessage(std::move(frames));
  if (!m.ok()) {
    if (m.error().code != ErrorCode::kDecode)
      Fail("the decoder returned an error other than kDecode");
    return Outcome{false, m.error().message};
  }
  CheckRoundTrip(*m);
  Exercise(*m);
  return Outcome{true, ""};
}

Outcome RunInput(const uint8_t* data, size_t size) { return RunFrames(SplitFrames(data, size)); }

namespace {

struct SeedBuilder {
  std::vector<std::pair<std::string, std::string>> out;

  template <class T>
  void Add(const std::string& name, MsgType type, const std::string& method, uint64_t req,
           const T& value, uint8_t flags = 0) {
    msgpack::sbuffer body;
    std::vector<Tensor> tensors;
    detail::PackValue(body, tensors, value);
    WireHeader h{type, 1, ActorId(1, 7), ActorId(0, 3), method, req};
    out.emplace_back(name, JoinFrames(detail::EncodeMessage(h, body, tensors, nullptr), flags));
  }
};

Tensor Ramp(size_t n) {
  Tensor t = Tensor::Uninitialized(n);
  for (size_t i = 0; i < n; ++i) t.floats()[i] = static_cast<float>(i) * 0.5f;
  return t;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SeedInputs() {
  SeedBuilder s;
  NodeInfo node{2, "w1", "tcp://127.0.0.1:5555", 4, {{"gpu", "0"}}};
  std::map<std::string, std::vector<int64_t>> m{{"a", {1, -2, 3}}, {"b", {}}};
  s.Add("tell_ping", MsgType::kTell, "ping", 0, std::tuple<>());
  s.Add("call_ints", MsgType::kCall, "ints", 5,
        std::make_tuple(int8_t{-3}, uint16_t{7}, int32_t{-9}, int64_t{1} << 40, ~uint64_t{0}));
  s.Add("call_reals", MsgType::kCall, "reals", 6, std::make_tuple(1.5f, -2.25, true));
  s.Add("call_echo", MsgType::kCall, "echo", 7, std::make_tuple(std::string("hello")));
  s.Add("call_tensor", MsgType::kCall, "tensor", 8, std::make_tuple(Ramp(16), 2.0f));
  s.Add("call_tensor_misaligned", MsgType::kCall, "tensor", 9, std::make_tuple(Ramp(3), -1.0f),
        kFlagMisaligned);
  s.Add("call_tensors", MsgType::kCall, "tensors", 10,
        std::make_tuple(std::vector<Tensor>{Ramp(4), Tensor(), Ramp(2)}, Ramp(1)));
  s.Add("call_tensor_as_bin", MsgType::kCall, "tensor", 11,
        std::make_tuple(msgpack::type::raw_ref("\0\0\x80?", 4), 3.0f));  // 1.0f as bin
  s.Add("call_nested", MsgType::kCall, "nested", 12, std::make_tuple(std::vector{m, m}));
  s.Add("call_handle", MsgType::kCall, "handle", 13,
        std::make_tuple(std::make_tuple(ActorId(1, 2), "fuzz.FuzzActor")));
  s.Add("call_error", MsgType::kCall, "error", 14,
        std::make_tuple(Error{ErrorCode::kTimeout, "late"}));
  s.Add("call_node", MsgType::kCall, "node", 15, std::make_tuple(node));
  s.Add("call_tuple", MsgType::kCall, "tuple", 16,
        std::make_tuple(
            std::make_tuple(std::string("x"), ActorId(3, 4), std::make_pair(0.5, uint64_t{9}))));
  s.Add("call_throw", MsgType::kCall, "throw", 17, std::make_tuple(std::string("boom")));
  s.Add("call_unknown_method", MsgType::kCall, "nope", 18, std::make_tuple(1));
  s.Add("reply_join", MsgType::kReply, "", 19,
        std::make_tuple(NodeId{2}, std::vector<NodeInfo>{node, node}));
  s.Add("reply_lookup", MsgType::kReply, "", 20,
        std::make_tuple(ActorId(0, 5), std::string("olsgd.Reducer")));
  s.Add("reply_tensor", MsgType::kReply, "", 21, Ramp(8));
  s.Add("reply_error", MsgType::kReplyError, "", 22,
        Error{ErrorCode::kNotFound, "no actor named 'x'"});
  s.Add("spawn", MsgType::kSpawn, "", 23,
        std::make_tuple(std::string("fuzz.FuzzActor"), std::string("a0"), true, 2, 3,
                        std::make_tuple(std::string("cfg"), std::vector<Tensor>{Ramp(5)}, node)));
  s.Add("join", MsgType::kJoin, "", 24, node);
  s.Add("node_table", MsgType::kNodeTable, "", 0, std::vector<NodeInfo>{node});
  s.Add("register_name", MsgType::kRegisterName, "", 25,
        std::make_tuple(std::string("r0"), ActorId(1, 1), std::string("olsgd.Reducer")));
  s.Add("unregister_name", MsgType::kUnregisterName, "", 0,
        std::make_tuple(std::string("r0"), ActorId(1, 1)));
  s.Add("lookup", MsgType::kLookup, "", 26, std::string("reducer0"));
  s.Add("leave", MsgType::kLeave, "", 0, std::string("shutdown"));
  s.Add("heartbeat", MsgType::kHeartbeat, "", 0, msgpack::type::nil_t());
  return std::move(s.out);
}

}  // namespace olsgd::rt::fuzz
