#include "actors/spec/spec_fingerprint.h"

#include <cstdio>
#include <cstdlib>
#include <map>

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
std::string Text(int v) { return std::to_string(v); }
std::string Text(bool v) { return v ? "true" : "false"; }
std::string Text(const std::string& v) { return v; }
template <class T>
std::string Text(const std::vector<T>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Text(v[i]);
  return s + "]";
}

}  // namespace

Fingerprint ConfigFingerprint(const ExperimentSpec& s) {
  const AlgorithmSpec& a = s.algorithm;
  const TrainingSpec& t = s.training;
  const DataSpec& d = s.data;
  return {
      {"algorithm.name", Text(a.name)},
      {"algorithm.tau", Text(a.tau)},
      {"algorithm.alpha", Text(a.alpha)},
      {"algorithm.beta", Text(a.beta)},
      {"algorithm.reducer_shards", Text(a.reducer_shards)},
      {"cluster.workers", Text(s.cluster.workers)},
      {"seed", Text(static_cast<int64_t>(s.seed))},
      {"model.name", Text(s.model.name)},
      {"model.hidden", Text(s.model.hidden)},
      {"model.conv_channels", Text(s.model.conv_channels)},
      {"model.fc_hidden", Text(s.model.fc_hidden)},
      {"data.dataset", Text(d.dataset)},
      {"data.partition", Text(d.partition)},
      {"data.dirichlet_alpha", Text(d.dirichlet_alpha)},
      {"data.max_train_samples", Text(d.max_train_samples)},
      {"data.max_test_samples", Text(d.max_test_samples)},
      {"data.synthetic_train", Text(d.synthetic_train)},
      {"data.synthetic_test", Text(d.synthetic_test)},
      {"data.synthetic_features", Text(d.synthetic_features)},
      {"data.synthetic_classes", Text(d.synthetic_classes)},
      {"training.epochs", Text(t.epochs)},
      {"training.steps", Text(t.steps)},
      {"training.batch_size", Text(t.batch_size)},
      {"training.lr", Text(t.lr)},
      {"training.lr_linear_scaling", Text(t.lr_linear_scaling)},
      {"training.lr_reference_batch", Text(t.lr_reference_batch)},
      {"training.warmup_epochs", Text(t.warmup_epochs)},
      {"training.milestones", Text(t.milestones)},
      {"training.lr_decay", Text(t.lr_decay)},
      {"training.momentum", Text(t.momentum)},
      {"training.nesterov", Text(t.nesterov)},
      {"training.weight_decay", Text(t.weight_decay)},
  };
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
