// SpanRecorder: named time spans recorded by actors (or anything else),
// exported as Chrome trace-event JSON (opens in Perfetto and chrome://tracing).
// Generic: it knows tracks (one per actor, shown as a thread), categories and
// names, nothing about training. Thread-safe; recording is one short lock.
#ifndef OLSGD_RUNTIME_SPANS_H_
#define OLSGD_RUNTIME_SPANS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "runtime/error.h"
#include "runtime/mutex.h"

namespace olsgd::rt {

// One "args" entry of a span.
struct SpanArg {
  std::string key;
  std::variant<int64_t, double, std::string> value;
};

struct SpanEvent {
  std::string track;     // shown as the thread name (actor name)
  std::string category;  // "cat"
  std::string name;
  std::chrono::steady_clock::time_point start, end;  // end == start for instants
  std::vector<SpanArg> args;
  char phase = 'X';  // 'X' complete span, 'i' instant, 'C' counter
  int pid = -1;      // -1: the recorder's pid (the node id)
};

class SpanRecorder {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit SpanRecorder(int pid = 0, std::string process_name = "olsgd");

  // A complete span [start, end] on `track`.
  void Record(std::string track, std::string category, std::string name, TimePoint start,
              TimePoint end, std::vector<SpanArg> args = {});

  // Adds a finished event as is (e.g. one recorded on another node), even
  // while recording is off.
  void AddEvent(SpanEvent e) { Add(std::move(e)); }

  // Records [construction, destruction] as a span.
  class Scoped {
   public:
    Scoped(SpanRecorder* r, std::string track, std::string category, std::string name);
    ~Scoped();
    Scoped(const Scoped&) = delete;
    Scoped& operator=(const Scoped&) = delete;
    void AddArg(SpanArg a) { args_.push_back(std::move(a)); }

   private:
    SpanRecorder* r_;
    std::string track_, category_, name_;
    TimePoint start_;
    std::vector<SpanArg> args_;
  };

  // Off: Record and friends return at once (one relaxed load).
  void set_enabled(bool on) { enabled_.store(on, std::memory_order_relaxed); }
  bool enabled() const { return enabled_.load(std::memory_order_relaxed); }

  // The Chrome trace pid (the node id) and process name.
  void SetProcess(int pid, std::string process_name);

  std::vector<SpanEvent> Snapshot() const;
  size_t size() const;
  void Clear();
  // Timestamps are microseconds since `origin()` (the recorder's creation).
  TimePoint origin() const { return origin_; }
  void set_origin(TimePoint t) { origin_ = t; }

  // {"traceEvents":[...], "displayTimeUnit":"ms"} with process/thread-name metadata.
  std::string ToChromeTraceJson() const;
  Status WriteChromeTrace(const std::string& path) const;

 private:
  void Add(SpanEvent e) EXCLUDES(mu_);

  std::atomic<bool> enabled_{true};
  mutable Mutex mu_{LockRank::kSpanRecorder};
  int pid_ GUARDED_BY(mu_);
  std::string process_name_ GUARDED_BY(mu_);
  TimePoint origin_;  // not guarded: set it before other threads record
  std::vector<SpanEvent> events_ GUARDED_BY(mu_);
};

// Appends `s` to `out` as a JSON string literal (with quotes and escapes).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_SPANS_H_
