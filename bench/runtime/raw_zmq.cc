#include "bench/runtime/raw_zmq.h"

#include <chrono>
#include <cstring>
#include <thread>
#include <vector>
#include <zmq.hpp>

namespace olsgd::bench {

namespace {

using Clock = std::chrono::steady_clock;

void NoFree(void*, void*) {}

zmq::message_t Payload(const std::vector<char>& buf) {
  if (buf.size() >= 8192)
    return zmq::message_t(const_cast<char*>(buf.data()), buf.size(), &NoFree, nullptr);
  return zmq::message_t(buf.data(), buf.size());
}

}  // namespace

double RawOneWay(const std::string& endpoint, size_t size, long count) {
  zmq::context_t ctx(1);
  std::vector<char> buf(size, 'x');
  if (endpoint.empty()) {
    zmq::socket_t router(ctx, zmq::socket_type::router);
    router.set(zmq::sockopt::rcvhwm, 10000);
    router.bind("inproc://bench");
    zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::sndhwm, 10000);
    dealer.connect("inproc://bench");
    auto t0 = Clock::now();
    std::thread rx([&] {
      zmq::message_t id, m;
      for (long i = 0; i < count; ++i) {
        (void)router.recv(id);
        (void)router.recv(m);
      }
    });
    for (long i = 0; i < count; ++i) dealer.send(Payload(buf), zmq::send_flags::none);
    rx.join();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  }
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::sndhwm, 10000);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect(endpoint);
  // Warm-up: connect and one full batch answered.
  auto t0 = Clock::now();
  for (long i = 0; i < count; ++i) dealer.send(Payload(buf), zmq::send_flags::none);
  zmq::message_t done;
  (void)dealer.recv(done);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double RawRoundTrip(const std::string& endpoint, size_t size, long count) {
  zmq::context_t ctx(1);
  std::vector<char> buf(size, 'x');
  zmq::socket_t req(ctx, zmq::socket_type::req);
  req.set(zmq::sockopt::linger, 0);
  std::unique_ptr<zmq::socket_t> rep;
  std::thread server;
  if (endpoint.empty()) {
    rep = std::make_unique<zmq::socket_t>(ctx, zmq::socket_type::rep);
    rep->bind("inproc://rtt");
    server = std::thread([&] {
      for (long i = 0; i < count + 10; ++i) {
        zmq::message_t m;
        (void)rep->recv(m);
        rep->send(m, zmq::send_flags::none);
      }
    });
    req.connect("inproc://rtt");
  } else {
    req.connect(endpoint);
  }
  zmq::message_t r;
  for (int i = 0; i < 10; ++i) {  // warm-up
    req.send(zmq::buffer(buf), zmq::send_flags::none);
    (void)req.recv(r);
  }
  auto t0 = Clock::now();
  for (long i = 0; i < count; ++i) {
    req.send(zmq::buffer(buf), zmq::send_flags::none);
    (void)req.recv(r);
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  if (server.joinable()) server.join();
  return secs / static_cast<double>(count);
}

void RawQuit(const std::string& endpoint, bool rep) {
  zmq::context_t ctx(1);
  zmq::socket_t s(ctx, rep ? zmq::socket_type::req : zmq::socket_type::dealer);
  s.set(zmq::sockopt::linger, 1000);
  s.connect(endpoint);
  s.send(zmq::str_buffer("quit"), zmq::send_flags::none);
  if (rep) {
    zmq::message_t m;
    s.set(zmq::sockopt::rcvtimeo, 2000);
    (void)s.recv(m);
  }
}

}  // namespace olsgd::bench
