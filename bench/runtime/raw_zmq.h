// Raw ZeroMQ baselines for runtime_bench: the same transport and socket
// pattern as the runtime (DEALER -> ROUTER for one-way traffic, REQ/REP for
// round trips), the same sizes, no runtime in between.
#ifndef OLSGD_BENCH_RUNTIME_RAW_ZMQ_H_
#define OLSGD_BENCH_RUNTIME_RAW_ZMQ_H_

#include <cstddef>
#include <string>

namespace olsgd::bench {

// Seconds to push `count` messages of `size` bytes through DEALER -> ROUTER
// (in-process over inproc when `endpoint` is empty, else to a runtime_peer
// raw-sink at `endpoint` that answers after `count` messages). Large
// messages are sent zero-copy, as the runtime sends tensors.
double RawOneWay(const std::string& endpoint, size_t size, long count);

// Mean seconds per REQ/REP round trip of a `size`-byte message (inproc when
// `endpoint` is empty, else to a runtime_peer raw-rep).
double RawRoundTrip(const std::string& endpoint, size_t size, long count);

// Tells a raw peer at `endpoint` to exit.
void RawQuit(const std::string& endpoint, bool rep);

}  // namespace olsgd::bench

#endif  // OLSGD_BENCH_RUNTIME_RAW_ZMQ_H_
