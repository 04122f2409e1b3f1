// Every YAML file shipped in config/ validates, and what validate prints loads
// back to the same config.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/commands.h"
#include "cli/config_dump.h"
#include "actors/spec/spec_fields.h"
#include "cli/config_load.h"
#include "cli/output_files.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

namespace fs = std::filesystem;

TEST(ShippedConfigs, EveryOneValidates) {
  int count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::SourcePath("config"))) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    const std::string path = entry.path().string();
    std::ostringstream out, err;
    CommandEnv env;
    env.out = &out;
    env.err = &err;
    EXPECT_EQ(ValidateCommand({path, {}}, env), kExitOk) << path << ": " << err.str();
    EXPECT_EQ(err.str(), "");
    const std::string printed = out.str();
    const std::string body = printed.substr(printed.find('\n') + 1);
    EXPECT_EQ(DumpSpecYaml(LoadConfigText(body, "printed", {}).spec),
              DumpSpecYaml(LoadConfigFile(path, {}).spec))
        << path;
  }
  // quickstart, 5 algorithms, 8 paper configs, 2 scenarios, 2 test configs
  EXPECT_GE(count, 18);
}

TEST(ShippedConfigs, AlgorithmConfigsDifferOnlyInTheAlgorithm) {
  const auto quick = LoadConfigFile(testing::SourcePath("config/quickstart.yaml"), {}).spec;
  for (const char* name : {"sync_sgd", "local_sgd", "overlap_local_sgd", "easgd", "cocod_sgd"}) {
    auto spec =
        LoadConfigFile(testing::SourcePath(std::string("config/algorithms/") + name + ".yaml"), {})
            .spec;
    EXPECT_EQ(spec.algorithm.name, name);
    spec.algorithm = quick.algorithm;
    spec.name = quick.name;
    EXPECT_EQ(DumpSpecYaml(spec), DumpSpecYaml(quick)) << name;
  }
}

TEST(ShippedConfigs, PaperSweepCoversTauAndPartitions) {
  for (int tau : {1, 2, 8, 24}) {
    for (const char* part : {"iid", "dirichlet"}) {
      const std::string file = "config/paper/tau" + std::to_string(tau) + "_" + part + ".yaml";
      const auto spec = LoadConfigFile(testing::SourcePath(file), {}).spec;
      EXPECT_EQ(spec.algorithm.tau, tau) << file;
      EXPECT_EQ(spec.data.partition, part) << file;
      if (std::string(part) == "dirichlet") {
        EXPECT_DOUBLE_EQ(spec.data.dirichlet_alpha, 0.5);
      }
    }
  }
}

}  // namespace
}  // namespace olsgd::cli

namespace olsgd::cli {
namespace {

// Collects every key VisitSpec knows, as config/README.md writes it in its
// tables: `key`, and `jitter.key` inside links.
class KeyCollector {
 public:
  std::vector<std::string> keys;

  template <class T>
  void Field(const char* key, T&) {
    keys.push_back(prefix_ + key);
  }
  template <class Fn>
  void Section(const char* key, Fn body) {
    const std::string saved = prefix_;
    if (depth_ > 0) prefix_ += std::string(key) + ".";
    ++depth_;
    body();
    --depth_;
    prefix_ = saved;
  }
  template <class E, class Fn>
  void List(const char* key, std::vector<E>&, Fn body) {
    keys.push_back(key);
    E item{};
    body(item);
  }

 private:
  std::string prefix_;
  int depth_ = 0;
};

TEST(ConfigReadme, DocumentsEveryKey) {
  KeyCollector collector;
  actors::ExperimentSpec spec;
  actors::VisitSpec(collector, spec);
  const std::string readme = ReadFile(testing::SourcePath("config/README.md"));
  EXPECT_GE(collector.keys.size(), 70u);
  for (const std::string& key : collector.keys) {
    if (key == "links" || key == "stragglers") {
      EXPECT_NE(readme.find("`" + key + "`"), std::string::npos) << key;
    } else {
      EXPECT_NE(readme.find("| `" + key + "` |"), std::string::npos) << key;
    }
  }
}

}  // namespace
}  // namespace olsgd::cli
