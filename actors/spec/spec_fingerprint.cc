#include "actors/spec/spec_fingerprint.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "actors/spec/spec_visit.h"

namespace olsgd::actors {
namespace {

// The shortest of %.15g / %.17g that reads back as exactly `v`.
std::string Text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}
std::string Text(int64_t v) { return std::to_string(v); }
std::string Text(uint64_t v) { return std::to_string(v); }
std::string Text(int v) { return std::to_string(v); }
std::string Text(bool v) { return v ? "true" : "false"; }
std::string Text(const std::string& v) { return v; }
template <SpecEnum E>
std::string Text(E v) {
  return std::string(NameOf(v));
}
template <class T>
std::string Text(const std::vector<T>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Text(v[i]);
  return s + "]";
}

// Collects the fields declared with .Fingerprint(), by dotted path.
class Collector {
 public:
  Fingerprint out;

  template <class T>
  void Field(const char* key, const T& value, const FieldInfo& info) {
    if (info.fingerprint) out.emplace_back(prefix_ + key, Text(value));
  }
  template <class S>
  void Section(const char* key, const S& section, const FieldInfo&) {
    const std::string saved = prefix_;
    prefix_ += std::string(key) + ".";
    WalkFields(section, *this);
    prefix_ = saved;
  }
  template <class S>
  void List(const char* key, const std::vector<S>& items, const FieldInfo&) {
    const std::string saved = prefix_;
    for (size_t i = 0; i < items.size(); ++i) {
      prefix_ = saved + key + "[" + std::to_string(i) + "].";
      WalkFields(items[i], *this);
    }
    prefix_ = saved;
  }

 private:
  std::string prefix_;
};

}  // namespace

Fingerprint ConfigFingerprint(const ExperimentSpec& s) {
  Collector c;
  WalkFields(s, c);
  return std::move(c.out);
}

std::string CompareFingerprint(const Fingerprint& saved, const ExperimentSpec& spec) {
  const Fingerprint now = ConfigFingerprint(spec);
  std::map<std::string, std::string> saved_by_key(saved.begin(), saved.end());
  for (const auto& [key, value] : now) {
    auto it = saved_by_key.find(key);
    if (it == saved_by_key.end()) {
      return "checkpoint does not record " + key + " (this config has " + value + ")";
    }
    if (it->second != value) {
      return "checkpoint was made with " + key + " = " + it->second + ", this config has " + value;
    }
  }
  return "";
}

}  // namespace olsgd::actors
