#include "cli/config_dump.h"

#include <yaml-cpp/yaml.h>

#include "actors/spec/spec_visit.h"
#include "cli/config_validate.h"

namespace olsgd::cli {
namespace {

// Emits each visited key as YAML. Numbers use the shortest round-trip form
// (0.1, not 0.10000000000000001).
class Dumper {
 public:
  explicit Dumper(YAML::Emitter& out) : out_(out) {}

  void Field(const char* key, const std::string& v, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value << v;
  }
  void Field(const char* key, bool v, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value << (v ? "true" : "false");
  }
  void Field(const char* key, double v, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value << FormatNumber(v);
  }
  template <class Int>
  requires std::is_integral_v<Int>
  void Field(const char* key, Int v, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value << std::to_string(v);
  }
  template <actors::SpecEnum E>
  void Field(const char* key, E v, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value << std::string(actors::NameOf(v));
  }
  template <class T>
  void Field(const char* key, const std::vector<T>& values, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const T& v : values) {
      if constexpr (std::is_same_v<T, double>) {
        out_ << FormatNumber(v);
      } else if constexpr (std::is_same_v<T, std::string>) {
        out_ << v;
      } else {
        out_ << std::to_string(v);
      }
    }
    out_ << YAML::EndSeq;
  }

  template <class S>
  void Section(const char* key, const S& section, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value << YAML::BeginMap;
    actors::WalkFields(section, *this);
    out_ << YAML::EndMap;
  }

  template <class S>
  void List(const char* key, const std::vector<S>& items, const actors::FieldInfo&) {
    out_ << YAML::Key << key << YAML::Value;
    if (items.empty()) {
      out_ << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    out_ << YAML::BeginSeq;
    for (const S& item : items) {
      out_ << YAML::BeginMap;
      actors::WalkFields(item, *this);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
  }

 private:
  YAML::Emitter& out_;
};

}  // namespace

std::string DumpSpecYaml(const actors::ExperimentSpec& spec) {
  YAML::Emitter out;
  Dumper dumper(out);
  out << YAML::BeginMap;
  actors::WalkFields(spec, dumper);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace olsgd::cli
