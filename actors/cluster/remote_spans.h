// Trace spans recorded on a worker node, shipped to the head so trace.json
// shows every node's actors on one timeline. Times travel as Unix
// nanoseconds (each node maps its steady clock through its system clock),
// so the timeline is as aligned as the hosts' clocks are.
#ifndef OLSGD_ACTORS_CLUSTER_REMOTE_SPANS_H_
#define OLSGD_ACTORS_CLUSTER_REMOTE_SPANS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/msgpack_safe.h"
#include "runtime/spans.h"

namespace olsgd::actors {

struct WireSpanArg {
  std::string key;
  int kind = 0;  // 0 int, 1 double, 2 string
  int64_t i = 0;
  double d = 0;
  std::string s;
  MSGPACK_DEFINE(key, kind, i, d, s)
};

struct WireSpan {
  std::string track, category, name;
  int64_t start_unix_ns = 0, end_unix_ns = 0;
  int phase = 'X';
  std::vector<WireSpanArg> args;
  MSGPACK_DEFINE(track, category, name, start_unix_ns, end_unix_ns, phase, args)
};

// Every span `recorder` holds, in Unix time.
std::vector<WireSpan> ExportSpans(const rt::SpanRecorder& recorder);

// Adds `spans` to `recorder` under Chrome-trace process id `pid`.
void ImportSpans(rt::SpanRecorder& recorder, const std::vector<WireSpan>& spans, int pid);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_REMOTE_SPANS_H_
