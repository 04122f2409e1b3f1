// Per-actor counters: cheap relaxed atomics written by the runtime, read as a
// snapshot by tests, benchmarks and the trace.
#ifndef OLSGD_RUNTIME_STATS_H_
#define OLSGD_RUNTIME_STATS_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "runtime/ids.h"

namespace olsgd::rt {

// A snapshot of one actor's counters. Bytes are payload bytes: for local
// messages the tensors' bytes plus the other arguments' sizes, for remote
// ones the bytes on the wire.
struct ActorStats {
  ActorId id;
  std::string name;
  std::string type_name;
  uint64_t messages_in = 0;   // messages processed (method calls, timers, continuations)
  uint64_t messages_out = 0;  // tells, calls and replies sent by this actor
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  int64_t mailbox_depth = 0;      // queued, not yet processed
  int64_t max_mailbox_depth = 0;  // high-water mark
  int64_t busy_ns = 0;            // time spent inside the actor's methods
  uint64_t failures = 0;          // methods that threw
  uint64_t restarts = 0;
  uint64_t rejected = 0;  // messages that reached a stopped actor
  bool alive = false;
};

namespace detail {
struct ActorCounters {
  std::atomic<uint64_t> messages_in{0}, messages_out{0}, bytes_in{0}, bytes_out{0};
  std::atomic<int64_t> mailbox_depth{0}, max_mailbox_depth{0}, busy_ns{0};
  std::atomic<uint64_t> failures{0}, restarts{0}, rejected{0};

  void Add(std::atomic<uint64_t>& c, uint64_t v) { c.fetch_add(v, std::memory_order_relaxed); }
  void Enqueued() {
    int64_t d = mailbox_depth.fetch_add(1, std::memory_order_relaxed) + 1;
    int64_t m = max_mailbox_depth.load(std::memory_order_relaxed);
    while (d > m && !max_mailbox_depth.compare_exchange_weak(m, d, std::memory_order_relaxed)) {
    }
  }
};
}  // namespace detail

// Transport counters of one node.
struct TransportStats {
  uint64_t messages_sent = 0, messages_received = 0;
  uint64_t bytes_sent = 0, bytes_received = 0;
  uint64_t decode_errors = 0;       // malformed frames / unknown message types, rejected
  uint64_t undeliverable = 0;       // messages for unknown actors or nodes, counted and logged
  uint64_t send_failures = 0;       // sends that returned an error to the sender
  uint64_t backpressure_waits = 0;  // sends that had to wait for the outgoing budget
  uint64_t auth_refused = 0;        // connections the ZAP handler refused (CURVE: wrong client key)
  uint64_t handshake_failures =
      0;  // CURVE handshakes that failed before ZAP (plaintext peer, wrong server key)
  int64_t outgoing_bytes_in_flight = 0;
};

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_STATS_H_
