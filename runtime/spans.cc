#include "runtime/spans.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

namespace olsgd::rt {

SpanRecorder::SpanRecorder(int pid, std::string process_name)
    : pid_(pid),
      process_name_(std::move(process_name)),
      origin_(std::chrono::steady_clock::now()) {}

void SpanRecorder::Add(SpanEvent e) {
  MutexLock lock(mu_);
  if (e.pid < 0) e.pid = pid_;
  events_.push_back(std::move(e));
}

void SpanRecorder::Record(std::string track, std::string category, std::string name,
                          TimePoint start, TimePoint end, std::vector<SpanArg> args) {
  if (!enabled()) return;
  Add({std::move(track), std::move(category), std::move(name), start, end, std::move(args), 'X',
       -1});
}

SpanRecorder::Scoped::Scoped(SpanRecorder* r, std::string track, std::string category,
                             std::string name)
    : r_(r),
      track_(std::move(track)),
      category_(std::move(category)),
      name_(std::move(name)),
      start_(std::chrono::steady_clock::now()) {}

SpanRecorder::Scoped::~Scoped() {
  if (r_) {
    r_->Record(std::move(track_), std::move(category_), std::move(name_), start_,
               std::chrono::steady_clock::now(), std::move(args_));
  }
}

void SpanRecorder::SetProcess(int pid, std::string process_name) {
  MutexLock lock(mu_);
  pid_ = pid;
  process_name_ = std::move(process_name);
}

std::vector<SpanEvent> SpanRecorder::Snapshot() const {
  MutexLock lock(mu_);
  return events_;
}

size_t SpanRecorder::size() const {
  MutexLock lock(mu_);
  return events_.size();
}

void SpanRecorder::Clear() {
  MutexLock lock(mu_);
  events_.clear();
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

namespace {

void AppendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  out += buf;
}

void AppendArgs(std::string& out, const std::vector<SpanArg>& args) {
  out += "{";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ",";
    AppendJsonString(out, args[i].key);
    out += ":";
    const auto& v = args[i].value;
    if (auto* iv = std::get_if<int64_t>(&v)) {
      out += std::to_string(*iv);
    } else if (auto* dv = std::get_if<double>(&v)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", *dv);
      out += std::isfinite(*dv) ? buf : "null";
    } else {
      AppendJsonString(out, std::get<std::string>(v));
    }
  }
  out += "}";
}

}  // namespace

std::string SpanRecorder::ToChromeTraceJson() const {
  std::vector<SpanEvent> events;
  int pid;
  std::string process_name;
  {
    MutexLock lock(mu_);
    events = events_;
    pid = pid_;
    process_name = process_name_;
  }
  // Stable thread ids: tracks numbered in order of first appearance per pid.
  std::map<std::pair<int, std::string>, int> tids;
  std::vector<std::pair<int, std::string>> order;
  for (const auto& e : events) {
    auto key = std::make_pair(e.pid, e.track);
    if (tids.emplace(key, static_cast<int>(tids.size()) + 1).second) order.push_back(key);
  }
  std::string out;
  out.reserve(events.size() * 128 + 256);
  out += "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[";
  out += "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + std::to_string(pid) +
         ",\"tid\":0,\"args\":{\"name\":";
  AppendJsonString(out, process_name);
  out += "}}";
  for (const auto& key : order) {
    out += ",{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + std::to_string(key.first) +
           ",\"tid\":" + std::to_string(tids[key]) + ",\"args\":{\"name\":";
    AppendJsonString(out, key.second);
    out += "}}";
  }
  for (const auto& e : events) {
    out += ",{\"name\":";
    AppendJsonString(out, e.name);
    out += ",\"cat\":";
    AppendJsonString(out, e.category);
    out += ",\"ph\":\"";
    out.push_back(e.phase);
    out += "\",\"ts\":";
    AppendNumber(out, std::chrono::duration<double, std::micro>(e.start - origin_).count());
    if (e.phase == 'X') {
      out += ",\"dur\":";
      AppendNumber(out, std::chrono::duration<double, std::micro>(e.end - e.start).count());
    }
    if (e.phase == 'i') out += ",\"s\":\"t\"";
    out +=
        ",\"pid\":" + std::to_string(e.pid) + ",\"tid\":" + std::to_string(tids[{e.pid, e.track}]);
    if (!e.args.empty()) {
      out += ",\"args\":";
      AppendArgs(out, e.args);
    }
    out += "}";
  }
  out += "]}\n";
  return out;
}

Status SpanRecorder::WriteChromeTrace(const std::string& path) const {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f)
    return Error{ErrorCode::kInvalidArgument, "cannot open trace file " + path + " for writing"};
  std::string json = ToChromeTraceJson();
  f.write(json.data(), static_cast<std::streamsize>(json.size()));
  if (!f) return Error{ErrorCode::kUnknown, "write failed for trace file " + path};
  return OkStatus();
}

}  // namespace olsgd::rt
