// Actor types shared by the runtime tests and the runtime_peer helper.
#ifndef OLSGD_TESTS_RUNTIME_TEST_ACTORS_H_
#define OLSGD_TESTS_RUNTIME_TEST_ACTORS_H_

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace olsgd::rt::testing {

// Records (sender, seq) pairs; echoes; adds; throws on demand.
class Recorder : public Actor {
 public:
  static constexpr const char* kTypeName = "test.Recorder";
  static void DefineMethods(MethodTable<Recorder>& t) {
    t.Def("record", &Recorder::Record);
    t.Def("log", &Recorder::Log);
    t.Def("add", &Recorder::Add);
    t.Def("echo", &Recorder::Echo);
    t.Def("fail", &Recorder::Fail);
    t.Def("count", &Recorder::Count);
    t.Def("sum", &Recorder::Sum);
    t.Def("scale", &Recorder::Scale);
    t.Def("ping", &Recorder::Ping);
    t.Def("generation", &Recorder::Generation);
    t.Def("forward", &Recorder::Forward);
    t.Def("checksum", &Recorder::Checksum);
    t.Def("identity", &Recorder::Identity);
    t.Def("node", &Recorder::Node);
    t.Def("consume", &Recorder::Consume);
    t.Def("take", &Recorder::Take);
    t.Def("consumed", &Recorder::Consumed);
  }
  explicit Recorder(int64_t generation = 0) : generation_(generation) {}

  void Record(int sender, int64_t seq) { log_.emplace_back(sender, seq); }
  std::vector<std::pair<int, int64_t>> Log() const { return log_; }
  int64_t Add(int64_t a, int64_t b) { return a + b; }
  std::string Echo(const std::string& s) { return s; }
  int64_t Fail(const std::string& why) { throw std::runtime_error(why); }
  int64_t Count() const { return static_cast<int64_t>(log_.size()); }
  // Sum of a tensor's floats in double precision, and its size.
  std::pair<double, uint64_t> Sum(Tensor t) {
    double s = 0;
    for (float f : t.floats()) s += f;
    return {s, t.size()};
  }
  Tensor Scale(Tensor t, float k) {
    for (float& f : t.floats()) f *= k;
    return t;
  }
  void Ping() {}
  int64_t Generation() const { return generation_ + static_cast<int64_t>(log_.size()); }
  // Sends n Record(id, i) tells to `to` (a handle that travelled in a message).
  void Forward(ActorHandle<Recorder> to, int id, int64_t n) {
    for (int64_t i = 0; i < n; ++i) (void)to.Tell(&Recorder::Record, id, i);
  }
  uint64_t Checksum(Tensor t) { return Fnv1a(t); }
  Tensor Identity(Tensor t) { return t; }
  uint32_t Node() const { return context().node(); }
  // Sinks for the bench: count messages and bytes, keep nothing.
  void Consume(const std::string& s) {
    ++consumed_;
    consumed_bytes_ += s.size();
  }
  void Take(Tensor t) {
    ++consumed_;
    consumed_bytes_ += t.size_bytes();
  }
  std::pair<int64_t, int64_t> Consumed() const { return {consumed_, consumed_bytes_}; }

  static uint64_t Fnv1a(const Tensor& t) {
    uint64_t h = 1469598103934665603ull;
    const auto* p = reinterpret_cast<const unsigned char*>(t.data());
    for (size_t i = 0; i < t.size_bytes(); ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h ^ t.size_bytes();
  }

 private:
  int64_t generation_;
  int64_t consumed_ = 0, consumed_bytes_ = 0;
  std::vector<std::pair<int, int64_t>> log_;
};

// Lets a test end a helper process.
class Control : public Actor {
 public:
  static constexpr const char* kTypeName = "test.Control";
  static void DefineMethods(MethodTable<Control>& t) { t.Def("quit", &Control::Quit); }
  explicit Control(std::atomic<bool>* quit = nullptr) : quit_(quit) {}
  void Quit() {
    if (quit_) quit_->store(true);
  }

 private:
  std::atomic<bool>* quit_;
};

}  // namespace olsgd::rt::testing

#endif  // OLSGD_TESTS_RUNTIME_TEST_ACTORS_H_
