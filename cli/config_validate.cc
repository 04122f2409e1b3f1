#include "cli/config_validate.h"

#include <charconv>

#include "actors/algorithms/algorithm.h"
#include "actors/spec/spec_visit.h"
#include "actors/spec/time_mode.h"
#include "actors/worker/device_model.h"
#include "cli/config_error.h"
#include "cli/config_suggest.h"

namespace olsgd::cli {
namespace {

using actors::ExperimentSpec;
using actors::FieldInfo;

// Throws located errors; each check names the key's dotted path.
class Checker {
 public:
  explicit Checker(const SourceMap& sources) : sources_(sources) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw ConfigError(sources_.Where(path), message);
  }

  // The bounds a field's declaration gives (FieldInfo).
  void InBounds(const std::string& path, double v, const FieldInfo& info) const {
    const bool lo_ok = !info.has_lo || (info.lo.open ? v > info.lo.value : v >= info.lo.value);
    const bool hi_ok = !info.has_hi || (info.hi.open ? v < info.hi.value : v <= info.hi.value);
    if (lo_ok && hi_ok) return;
    if (info.has_lo && info.has_hi) {
      Fail(path, path + " must be in " + (info.lo.open ? "(" : "[") + FormatNumber(info.lo.value) +
                     ", " + FormatNumber(info.hi.value) + (info.hi.open ? ")" : "]") + ", got " +
                     FormatNumber(v));
    }
    if (info.has_lo && info.lo.open) {
      Fail(path, path + " must be greater than " + FormatNumber(info.lo.value) + ", got " +
                     FormatNumber(v));
    }
    if (info.has_lo) {
      Fail(path,
           path + " must be at least " + FormatNumber(info.lo.value) + ", got " + FormatNumber(v));
    }
    Fail(path,
         path + " must be at most " + FormatNumber(info.hi.value) + ", got " + FormatNumber(v));
  }

 private:
  const SourceMap& sources_;
};

// Applies every declared bound, to numbers and to each number of a list.
class BoundsWalker {
 public:
  explicit BoundsWalker(const Checker& c) : c_(c) {}

  template <class T>
  void Field(const char* key, const T& value, const FieldInfo& info) {
    if (!info.has_lo && !info.has_hi) return;
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      c_.InBounds(prefix_ + key, static_cast<double>(value), info);
    } else if constexpr (requires {
                           value.size();
                           value[0] + 0;
                         }) {
      for (size_t i = 0; i < value.size(); ++i) {
        c_.InBounds(prefix_ + key + "[" + std::to_string(i) + "]", static_cast<double>(value[i]),
                    info);
      }
    }
  }
  template <class S>
  void Section(const char* key, const S& section, const FieldInfo&) {
    const std::string saved = prefix_;
    prefix_ += std::string(key) + ".";
    actors::WalkFields(section, *this);
    prefix_ = saved;
  }
  template <class S>
  void List(const char* key, const std::vector<S>& items, const FieldInfo&) {
    const std::string saved = prefix_;
    for (size_t i = 0; i < items.size(); ++i) {
      prefix_ = saved + key + "[" + std::to_string(i) + "].";
      actors::WalkFields(items[i], *this);
    }
    prefix_ = saved;
  }

 private:
  const Checker& c_;
  std::string prefix_;
};

void CheckCluster(const Checker& c, const ExperimentSpec& s) {
  const auto& k = s.cluster;
  if (!k.trainer_nodes.empty() && static_cast<int>(k.trainer_nodes.size()) != k.workers) {
    c.Fail("cluster.trainer_nodes", "cluster.trainer_nodes must name one node per worker (" +
                                        std::to_string(k.workers) + "), got " +
                                        std::to_string(k.trainer_nodes.size()));
  }
  if (!k.reducer_nodes.empty() &&
      static_cast<int>(k.reducer_nodes.size()) != s.algorithm.reducer_shards) {
    c.Fail("cluster.reducer_nodes", "cluster.reducer_nodes must name one node per reducer shard (" +
                                        std::to_string(s.algorithm.reducer_shards) + "), got " +
                                        std::to_string(k.reducer_nodes.size()));
  }
  if (k.failure_timeout_s <= k.heartbeat_s) {
    c.Fail("cluster.failure_timeout_s",
           "cluster.failure_timeout_s must be greater than cluster.heartbeat_s (" +
               FormatNumber(k.heartbeat_s) + "), got " + FormatNumber(k.failure_timeout_s));
  }
  if (k.mode == actors::ClusterMode::kHead && k.key_dir.empty() && !k.insecure) {
    c.Fail("cluster.mode",
           "cluster.mode head needs cluster.key_dir (from `olsgd keygen`), or insecure: true "
           "for plaintext tcp");
  }
}

void CheckData(const Checker& c, const ExperimentSpec& s) {
  const auto& d = s.data;
  if (d.dataset == actors::DatasetKind::kCifar10 &&
      (d.path.empty() || d.path == actors::DataSpec{}.path)) {
    c.Fail("data.path",
           "data.path must name the CIFAR-10 binary-format directory when data.dataset is "
           "cifar10");
  }
  if (d.dataset == actors::DatasetKind::kFashionMnist && d.path.empty()) {
    c.Fail("data.path", "data.path must name the Fashion-MNIST directory");
  }
  if (d.dataset == actors::DatasetKind::kSynthetic && d.synthetic_train < s.cluster.workers) {
    c.Fail("data.synthetic_train", "data.synthetic_train must give every worker a sample (" +
                                       std::to_string(s.cluster.workers) + " workers), got " +
                                       std::to_string(d.synthetic_train));
  }
}

void CheckModel(const Checker& c, const ExperimentSpec& s) {
  if (s.model.conv_channels.size() != 2) {
    c.Fail("model.conv_channels", "model.conv_channels must list 2 channel counts, got " +
                                      std::to_string(s.model.conv_channels.size()));
  }
}

void CheckTraining(const Checker& c, const ExperimentSpec& s) {
  const auto& t = s.training;
  if (t.steps == 0 && !(t.epochs > 0)) {
    c.Fail("training.epochs",
           "training.epochs must be greater than 0, got " + FormatNumber(t.epochs));
  }
  for (size_t i = 1; i < t.milestones.size(); ++i) {
    if (t.milestones[i] <= t.milestones[i - 1]) {
      c.Fail("training.milestones[" + std::to_string(i) + "]",
             "training.milestones must be increasing, got " + FormatNumber(t.milestones[i]) +
                 " after " + FormatNumber(t.milestones[i - 1]));
    }
  }
  if (t.nesterov && t.momentum == 0) {
    c.Fail("training.nesterov", "training.nesterov needs training.momentum > 0");
  }
}

void CheckAlgorithm(const Checker& c, const ExperimentSpec& s) {
  const auto& a = s.algorithm;
  const actors::Algorithm* algorithm = actors::FindAlgorithm(a.name);
  if (!algorithm) {
    const std::vector<std::string> names = actors::AlgorithmNames();
    c.Fail("algorithm.name", "algorithm.name must be one of " + JoinNames(names) + ", got '" +
                                 a.name + "'" + DidYouMean(a.name, names));
  }
  if (auto error = algorithm->check(s)) c.Fail(error->path, error->message);
  if (a.reducer_shards < 1 || a.reducer_shards > s.cluster.workers) {
    c.Fail("algorithm.reducer_shards",
           "algorithm.reducer_shards must be in [1, " + std::to_string(s.cluster.workers) +
               "] (the number of workers), got " + std::to_string(a.reducer_shards));
  }
}

// "*", "trainer:*", "reducer:*", "trainer:N" (N < workers), "reducer:N".
void CheckEndpoint(const Checker& c, const std::string& path, const std::string& e,
                   const ExperimentSpec& s) {
  if (e == "*" || e == "trainer:*" || e == "reducer:*") return;
  const size_t colon = e.find(':');
  const std::string kind = e.substr(0, colon);
  if (colon == std::string::npos || (kind != "trainer" && kind != "reducer")) {
    c.Fail(path, path + " must be *, trainer:N or reducer:N, got '" + e + "'");
  }
  const std::string index_text = e.substr(colon + 1);
  int index = -1;
  auto [ptr, ec] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
  if (ec != std::errc() || ptr != index_text.data() + index_text.size() || index < 0) {
    c.Fail(path, path + " must be *, trainer:N or reducer:N, got '" + e + "'");
  }
  const int limit = kind == "trainer" ? s.cluster.workers : s.algorithm.reducer_shards;
  if (index >= limit) {
    c.Fail(path, path + " names " + e + " but there are only " + std::to_string(limit) + " " +
                     kind + "s (indices 0.." + std::to_string(limit - 1) + ")");
  }
}

void CheckInjection(const Checker& c, const ExperimentSpec& s) {
  for (size_t i = 0; i < s.injection.links.size(); ++i) {
    const auto& l = s.injection.links[i];
    const std::string p = "injection.links[" + std::to_string(i) + "]";
    CheckEndpoint(c, p + ".from", l.from, s);
    CheckEndpoint(c, p + ".to", l.to, s);
    if (l.jitter.dist == actors::DelayKind::kPareto && l.jitter.pareto_shape <= 1) {
      c.Fail(p + ".jitter.pareto_shape",
             p + ".jitter.pareto_shape must be greater than 1 (a finite mean), got " +
                 FormatNumber(l.jitter.pareto_shape));
    }
  }
  for (size_t i = 0; i < s.injection.stragglers.size(); ++i) {
    const auto& st = s.injection.stragglers[i];
    const std::string p = "injection.stragglers[" + std::to_string(i) + "]";
    if (st.worker < -1 || st.worker >= s.cluster.workers) {
      c.Fail(p + ".worker", p + ".worker must be -1 (all) or in [0, " +
                                std::to_string(s.cluster.workers - 1) + "], got " +
                                std::to_string(st.worker));
    }
    if (st.pause == actors::PauseKind::kPareto && st.pause_pareto_shape <= 1) {
      c.Fail(p + ".pause_pareto_shape",
             p + ".pause_pareto_shape must be greater than 1 (a finite mean), got " +
                 FormatNumber(st.pause_pareto_shape));
    }
    const bool has_from = st.window_from_round >= 0, has_to = st.window_to_round >= 0;
    if (has_from != has_to) {
      c.Fail(p + (has_from ? ".window_from_round" : ".window_to_round"),
             p + " must set both window_from_round and window_to_round, or neither");
    }
    if (has_from && st.window_to_round <= st.window_from_round) {
      c.Fail(p + ".window_to_round",
             p + ".window_to_round must be greater than window_from_round (" +
                 std::to_string(st.window_from_round) + "), got " +
                 std::to_string(st.window_to_round));
    }
  }
}

void CheckTime(const Checker& c, const ExperimentSpec& s) {
  const auto& t = s.time;
  const bool is_virtual = actors::UsesVirtualTime(s);
  if (t.mode == actors::TimeMode::kVirtual && s.cluster.mode != actors::ClusterMode::kEmbedded) {
    c.Fail("time.mode",
           "time.mode virtual needs an embedded cluster (olsgd run); a multi-host run "
           "(cluster.mode head) measures the wall clock");
  }
  if (!is_virtual) {
    const char* only_virtual = nullptr;
    if (t.compute != actors::ComputeCost::kMeasured) only_virtual = "time.compute";
    if (t.device_gflops > 0) only_virtual = "time.device_gflops";
    if (!t.device_speeds.empty()) only_virtual = "time.device_speeds";
    if (!t.device_trace.empty()) only_virtual = "time.device_trace";
    if (t.ingress_mbps > 0) only_virtual = "time.ingress_mbps";
    if (only_virtual) {
      c.Fail(only_virtual, std::string(only_virtual) +
                               " applies to virtual time only (time.mode "
                               "is " +
                               actors::ClockName(s) + ")");
    }
    return;
  }
  if (t.compute == actors::ComputeCost::kModel && !(t.device_gflops > 0)) {
    c.Fail("time.device_gflops",
           "time.compute model needs time.device_gflops > 0 (the device's speed, GFLOP/s)");
  }
  if (t.compute == actors::ComputeCost::kMeasured && t.device_gflops > 0) {
    c.Fail("time.device_gflops",
           "time.device_gflops applies to time.compute model; measured compute is scaled by "
           "time.device_speeds (relative to this host)");
  }
  if (!t.device_trace.empty() && !t.device_speeds.empty()) {
    c.Fail("time.device_trace", "set time.device_trace or time.device_speeds, not both");
  }
  try {
    actors::LoadDevices(t, s.cluster.workers);
  } catch (const std::invalid_argument& e) {
    c.Fail(t.device_trace.empty() ? "time.device_speeds" : "time.device_trace", e.what());
  }
}

}  // namespace

void ValidateSpec(const ExperimentSpec& s, const SourceMap& sources) {
  const Checker c(sources);
  if (s.name.empty() ||
      s.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != std::string::npos) {
    c.Fail("name",
           "name must be non-empty and use only letters, digits, '_', '.' and '-' "
           "(it names the run folder), got '" +
               s.name + "'");
  }
  BoundsWalker bounds(c);
  actors::WalkFields(s, bounds);
  CheckCluster(c, s);
  CheckData(c, s);
  CheckModel(c, s);
  CheckTraining(c, s);
  CheckAlgorithm(c, s);
  CheckInjection(c, s);
  CheckTime(c, s);
}

}  // namespace olsgd::cli
