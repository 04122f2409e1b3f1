// Loading configs: defaults, values, --set overrides, and the dump round trip.
#include "cli/config_load.h"

#include <gtest/gtest.h>

#include "cli/config_dump.h"
#include "cli/config_error.h"
#include "cli/config_override.h"
#include "cli/config_suggest.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

using testing::SourcePath;

std::string ErrorOf(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    LoadConfigText(yaml, "x.yaml", overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ConfigLoad, EmptyConfigGivesTheStructDefaults) {
  const actors::ExperimentSpec spec = LoadConfigText("", "empty.yaml", {}).spec;
  const actors::ExperimentSpec defaults;
  EXPECT_EQ(DumpSpecYaml(spec), DumpSpecYaml(defaults));
  EXPECT_EQ(spec.algorithm.name, "overlap_local_sgd");
  EXPECT_EQ(spec.cluster.workers, 4);
}

TEST(ConfigLoad, QuickstartHasTheIssuesSettings) {
  const auto loaded = LoadConfigFile(SourcePath("config/quickstart.yaml"), {});
  const actors::ExperimentSpec& s = loaded.spec;
  EXPECT_EQ(s.cluster.workers, 4);
  EXPECT_EQ(s.data.dataset, actors::DatasetKind::kFashionMnist);
  EXPECT_EQ(s.model.name, actors::ModelKind::kMlp);
  EXPECT_EQ(s.algorithm.name, "overlap_local_sgd");
  EXPECT_EQ(s.algorithm.tau, 2);
  EXPECT_DOUBLE_EQ(s.algorithm.alpha, 0.6);
  EXPECT_DOUBLE_EQ(s.algorithm.beta, 0.7);
  EXPECT_DOUBLE_EQ(s.training.weight_decay, 1e-4);
}

TEST(ConfigLoad, ListsOfMappingsAndNestedSections) {
  const auto s = LoadConfigFile(SourcePath("config/scenarios/slow_link.yaml"), {}).spec;
  ASSERT_EQ(s.injection.links.size(), 1u);
  EXPECT_EQ(s.injection.links[0].from, "trainer:*");
  EXPECT_EQ(s.injection.links[0].jitter.dist, actors::DelayKind::kExponential);
  EXPECT_DOUBLE_EQ(s.injection.links[0].jitter.mean_ms, 10);
  EXPECT_DOUBLE_EQ(s.injection.links[0].bandwidth_mbps, 200);
  EXPECT_DOUBLE_EQ(s.injection.links[0].jitter.pareto_shape, 2.0);  // default kept
}

TEST(ConfigLoad, ErrorLinesAreOneBasedFromTheFile) {
  EXPECT_EQ(ErrorOf("name: a\n\nalgorithm:\n  name: easgd\n  alpha: 1.5\n"),
            "error: x.yaml:5: algorithm.alpha must be in (0, 1), got 1.5");
}

TEST(ConfigOverride, SetsScalarsListsAndNestedKeys) {
  const auto s = LoadConfigFile(SourcePath("config/quickstart.yaml"),
                                {"algorithm.tau=8", "model.hidden=[512, 64, 32]", "name=renamed",
                                 "training.nesterov=false"})
                     .spec;
  EXPECT_EQ(s.algorithm.tau, 8);
  EXPECT_EQ(s.model.hidden, (std::vector<int>{512, 64, 32}));
  EXPECT_EQ(s.name, "renamed");
  EXPECT_FALSE(s.training.nesterov);
}

TEST(ConfigOverride, AddsAndChangesListItems) {
  const auto s =
      LoadConfigFile(SourcePath("config/scenarios/stragglers.yaml"),
                     {"injection.stragglers[0].slowdown=3", "injection.stragglers.3.worker=0",
                      "injection.stragglers.3.slowdown=1.5"})
          .spec;
  ASSERT_EQ(s.injection.stragglers.size(), 4u);
  EXPECT_DOUBLE_EQ(s.injection.stragglers[0].slowdown, 3);
  EXPECT_EQ(s.injection.stragglers[3].worker, 0);
  EXPECT_DOUBLE_EQ(s.injection.stragglers[3].slowdown, 1.5);
}

TEST(ConfigOverride, LaterOverridesWin) {
  const auto s =
      LoadConfigText("algorithm:\n  tau: 4\n", "x.yaml", {"algorithm.tau=8", "algorithm.tau=24"})
          .spec;
  EXPECT_EQ(s.algorithm.tau, 24);
}

TEST(ConfigOverride, ErrorsNameTheOverride) {
  EXPECT_EQ(ErrorOf("name: a\n", {"algorithm.tau=two"}),
            "error: --set algorithm.tau=two: algorithm.tau must be an integer, got \"two\"");
  EXPECT_EQ(ErrorOf("name: a\n", {"algorithm.taw=2"}),
            "error: --set algorithm.taw=2: unknown key 'algorithm.taw'; did you mean 'tau'?");
  EXPECT_EQ(ErrorOf("name: a\n", {"algorithm.tau"}),
            "error: --set algorithm.tau: an override must look like key.path=value");
  EXPECT_EQ(ErrorOf("name: a\n", {"name.first=x"}),
            "error: --set name.first=x: name is not a mapping, so it has no key first");
  EXPECT_EQ(ErrorOf("name: a\n", {"injection.stragglers[2].worker=1"}),
            "error: --set injection.stragglers[2].worker=1: injection.stragglers has 0 items; "
            "an override can only add item 0");
  EXPECT_EQ(ErrorOf("cluster:\n  workers: 2\n", {"algorithm.reducer_shards=3"}),
            "error: --set algorithm.reducer_shards=3: algorithm.reducer_shards must be in "
            "[1, 2] (the number of workers), got 3");
}

TEST(ConfigOverride, SplitsPaths) {
  EXPECT_EQ(SplitPath("a.b[2].c"), (std::vector<std::string>{"a", "b", "2", "c"}));
  EXPECT_EQ(ParseOverride("a.b.2.c=x").path, "a.b[2].c");
  EXPECT_EQ(ParseOverride("a=b=c").value, "b=c");
}

TEST(ConfigDump, RoundTripsEveryShippedScenario) {
  for (const char* file :
       {"config/quickstart.yaml", "config/scenarios/slow_link.yaml",
        "config/scenarios/stragglers.yaml", "config/paper/tau8_dirichlet.yaml"}) {
    const auto first = LoadConfigFile(SourcePath(file), {}).spec;
    const std::string dumped = DumpSpecYaml(first);
    const auto second = LoadConfigText(dumped, "dump", {}).spec;
    EXPECT_EQ(DumpSpecYaml(second), dumped) << file;
    EXPECT_EQ(second.injection.links.size(), first.injection.links.size());
    EXPECT_EQ(second.injection.stragglers.size(), first.injection.stragglers.size());
  }
}

TEST(ConfigDump, KeepsNumbersShort) {
  const std::string dumped = DumpSpecYaml(actors::ExperimentSpec{});
  EXPECT_NE(dumped.find("lr: 0.1\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("weight_decay: 0.0001\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("links: []"), std::string::npos) << dumped;
}

TEST(Suggest, EditDistanceAndClosestMatch) {
  EXPECT_EQ(EditDistance("alpah", "alpha"), 2u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(ClosestMatch("trainng", {"training", "data", "model"}), "training");
  EXPECT_EQ(ClosestMatch("zzzzzz", {"training", "data", "model"}), "");
}

}  // namespace
}  // namespace olsgd::cli
