// Every config in tests/cli/broken/ is wrong in one way; its first line says
// the exact error `olsgd validate` must print, and the exit code must be 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/commands.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

namespace fs = std::filesystem;

struct Broken {
  std::string path;
  std::string expected;
};

std::vector<Broken> BrokenConfigs() {
  std::vector<Broken> out;
  for (const auto& entry : fs::directory_iterator(testing::SourcePath("tests/cli/broken"))) {
    const std::string path = entry.path().string();
    std::string first = testing::ReadLines(path).at(0);
    const std::string marker = "# expect: ";
    EXPECT_EQ(first.rfind(marker, 0), 0u) << path;
    std::string expected = first.substr(marker.size());
    const size_t at = expected.find("{file}");
    if (at != std::string::npos) expected.replace(at, 6, path);
    out.push_back({path, expected});
  }
  return out;
}

TEST(BrokenConfigs, EachGivesItsExactErrorAndExitCode2) {
  const std::vector<Broken> broken = BrokenConfigs();
  EXPECT_GE(broken.size(), 15u);
  for (const Broken& b : broken) {
    std::ostringstream out, err;
    CommandEnv env;
    env.out = &out;
    env.err = &err;
    EXPECT_EQ(ValidateCommand({b.path, {}}, env), kExitUsage) << b.path;
    EXPECT_EQ(err.str(), b.expected + "\n") << b.path;
    EXPECT_EQ(out.str(), "") << b.path;
  }
}

TEST(BrokenConfigs, MissingFileIsAConfigError) {
  std::ostringstream out, err;
  CommandEnv env;
  env.out = &out;
  env.err = &err;
  EXPECT_EQ(ValidateCommand({"/nonexistent/x.yaml", {}}, env), kExitUsage);
  EXPECT_EQ(err.str(), "error: /nonexistent/x.yaml: cannot read the config file\n");
}

}  // namespace
}  // namespace olsgd::cli
