#include "actors/run/link_setup.h"

#include <functional>
#include <map>
#include <stdexcept>

namespace olsgd::actors {
namespace {

using std::chrono::duration_cast;
using std::chrono::nanoseconds;

nanoseconds Ms(double ms) {
  return duration_cast<nanoseconds>(std::chrono::duration<double, std::milli>(ms));
}

// The actor names an endpoint selects.
std::vector<std::string> Expand(const std::string& endpoint, int workers, int shards) {
  std::vector<std::string> out;
  auto all = [&](bool trainers, bool reducers) {
    if (trainers)
      for (int i = 0; i < workers; ++i) out.push_back(TrainerName(i));
    if (reducers)
      for (int j = 0; j < shards; ++j) out.push_back(ReducerName(j));
  };
  if (endpoint == "*") {
    all(true, true);
  } else if (endpoint == "trainer:*") {
    all(true, false);
  } else if (endpoint == "reducer:*") {
    all(false, true);
  } else {
    const auto colon = endpoint.find(':');
    const std::string kind = endpoint.substr(0, colon);
    int index = -1;
    try {
      size_t used = 0;
      index = std::stoi(endpoint.substr(colon + 1), &used);
      if (colon + 1 + used != endpoint.size()) index = -1;
    } catch (const std::exception&) {
      index = -1;
    }
    const int limit = kind == "trainer" ? workers : kind == "reducer" ? shards : 0;
    if (colon == std::string::npos || index < 0 || index >= limit) {
      throw std::invalid_argument("injection.links: endpoint '" + endpoint +
                                  "' names no actor (expected trainer:0.." +
                                  std::to_string(workers - 1) + ", reducer:0.." +
                                  std::to_string(shards - 1) + ", trainer:*, reducer:* or *)");
    }
    out.push_back(endpoint);
  }
  return out;
}

rt::JitterDist ToJitter(const DelayDist& d) {
  if (d.dist == DelayKind::kUniform) return rt::JitterDist::Uniform(Ms(2 * d.mean_ms));
  if (d.dist == DelayKind::kNormal) return rt::JitterDist::Normal(Ms(d.stddev_ms));
  if (d.dist == DelayKind::kExponential) return rt::JitterDist::Exponential(Ms(d.mean_ms));
  if (d.dist == DelayKind::kPareto) {
    // Lomax scale * (U^(-1/a) - 1) has mean scale / (a - 1).
    return rt::JitterDist::Pareto(Ms(d.mean_ms * (d.pareto_shape - 1)), d.pareto_shape);
  }
  return rt::JitterDist::None();
}

bool IsTrainer(const std::string& name) { return name.rfind("trainer:", 0) == 0; }

}  // namespace

std::string TrainerName(int worker) { return "trainer:" + std::to_string(worker); }
std::string ReducerName(int shard) { return "reducer:" + std::to_string(shard); }

std::vector<ResolvedLink> ResolveLinks(const ExperimentSpec& spec) {
  const int m = spec.cluster.workers;
  const int k = spec.algorithm.reducer_shards;
  std::map<std::pair<std::string, std::string>, rt::LinkModel> links;
  for (const LinkSpec& l : spec.injection.links) {
    rt::LinkModel model;
    model.latency = Ms(l.latency_ms);
    model.jitter = ToJitter(l.jitter);
    model.bandwidth_bytes_per_s = l.bandwidth_mbps * 1e6 / 8;
    for (const std::string& from : Expand(l.from, m, k)) {
      for (const std::string& to : Expand(l.to, m, k)) {
        if (IsTrainer(from) == IsTrainer(to)) continue;
        links[{from, to}] = model;
        if (l.both_directions) links[{to, from}] = model;
      }
    }
  }
  std::vector<ResolvedLink> out;
  for (auto& [pair, model] : links) {
    model.seed = spec.seed ^ std::hash<std::string>{}(pair.first + ">" + pair.second);
    out.push_back({pair.first, pair.second, model});
  }
  return out;
}

void ApplyLinks(rt::Runtime& runtime, const ExperimentSpec& spec) {
  for (const ResolvedLink& l : ResolveLinks(spec)) {
    runtime.SetLinkModel(rt::LinkSelector::ActorNamed(l.from), rt::LinkSelector::ActorNamed(l.to),
                         l.model);
  }
}

}  // namespace olsgd::actors
