// ZapHandler: the ZeroMQ authentication (ZAP, RFC 27) handler of one node.
//
// When a node runs with CURVE, its ROUTER is a CURVE server and libzmq asks
// the ZAP handler of the socket's context (a REP socket bound to
// inproc://zeromq.zap.01) whether each connecting client may in. This one
// accepts only the CURVE mechanism and only client public keys that
// `authorize` accepts; a refusal is logged at warn level (once per address and
// key, later ones at debug) with the peer's address and key prefix, and counted.
// It is serviced by the transport's I/O thread (no thread of its own).
#ifndef OLSGD_RUNTIME_ZAP_HANDLER_H_
#define OLSGD_RUNTIME_ZAP_HANDLER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <zmq.hpp>

#include "runtime/error.h"

namespace olsgd::rt::detail {

class ZapHandler {
 public:
  // `authorize` gets the client's public key in Z85 (40 characters).
  using Authorize = std::function<bool(const std::string& z85_key)>;
  ZapHandler(zmq::context_t& ctx, Authorize authorize);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  // Binds inproc://zeromq.zap.01 (before any CURVE server socket binds).
  Status Bind();
  // The REP socket, for the I/O thread's poll set.
  void* handle() const { return sock_ ? sock_->handle() : nullptr; }
  // Answers every request that is waiting (non-blocking).
  void Serve();
  void Close();

  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
  uint64_t accepted() const { return accepted_.load(std::memory_order_relaxed); }

 private:
  void Reply(const std::string& request_id, bool ok, const std::string& text,
             const std::string& user);

  zmq::context_t& ctx_;
  Authorize authorize_;
  std::unique_ptr<zmq::socket_t> sock_;
  std::set<std::string> logged_;  // address + key already logged (I/O thread only)
  std::atomic<uint64_t> refused_{0}, accepted_{0};
};

// Z85 helpers (libzmq's encoding of 32-byte CURVE keys as 40 characters).
std::string Z85Encode32(const void* key32);
bool IsZ85Key(const std::string& s);

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_ZAP_HANDLER_H_
