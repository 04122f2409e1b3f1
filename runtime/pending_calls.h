// PendingCalls: the calls and system requests this node sent to other nodes
// and still awaits a reply for: request id -> the node it went to and the
// handler of its reply. A reply, a failed send, the loss of that node or the
// shutdown each take a handler out exactly once; handlers always run after
// the lock is released, since they complete futures.
#ifndef OLSGD_RUNTIME_PENDING_CALLS_H_
#define OLSGD_RUNTIME_PENDING_CALLS_H_

#include <atomic>
#include <cstdint>
#include <unordered_map>

#include "runtime/codec.h"
#include "runtime/error.h"
#include "runtime/ids.h"
#include "runtime/mutex.h"
#include "runtime/unique_function.h"

namespace olsgd::rt::detail {

class PendingCalls {
 public:
  // Gets the reply (a kReply / kReplyError message) or a local failure.
  using Handler = UniqueFunction<void(Result<WireMessage*>)>;

  // Registers a request to `node`; returns its request id.
  uint64_t Add(NodeId node, Handler h) EXCLUDES(mu_);
  // Removes and returns the handler of `request_id`; empty if it is gone
  // (answered or failed already).
  Handler Take(uint64_t request_id) EXCLUDES(mu_);
  // Fails one request / every request to `node` / every request.
  void Fail(uint64_t request_id, Error e) EXCLUDES(mu_);
  void FailNode(NodeId node, const Error& e) EXCLUDES(mu_);
  void FailAll(const Error& e) EXCLUDES(mu_);

 private:
  struct Pending {
    NodeId node;
    Handler handler;
  };

  std::atomic<uint64_t> next_request_{1};
  Mutex mu_{LockRank::kPendingCalls};
  std::unordered_map<uint64_t, Pending> pending_ GUARDED_BY(mu_);  // by request id
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_PENDING_CALLS_H_
