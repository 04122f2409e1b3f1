// runtime_bench: raw ZeroMQ and the olsgd runtime side by side, in one run.
//   one-way tell throughput (64 B), call round trip (vs REQ/REP), and
//   bandwidth for 1 MiB and 64 MiB payloads; each in-process and across two
//   processes over tcp loopback. Prints JSON and writes it to --out
//   (default bench/results/runtime.json).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/runtime/raw_zmq.h"
#include "runtime/runtime.h"
#include "tests/runtime/peer_process.h"
#include "tests/runtime/test_actors.h"

using namespace olsgd;
using namespace std::chrono_literals;
using rt::testing::Recorder;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kRayCallsPerSec = 9231;  // Ray 2.21, 1:1 async actor calls

// Seconds for `count` one-way tells of a 64 B string, until the sink has them all.
double RuntimeTell(const rt::ActorHandle<Recorder>& sink, long count) {
  std::string payload(64, 'x');
  auto [before, b0] = sink.Call(&Recorder::Consumed).Get(60s).value();
  auto t0 = Clock::now();
  for (long i = 0; i < count; ++i) (void)sink.Tell(&Recorder::Consume, payload);
  auto [after, b1] = sink.Call(&Recorder::Consumed).Get(120s).value();
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (after - before != count) std::fprintf(stderr, "warning: sink got %ld of %ld\n", long(after - before), count);
  return s;
}

double RuntimeRoundTrip(const rt::ActorHandle<Recorder>& h, long count) {
  for (int i = 0; i < 10; ++i) (void)h.Call(&Recorder::Ping).Get(10s);
  auto t0 = Clock::now();
  for (long i = 0; i < count; ++i) (void)h.Call(&Recorder::Ping).Get(10s);
  return std::chrono::duration<double>(Clock::now() - t0).count() / static_cast<double>(count);
}

// Calls per second with `count` calls in flight at once (Ray's "1:1 async
// actor calls" measure): submit all, then wait for every reply.
double RuntimeAsyncCalls(const rt::ActorHandle<Recorder>& h, long count) {
  std::vector<rt::Future<void>> fs;
  fs.reserve(count);
  auto t0 = Clock::now();
  for (long i = 0; i < count; ++i) fs.push_back(h.Call(&Recorder::Ping));
  for (auto& f : fs) (void)f.Get(60s);
  return count / std::chrono::duration<double>(Clock::now() - t0).count();
}

double RuntimeBandwidth(const rt::ActorHandle<Recorder>& sink, size_t bytes, long count) {
  rt::Tensor t = rt::Tensor::Zeros(bytes / sizeof(float));
  auto [before, b0] = sink.Call(&Recorder::Consumed).Get(60s).value();
  auto t0 = Clock::now();
  for (long i = 0; i < count; ++i) (void)sink.Tell(&Recorder::Take, t);
  auto [after, b1] = sink.Call(&Recorder::Consumed).Get(300s).value();
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (after - before != count) std::fprintf(stderr, "warning: sink got %ld of %ld\n", long(after - before), count);
  return s;
}

// Starts a raw runtime_peer and returns its endpoint.
std::string StartRaw(std::vector<std::unique_ptr<rt::testing::PeerProcess>>& procs, const std::string& mode,
                     const std::string& arg) {
  std::string file = "/tmp/olsgd_bench_" + std::to_string(getpid()) + "_" + std::to_string(procs.size());
  std::remove(file.c_str());
  std::vector<std::string> args{OLSGD_RUNTIME_PEER, mode, file};
  if (!arg.empty()) args.push_back(arg);
  procs.push_back(std::make_unique<rt::testing::PeerProcess>(args));
  for (int i = 0; i < 2000; ++i) {
    std::ifstream f(file);
    std::string ep;
    if (f >> ep) {
      std::remove(file.c_str());
      return ep;
    }
    std::this_thread::sleep_for(5ms);
  }
  std::fprintf(stderr, "raw peer did not start\n");
  std::exit(1);
}

struct Row {
  std::string name, unit;
  double raw_in, rt_in, raw_x, rt_x;
  bool lower_is_better;
};

template <class F>
double Best(int reps, F f, bool lower) {
  double best = f();
  for (int i = 1; i < reps; ++i) {
    double v = f();
    best = lower ? std::min(best, v) : std::max(best, v);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = "bench/results/runtime.json";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--out") out = argv[i + 1];
  }
  const long kTells = 300000, kRtts = 5000;
  const long kMiB1 = 300, kMiB64 = 12;
  std::vector<Row> rows;

  rt::RegisterActorType<Recorder, int64_t>();
  rt::RuntimeOptions ho;
  ho.listen = "tcp://127.0.0.1:0";
  auto head = rt::Runtime::Start(ho);
  auto local = head->Spawn<Recorder>({.name = "bench.local"}).value();
  rt::testing::PeerProcess worker({OLSGD_RUNTIME_PEER, "worker", head->address(), "w1"});
  auto remote = head->Lookup<Recorder>("w1.rec", 30s).value();
  std::vector<std::unique_ptr<rt::testing::PeerProcess>> raw;

  // 1. One-way tell throughput, 64 B.
  {
    double raw_in = Best(3, [&] { return kTells / bench::RawOneWay("", 64, kTells); }, false);
    double rt_in = Best(3, [&] { return kTells / RuntimeTell(local, kTells); }, false);
    std::string ep = StartRaw(raw, "raw-sink", std::to_string(kTells));
    double raw_x = Best(3, [&] { return kTells / bench::RawOneWay(ep, 64, kTells); }, false);
    bench::RawQuit(ep, false);
    double rt_x = Best(3, [&] { return kTells / RuntimeTell(remote, kTells); }, false);
    rows.push_back({"tell_64B", "msgs/s", raw_in, rt_in, raw_x, rt_x, false});
  }
  // 2. Call round trip (vs REQ/REP).
  {
    double raw_in = Best(3, [&] { return 1e6 * bench::RawRoundTrip("", 16, kRtts); }, true);
    double rt_in = Best(3, [&] { return 1e6 * RuntimeRoundTrip(local, kRtts); }, true);
    std::string ep = StartRaw(raw, "raw-rep", "");
    double raw_x = Best(3, [&] { return 1e6 * bench::RawRoundTrip(ep, 16, kRtts); }, true);
    bench::RawQuit(ep, true);
    double rt_x = Best(3, [&] { return 1e6 * RuntimeRoundTrip(remote, kRtts); }, true);
    rows.push_back({"call_round_trip", "us", raw_in, rt_in, raw_x, rt_x, true});
  }
  // 2b. Async calls per second (no raw equivalent; compared with Ray).
  double async_in = Best(3, [&] { return RuntimeAsyncCalls(local, 200000); }, false);
  double async_x = Best(3, [&] { return RuntimeAsyncCalls(remote, 200000); }, false);
  // 3. Bandwidth.
  for (auto [size, count, name] : {std::tuple<size_t, long, const char*>{size_t{1} << 20, kMiB1, "bandwidth_1MiB"},
                                   std::tuple<size_t, long, const char*>{size_t{64} << 20, kMiB64, "bandwidth_64MiB"}}) {
    double mib = static_cast<double>(size) / (1 << 20);
    double raw_in = Best(2, [&] { return count * mib / bench::RawOneWay("", size, count); }, false);
    double rt_in = Best(2, [&] { return count * mib / RuntimeBandwidth(local, size, count); }, false);
    std::string ep = StartRaw(raw, "raw-sink", std::to_string(count));
    double raw_x = Best(2, [&] { return count * mib / bench::RawOneWay(ep, size, count); }, false);
    bench::RawQuit(ep, false);
    double rt_x = Best(2, [&] { return count * mib / RuntimeBandwidth(remote, size, count); }, false);
    rows.push_back({name, "MiB/s", raw_in, rt_in, raw_x, rt_x, false});
  }

  if (auto c = head->Lookup<rt::testing::Control>("w1.control", 1s); c.ok()) (void)c->Tell(&rt::testing::Control::Quit);
  worker.Wait(20s);
  head->Shutdown();

  std::string json = "{\n  \"bench\": \"runtime\",\n  \"machine_cores\": " +
                     std::to_string(std::thread::hardware_concurrency()) + ",\n  \"results\": [\n";
  char buf[512];
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    // Ratio runtime/raw for rates; for latency it is runtime/raw too (lower is better).
    std::snprintf(buf, sizeof buf,
                  "    {\"name\": \"%s\", \"unit\": \"%s\", \"lower_is_better\": %s,\n"
                  "     \"in_process\": {\"raw_zmq\": %.6g, \"runtime\": %.6g, \"ratio\": %.3f},\n"
                  "     \"two_processes\": {\"raw_zmq\": %.6g, \"runtime\": %.6g, \"ratio\": %.3f}}%s\n",
                  r.name.c_str(), r.unit.c_str(), r.lower_is_better ? "true" : "false", r.raw_in, r.rt_in,
                  r.rt_in / r.raw_in, r.raw_x, r.rt_x, r.rt_x / r.raw_x, i + 1 < rows.size() ? "," : "");
    json += buf;
  }
  std::snprintf(buf, sizeof buf,
                "  ],\n  \"ray_async_calls_per_s\": %.0f,\n"
                "  \"runtime_async_calls_per_s\": {\"in_process\": %.0f, \"two_processes\": %.0f},\n"
                "  \"async_calls_vs_ray\": {\"in_process\": %.1f, \"two_processes\": %.1f},\n"
                "  \"tells_vs_ray\": {\"in_process\": %.1f, \"two_processes\": %.1f}\n}\n",
                kRayCallsPerSec, async_in, async_x, async_in / kRayCallsPerSec, async_x / kRayCallsPerSec,
                rows[0].rt_in / kRayCallsPerSec, rows[0].rt_x / kRayCallsPerSec);
  json += buf;
  std::fputs(json.c_str(), stdout);
  if (std::ofstream f(out); f) {
    f << json;
  } else {
    std::fprintf(stderr, "cannot write %s\n", out.c_str());
  }
  return 0;
}
