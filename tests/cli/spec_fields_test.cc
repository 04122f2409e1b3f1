// Every field declared in actors/spec/experiment_spec.h reaches every
// consumer of the spec: YAML in and out, the JSON that remote actors get,
// and the checkpoint fingerprint (exactly the fields declared with
// .Fingerprint()); config/README.md's tables are checked in
// shipped_configs_test.cc. Each field is changed alone and followed through
// all of them, so a new field needs its one line in the table and nothing
// else: these tests pick it up, and fail if a consumer cannot carry it.
#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "actors/spec/spec_fingerprint.h"
#include "actors/spec/spec_json.h"
#include "actors/spec/spec_visit.h"
#include "cli/config_dump.h"
#include "cli/config_load.h"

namespace olsgd::cli {
namespace {

using actors::ExperimentSpec;
using actors::FieldInfo;

// A value of T that differs from `v`.
template <class T>
T Changed(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return !v;
  } else if constexpr (std::is_integral_v<T>) {
    return v + 3;
  } else if constexpr (std::is_floating_point_v<T>) {
    return v * 2 + 0.75;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v + "x";
  } else if constexpr (actors::SpecEnum<T>) {
    const auto& names = actors::EnumNames<T>::kNames;
    return names[0].value == v ? names[1].value : names[0].value;
  } else {
    T out = v;
    out.push_back(Changed(typename T::value_type{}));
    return out;
  }
}

// Changes field number `target` (in walk order, list items included) and
// records its dotted path and declaration; counts the fields.
class ChangeOne {
 public:
  explicit ChangeOne(int target) : target_(target) {}

  template <class T>
  void Field(const char* key, T& value, const FieldInfo& info) {
    if (index_++ == target_) {
      value = Changed(value);
      path = prefix_ + key;
      fingerprinted = info.fingerprint;
    }
  }
  template <class S>
  void Section(const char* key, S& section, const FieldInfo&) {
    const std::string saved = prefix_;
    prefix_ += std::string(key) + ".";
    actors::WalkFields(section, *this);
    prefix_ = saved;
  }
  // Lists get one item, whose fields count like any others; the item itself
  // changes the spec when the target is inside it.
  template <class S>
  void List(const char* key, std::vector<S>& items, const FieldInfo&) {
    const int first = index_;
    S item{};
    const std::string saved = prefix_;
    prefix_ += std::string(key) + "[0].";
    actors::WalkFields(item, *this);
    prefix_ = saved;
    if (target_ >= first && target_ < index_) items.push_back(item);
  }

  int fields() const { return index_; }
  std::string path;
  bool fingerprinted = false;

 private:
  int target_;
  int index_ = 0;
  std::string prefix_;
};

int FieldCount() {
  ExperimentSpec s;
  ChangeOne counter(-1);
  actors::WalkFields(s, counter);
  return counter.fields();
}

TEST(SpecFields, EveryFieldIsWalked) {
  // 74 fields (list items' fields included) when this test was written;
  // fewer means a table lost some.
  EXPECT_GE(FieldCount(), 74);
}

TEST(SpecFields, EveryFieldRoundTripsThroughJson) {
  for (int i = 0; i < FieldCount(); ++i) {
    ExperimentSpec s;
    ChangeOne change(i);
    actors::WalkFields(s, change);
    ASSERT_NE(s, ExperimentSpec{}) << change.path << " did not change";
    EXPECT_EQ(actors::SpecFromJson(actors::SpecToJson(s)), s) << change.path;
  }
}

TEST(SpecFields, EveryFieldRoundTripsThroughYaml) {
  for (int i = 0; i < FieldCount(); ++i) {
    ExperimentSpec s;
    ChangeOne change(i);
    actors::WalkFields(s, change);
    const std::string yaml = DumpSpecYaml(s);
    EXPECT_EQ(ReadConfigText(yaml, "dump.yaml").spec, s) << change.path << "\n" << yaml;
  }
}

TEST(SpecFields, FingerprintCoversExactlyTheFieldsDeclaredSo) {
  const actors::Fingerprint defaults = actors::ConfigFingerprint(ExperimentSpec{});
  int fingerprinted = 0;
  for (int i = 0; i < FieldCount(); ++i) {
    ExperimentSpec s;
    ChangeOne change(i);
    actors::WalkFields(s, change);
    const std::string diff = actors::CompareFingerprint(defaults, s);
    EXPECT_EQ(!diff.empty(), change.fingerprinted) << change.path << ": " << diff;
    if (change.fingerprinted) {
      ++fingerprinted;
      EXPECT_NE(diff.find(change.path), std::string::npos) << diff;
    }
  }
  EXPECT_GE(fingerprinted, 30);
}

TEST(SpecFields, JsonFromAnotherVersionWithAnUnknownKeyIsRefusedNamingIt) {
  std::string json = actors::SpecToJson(ExperimentSpec{});
  json.insert(json.find("\"tau\""), "\"tua\":3,");
  try {
    actors::SpecFromJson(json);
    FAIL() << "accepted an unknown key";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("algorithm.tua: unknown key"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace olsgd::cli
