#include "actors/cluster/remote_spans.h"

#include <chrono>
#include <type_traits>

namespace olsgd::actors {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

// steady time point <-> Unix nanoseconds, through one reading of both clocks.
struct ClockMap {
  SteadyClock::time_point steady = SteadyClock::now();
  int64_t unix_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(SystemClock::now().time_since_epoch())
          .count();
  int64_t ToUnix(SteadyClock::time_point t) const {
    return unix_ns + std::chrono::duration_cast<std::chrono::nanoseconds>(t - steady).count();
  }
  SteadyClock::time_point ToSteady(int64_t u) const {
    return steady + std::chrono::nanoseconds(u - unix_ns);
  }
};

}  // namespace

std::vector<WireSpan> ExportSpans(const rt::SpanRecorder& recorder) {
  const ClockMap clocks;
  std::vector<WireSpan> out;
  for (const rt::SpanEvent& e : recorder.Snapshot()) {
    WireSpan w;
    w.track = e.track;
    w.category = e.category;
    w.name = e.name;
    w.start_unix_ns = clocks.ToUnix(e.start);
    w.end_unix_ns = clocks.ToUnix(e.end);
    w.phase = e.phase;
    for (const rt::SpanArg& a : e.args) {
      WireSpanArg wa;
      wa.key = a.key;
      std::visit(
          [&wa](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, int64_t>) {
              wa.kind = 0;
              wa.i = v;
            } else if constexpr (std::is_same_v<V, double>) {
              wa.kind = 1;
              wa.d = v;
            } else {
              wa.kind = 2;
              wa.s = v;
            }
          },
          a.value);
      w.args.push_back(std::move(wa));
    }
    out.push_back(std::move(w));
  }
  return out;
}

void ImportSpans(rt::SpanRecorder& recorder, const std::vector<WireSpan>& spans, int pid) {
  const ClockMap clocks;
  for (const WireSpan& w : spans) {
    std::vector<rt::SpanArg> args;
    for (const WireSpanArg& a : w.args) {
      if (a.kind == 0) {
        args.push_back({a.key, a.i});
      } else if (a.kind == 1) {
        args.push_back({a.key, a.d});
      } else {
        args.push_back({a.key, a.s});
      }
    }
    // Tracks are per (pid, name) in the trace; the worker's node id keeps its
    // trainers apart from the head's actors.
    const auto start = clocks.ToSteady(w.start_unix_ns);
    const auto end = clocks.ToSteady(w.end_unix_ns);
    recorder.AddEvent(rt::SpanEvent{w.track, w.category, w.name, start, end, std::move(args),
                                    static_cast<char>(w.phase), pid});
  }
}

}  // namespace olsgd::actors
