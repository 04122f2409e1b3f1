#include "actors/spec/spec_json.h"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "actors/spec/spec_visit.h"

namespace olsgd::actors {
namespace {

using nlohmann::json;

// Writes every field, enums by their config names.
class JsonWriter {
 public:
  explicit JsonWriter(json& out) : out_(out) { out_ = json::object(); }

  template <class T>
  void Field(const char* key, const T& value, const FieldInfo&) {
    if constexpr (SpecEnum<T>) {
      out_[key] = std::string(NameOf(value));
    } else {
      out_[key] = value;
    }
  }
  template <class S>
  void Section(const char* key, const S& section, const FieldInfo&) {
    JsonWriter w(out_[key]);
    WalkFields(section, w);
  }
  template <class S>
  void List(const char* key, const std::vector<S>& items, const FieldInfo&) {
    json& arr = out_[key] = json::array();
    for (const S& item : items) {
      json o;
      JsonWriter w(o);
      WalkFields(item, w);
      arr.push_back(std::move(o));
    }
  }

 private:
  json& out_;
};

// Reads the fields present (absent ones keep their defaults) and rejects
// keys the spec does not have, naming the key's path: a head and a worker
// built from different versions fail loudly instead of dropping a field.
class JsonReader {
 public:
  JsonReader(const json& in, std::string path) : in_(in), path_(std::move(path)) {
    if (!in_.is_object()) throw std::runtime_error(Where() + "expected an object");
  }

  template <class T>
  void Field(const char* key, T& value, const FieldInfo&) {
    const json* v = Take(key);
    if (!v) return;
    try {
      if constexpr (SpecEnum<T>) {
        const auto parsed = ParseEnum<T>(v->get<std::string>());
        if (!parsed) throw std::runtime_error("unknown name '" + v->get<std::string>() + "'");
        value = *parsed;
      } else {
        value = v->get<T>();
      }
    } catch (const std::exception& e) {
      throw std::runtime_error(Where(key) + e.what());
    }
  }
  template <class S>
  void Section(const char* key, S& section, const FieldInfo&) {
    const json* v = Take(key);
    if (!v) return;
    JsonReader r(*v, Join(key));
    WalkFields(section, r);
    r.CheckAllTaken();
  }
  template <class S>
  void List(const char* key, std::vector<S>& items, const FieldInfo&) {
    const json* v = Take(key);
    if (!v) return;
    if (!v->is_array()) throw std::runtime_error(Where(key) + "expected an array");
    items.clear();
    for (size_t i = 0; i < v->size(); ++i) {
      JsonReader r((*v)[i], Join(key) + "[" + std::to_string(i) + "]");
      WalkFields(items.emplace_back(), r);
      r.CheckAllTaken();
    }
  }

  void CheckAllTaken() const {
    for (const auto& [key, value] : in_.items()) {
      if (taken_.count(key) == 0) throw std::runtime_error(Where(key.c_str()) + "unknown key");
    }
  }

 private:
  const json* Take(const char* key) {
    taken_.insert(key);
    auto it = in_.find(key);
    return it == in_.end() ? nullptr : &*it;
  }
  std::string Join(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  std::string Where(const char* key = nullptr) const {
    const std::string p = key ? Join(key) : path_;
    return p.empty() ? "" : p + ": ";
  }

  const json& in_;
  std::string path_;
  std::set<std::string> taken_;
};

}  // namespace

std::string SpecToJson(const ExperimentSpec& spec) {
  json out;
  JsonWriter w(out);
  WalkFields(spec, w);
  return out.dump();
}

ExperimentSpec SpecFromJson(const std::string& text) {
  ExperimentSpec spec;
  try {
    const json in = json::parse(text);
    JsonReader r(in, "");
    WalkFields(spec, r);
    r.CheckAllTaken();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("invalid experiment spec JSON: ") + e.what());
  }
  return spec;
}

}  // namespace olsgd::actors
