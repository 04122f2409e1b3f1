// runtime_peer: the second OS process of the multi-process tests and the
// runtime bench.
//   runtime_peer worker HEAD_ADDRESS NODE_NAME
//     joins the head, registers test actor types, spawns "<NODE_NAME>.rec"
//     (Recorder) and "<NODE_NAME>.control" (Control), and runs until Control
//     is told to quit, the head leaves, or 300 s pass.
//   options after NODE_NAME: --key-dir DIR (CURVE keys), --heartbeat MS (interval;
//     timeout 3000 ms)
//   runtime_peer head ADDR_FILE [--heartbeat MS]
//     starts a head on a free port, writes its address to ADDR_FILE and runs
//     until killed or 300 s pass (the worker-notices-a-dead-head test)
//   runtime_peer raw-sink ADDR_FILE COUNT   (bench: ROUTER sink, replies "done" per COUNT messages)
//   runtime_peer raw-rep ADDR_FILE          (bench: REP echo until "quit")
// The raw modes bind a free tcp port on 127.0.0.1 and write the endpoint to ADDR_FILE.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "runtime/cluster_keys.h"
#include "runtime/runtime.h"
#include "tests/runtime/test_actors.h"

using namespace olsgd::rt;

namespace {

// --key-dir DIR and --heartbeat MS from argv[from...] into `o`; false on bad input.
bool ParseOptions(int argc, char** argv, int from, RuntimeOptions& o) {
  for (int i = from; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--key-dir") {
      auto keys = LoadClusterKeys(argv[i + 1]);
      if (!keys.ok()) {
        std::fprintf(stderr, "runtime_peer: %s\n", keys.error().message.c_str());
        return false;
      }
      o.security = *keys;
    } else if (flag == "--heartbeat") {
      o.heartbeat.interval = std::chrono::milliseconds(std::atol(argv[i + 1]));
    } else {
      std::fprintf(stderr, "runtime_peer: unknown option %s\n", flag.c_str());
      return false;
    }
  }
  return (argc - from) % 2 == 0;
}

int Worker(const std::string& head, const std::string& name, RuntimeOptions o) {
  RegisterActorType<testing::Recorder, int64_t>();
  std::atomic<bool> quit{false};
  o.join = head;
  o.node_name = name;
  o.on_node_lost = [&](NodeId node, const std::string&) {
    if (node == kHeadNode) quit = true;
  };
  std::unique_ptr<Runtime> rt;
  try {
    rt = Runtime::Start(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "runtime_peer: %s\n", e.what());
    return 2;
  }
  auto rec = rt->Spawn<testing::Recorder>({.name = name + ".rec"});
  auto ctl = rt->SpawnLocal<testing::Control>({.name = name + ".control"}, &quit);
  if (!rec.ok() || !ctl.ok()) {
    std::fprintf(stderr, "runtime_peer: spawn failed\n");
    return 3;
  }
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (!quit && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  rt->Shutdown();
  return 0;
}

// Writes `text` to `path` atomically (a temporary file, then rename).
void WriteAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  if (FILE* f = std::fopen(tmp.c_str(), "w")) {
    std::fputs(text.c_str(), f);
    std::fclose(f);
    std::rename(tmp.c_str(), path.c_str());
  }
}

int Head(const std::string& addr_file, RuntimeOptions o) {
  RegisterActorType<testing::Recorder, int64_t>();
  o.listen = "tcp://127.0.0.1:0";
  std::unique_ptr<Runtime> rt;
  try {
    rt = Runtime::Start(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "runtime_peer: %s\n", e.what());
    return 2;
  }
  auto rec = rt->Spawn<testing::Recorder>({.name = "head.rec"});
  if (!rec.ok()) return 3;
  WriteAtomically(addr_file, rt->address());
  std::this_thread::sleep_for(std::chrono::seconds(300));
  return 0;
}

// Binds `endpoint` and writes the bound address to `addr_file` (atomically).
void Publish(zmq::socket_t& s, const std::string& addr_file) {
  std::string ep = s.get(zmq::sockopt::last_endpoint);
  std::string tmp = addr_file + ".tmp";
  if (FILE* f = std::fopen(tmp.c_str(), "w")) {
    std::fputs(ep.c_str(), f);
    std::fclose(f);
    std::rename(tmp.c_str(), addr_file.c_str());
  }
}

// ROUTER sink: receives messages; after every COUNT of them replies "done"
// to the sender of the last one. A 4-byte "quit" message ends it.
int RawSink(const std::string& addr_file, long count) {
  zmq::context_t ctx(1);
  zmq::socket_t s(ctx, zmq::socket_type::router);
  s.set(zmq::sockopt::rcvhwm, 10000);
  s.bind("tcp://127.0.0.1:0");
  Publish(s, addr_file);
  long got = 0;
  for (;;) {
    zmq::message_t id, m;
    if (!s.recv(id)) return 1;
    while (true) {
      if (!s.recv(m)) return 1;
      if (!m.more()) break;
    }
    if (m.size() == 4 && std::memcmp(m.data(), "quit", 4) == 0) return 0;
    if (++got == count) {
      got = 0;
      s.send(id, zmq::send_flags::sndmore);
      s.send(zmq::str_buffer("done"));
    }
  }
}

// REP echo; a 4-byte "quit" ends it.
int RawRep(const std::string& addr_file) {
  zmq::context_t ctx(1);
  zmq::socket_t s(ctx, zmq::socket_type::rep);
  s.bind("tcp://127.0.0.1:0");
  Publish(s, addr_file);
  for (;;) {
    zmq::message_t m;
    if (!s.recv(m)) return 1;
    bool quit = m.size() == 4 && std::memcmp(m.data(), "quit", 4) == 0;
    s.send(m, zmq::send_flags::none);
    if (quit) return 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  RuntimeOptions o;
  if (mode == "worker" && argc >= 4 && ParseOptions(argc, argv, 4, o))
    return Worker(argv[2], argv[3], o);
  if (mode == "head" && argc >= 3 && ParseOptions(argc, argv, 3, o)) return Head(argv[2], o);
  if (mode == "raw-sink" && argc == 4) return RawSink(argv[2], std::atol(argv[3]));
  if (mode == "raw-rep" && argc == 3) return RawRep(argv[2]);
  std::fprintf(stderr,
               "usage: runtime_peer worker HEAD NAME [--key-dir DIR] [--heartbeat MS] | head "
               "ADDR_FILE [--heartbeat MS] | raw-sink ADDR_FILE COUNT | raw-rep ADDR_FILE\n");
  return 64;
}
