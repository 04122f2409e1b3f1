#include "actors/spec/spec_json.h"

#include <gtest/gtest.h>

namespace olsgd::actors {
namespace {

TEST(SpecJsonTest, RoundTripKeepsEveryField) {
  ExperimentSpec s;
  s.name = "x";
  s.seed = 99;
  s.cluster.workers = 7;
  s.model.hidden = {5, 6};
  s.training.milestones = {1.5, 2.5};
  s.algorithm.name = "easgd";
  LinkSpec link;
  link.from = "trainer:1";
  link.latency_ms = 12.5;
  link.jitter.dist = DelayKind::kPareto;
  s.injection.links.push_back(link);
  StragglerSpec st;
  st.worker = 3;
  st.pause = PauseKind::kBernoulli;
  s.injection.stragglers.push_back(st);
  const ExperimentSpec back = SpecFromJson(SpecToJson(s));
  EXPECT_EQ(SpecToJson(back), SpecToJson(s));
  EXPECT_EQ(back.cluster.workers, 7);
  EXPECT_EQ(back.injection.links.at(0).jitter.dist, DelayKind::kPareto);
  EXPECT_EQ(back.injection.stragglers.at(0).worker, 3);
}

TEST(SpecJsonTest, MalformedJsonIsAClearError) {
  EXPECT_THROW(SpecFromJson("{not json"), std::runtime_error);
  EXPECT_THROW(SpecFromJson(R"({"cluster": {"workers": "four"}})"), std::runtime_error);
}

}  // namespace
}  // namespace olsgd::actors
