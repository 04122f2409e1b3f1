#include "cli/config_validate.h"

#include <algorithm>
#include <charconv>

#include "cli/config_error.h"
#include "cli/config_suggest.h"

namespace olsgd::cli {
namespace {

using actors::ExperimentSpec;

const std::vector<std::string> kModes = {"embedded", "head"};
const std::vector<std::string> kFailurePolicies = {"abort", "continue"};
const std::vector<std::string> kDatasets = {"fashion_mnist", "cifar10", "synthetic"};
const std::vector<std::string> kPartitions = {"iid", "dirichlet", "label_sorted"};
const std::vector<std::string> kModels = {"mlp", "cnn"};
const std::vector<std::string> kDelayDists = {"none", "uniform", "normal", "exponential", "pareto"};
const std::vector<std::string> kPauses = {"none", "exponential", "pareto", "bernoulli"};

// Throws located errors; each check names the key's dotted path.
class Checker {
 public:
  explicit Checker(const SourceMap& sources) : sources_(sources) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw ConfigError(sources_.Where(path), message);
  }

  void OneOf(const std::string& path, const std::string& value,
             const std::vector<std::string>& allowed) const {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    Fail(path, path + " must be one of " + JoinNames(allowed) + ", got '" + value + "'" +
                   DidYouMean(value, allowed));
  }

  // lo/hi bounds; `open_lo`/`open_hi` exclude the bound itself.
  void InRange(const std::string& path, double v, double lo, double hi, bool open_lo,
               bool open_hi) const {
    const bool ok = (open_lo ? v > lo : v >= lo) && (open_hi ? v < hi : v <= hi);
    if (ok) return;
    Fail(path, path + " must be in " + std::string(open_lo ? "(" : "[") + FormatNumber(lo) + ", " +
                   FormatNumber(hi) + (open_hi ? ")" : "]") + ", got " + FormatNumber(v));
  }

  void AtLeast(const std::string& path, double v, double lo) const {
    if (v < lo)
      Fail(path, path + " must be at least " + FormatNumber(lo) + ", got " + FormatNumber(v));
  }

  void Positive(const std::string& path, double v) const {
    if (!(v > 0)) Fail(path, path + " must be greater than 0, got " + FormatNumber(v));
  }

 private:
  const SourceMap& sources_;
};

void CheckCluster(const Checker& c, const ExperimentSpec& s) {
  const auto& k = s.cluster;
  c.InRange("cluster.workers", k.workers, 1, 4096, false, false);
  c.OneOf("cluster.mode", k.mode, kModes);
  c.InRange("cluster.blas_threads", k.blas_threads, 1, 256, false, false);
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
  c.OneOf("cluster.on_failure", k.on_failure, kFailurePolicies);
  c.Positive("cluster.heartbeat_s", k.heartbeat_s);
  if (k.failure_timeout_s <= k.heartbeat_s) {
    c.Fail("cluster.failure_timeout_s",
           "cluster.failure_timeout_s must be greater than "
           "cluster.heartbeat_s (" +
               FormatNumber(k.heartbeat_s) + "), got " + FormatNumber(k.failure_timeout_s));
  }
  c.AtLeast("cluster.checkpoint_every_rounds", k.checkpoint_every_rounds, 0);
  c.InRange("cluster.wait_for_workers", k.wait_for_workers, 1, 4096, false, false);
  c.Positive("cluster.join_timeout_s", k.join_timeout_s);
  c.Positive("cluster.stall_timeout_s", k.stall_timeout_s);
  if (k.mode == "head" && k.key_dir.empty() && !k.insecure) {
    c.Fail("cluster.mode",
           "cluster.mode head needs cluster.key_dir (from `olsgd keygen`), or insecure: true "
           "for plaintext tcp");
  }
}

void CheckData(const Checker& c, const ExperimentSpec& s) {
  const auto& d = s.data;
  c.OneOf("data.dataset", d.dataset, kDatasets);
  if (d.dataset == "cifar10" && (d.path.empty() || d.path == actors::DataSpec{}.path)) {
    c.Fail("data.path",
           "data.path must name the CIFAR-10 binary-format directory when data.dataset is "
           "cifar10");
  }
  if (d.dataset == "fashion_mnist" && d.path.empty()) {
    c.Fail("data.path", "data.path must name the Fashion-MNIST directory");
  }
  c.OneOf("data.partition", d.partition, kPartitions);
  c.Positive("data.dirichlet_alpha", d.dirichlet_alpha);
  c.AtLeast("data.max_train_samples", static_cast<double>(d.max_train_samples), 0);
  c.AtLeast("data.max_test_samples", static_cast<double>(d.max_test_samples), 0);
  c.AtLeast("data.synthetic_train", static_cast<double>(d.synthetic_train), 1);
  c.AtLeast("data.synthetic_test", static_cast<double>(d.synthetic_test), 1);
  c.AtLeast("data.synthetic_features", d.synthetic_features, 1);
  c.AtLeast("data.synthetic_classes", d.synthetic_classes, 2);
  if (d.dataset == "synthetic" && d.synthetic_train < s.cluster.workers) {
    c.Fail("data.synthetic_train", "data.synthetic_train must give every worker a sample (" +
                                       std::to_string(s.cluster.workers) + " workers), got " +
                                       std::to_string(d.synthetic_train));
  }
}

void CheckModel(const Checker& c, const ExperimentSpec& s) {
  const auto& m = s.model;
  c.OneOf("model.name", m.name, kModels);
  for (size_t i = 0; i < m.hidden.size(); ++i) {
    c.AtLeast("model.hidden[" + std::to_string(i) + "]", m.hidden[i], 1);
  }
  if (m.conv_channels.size() != 2) {
    c.Fail("model.conv_channels", "model.conv_channels must list 2 channel counts, got " +
                                      std::to_string(m.conv_channels.size()));
  }
  for (size_t i = 0; i < m.conv_channels.size(); ++i) {
    c.AtLeast("model.conv_channels[" + std::to_string(i) + "]", m.conv_channels[i], 1);
  }
  c.AtLeast("model.fc_hidden", m.fc_hidden, 1);
}

void CheckTraining(const Checker& c, const ExperimentSpec& s) {
  const auto& t = s.training;
  c.AtLeast("training.steps", static_cast<double>(t.steps), 0);
  if (t.steps == 0) c.Positive("training.epochs", t.epochs);
  c.InRange("training.batch_size", t.batch_size, 1, 1 << 20, false, false);
  c.Positive("training.lr", t.lr);
  c.AtLeast("training.lr_reference_batch", t.lr_reference_batch, 1);
  c.AtLeast("training.warmup_epochs", t.warmup_epochs, 0);
  for (size_t i = 0; i < t.milestones.size(); ++i) {
    const std::string path = "training.milestones[" + std::to_string(i) + "]";
    c.Positive(path, t.milestones[i]);
    if (i > 0 && t.milestones[i] <= t.milestones[i - 1]) {
      c.Fail(path, "training.milestones must be increasing, got " + FormatNumber(t.milestones[i]) +
                       " after " + FormatNumber(t.milestones[i - 1]));
    }
  }
  c.InRange("training.lr_decay", t.lr_decay, 0, 1, true, false);
  c.InRange("training.momentum", t.momentum, 0, 1, false, true);
  if (t.nesterov && t.momentum == 0) {
    c.Fail("training.nesterov", "training.nesterov needs training.momentum > 0");
  }
  c.AtLeast("training.weight_decay", t.weight_decay, 0);
}

void CheckAlgorithm(const Checker& c, const ExperimentSpec& s) {
  const auto& a = s.algorithm;
  c.OneOf("algorithm.name", a.name, AlgorithmNames());
  c.AtLeast("algorithm.tau", a.tau, 1);
  if (a.name == "easgd") {
    c.InRange("algorithm.alpha", a.alpha, 0, 1, true, true);
    if (a.alpha * s.cluster.workers >= 1) {
      c.Fail("algorithm.alpha",
             "algorithm.alpha must be below 1/m = " + FormatNumber(1.0 / s.cluster.workers) +
                 " for easgd with " + std::to_string(s.cluster.workers) + " workers, got " +
                 FormatNumber(a.alpha));
    }
  } else {
    c.InRange("algorithm.alpha", a.alpha, 0, 1, false, true);
  }
  c.InRange("algorithm.beta", a.beta, 0, 1, false, true);
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
    c.AtLeast(p + ".latency_ms", l.latency_ms, 0);
    c.OneOf(p + ".jitter.dist", l.jitter.dist, kDelayDists);
    c.AtLeast(p + ".jitter.mean_ms", l.jitter.mean_ms, 0);
    c.AtLeast(p + ".jitter.stddev_ms", l.jitter.stddev_ms, 0);
    if (l.jitter.dist == "pareto" && l.jitter.pareto_shape <= 1) {
      c.Fail(p + ".jitter.pareto_shape", p +
                                             ".jitter.pareto_shape must be greater than 1 "
                                             "(a finite mean), got " +
                                             FormatNumber(l.jitter.pareto_shape));
    }
    c.AtLeast(p + ".bandwidth_mbps", l.bandwidth_mbps, 0);
  }
  for (size_t i = 0; i < s.injection.stragglers.size(); ++i) {
    const auto& st = s.injection.stragglers[i];
    const std::string p = "injection.stragglers[" + std::to_string(i) + "]";
    if (st.worker < -1 || st.worker >= s.cluster.workers) {
      c.Fail(p + ".worker", p + ".worker must be -1 (all) or in [0, " +
                                std::to_string(s.cluster.workers - 1) + "], got " +
                                std::to_string(st.worker));
    }
    c.AtLeast(p + ".slowdown", st.slowdown, 1);
    c.OneOf(p + ".pause", st.pause, kPauses);
    c.AtLeast(p + ".pause_mean_ms", st.pause_mean_ms, 0);
    if (st.pause == "pareto" && st.pause_pareto_shape <= 1) {
      c.Fail(p + ".pause_pareto_shape", p +
                                            ".pause_pareto_shape must be greater than 1 "
                                            "(a finite mean), got " +
                                            FormatNumber(st.pause_pareto_shape));
    }
    c.InRange(p + ".pause_probability", st.pause_probability, 0, 1, false, false);
    c.AtLeast(p + ".pause_ms", st.pause_ms, 0);
    const bool has_from = st.window_from_round >= 0, has_to = st.window_to_round >= 0;
    if (has_from != has_to) {
      c.Fail(p + (has_from ? ".window_from_round" : ".window_to_round"),
             p + " must set both window_from_round and window_to_round, or neither");
    }
    if (has_from && st.window_to_round <= st.window_from_round) {
      c.Fail(p + ".window_to_round", p +
                                         ".window_to_round must be greater than "
                                         "window_from_round (" +
                                         std::to_string(st.window_from_round) + "), got " +
                                         std::to_string(st.window_to_round));
    }
    c.AtLeast(p + ".window_factor", st.window_factor, 1);
  }
}

void CheckRest(const Checker& c, const ExperimentSpec& s) {
  c.AtLeast("evaluation.every_rounds", s.evaluation.every_rounds, 0);
  c.InRange("evaluation.target_accuracy", s.evaluation.target_accuracy, 0, 1, false, false);
  c.AtLeast("evaluation.test_batch", s.evaluation.test_batch, 1);
}

}  // namespace

const std::vector<std::string>& AlgorithmNames() {
  static const std::vector<std::string> names = {"sync_sgd", "local_sgd", "overlap_local_sgd",
                                                 "easgd", "cocod_sgd"};
  return names;
}

std::string FormatNumber(double value) {
  char buf[400];
  // Plain decimals in the usual range (0.0001, not 1e-04), exponents outside.
  const double magnitude = value < 0 ? -value : value;
  const bool fixed = magnitude == 0 || (magnitude >= 1e-5 && magnitude < 1e15);
  auto [ptr, ec] = fixed ? std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof(buf), value);
  return ec == std::errc() ? std::string(buf, ptr) : std::to_string(value);
}

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
  CheckCluster(c, s);
  CheckData(c, s);
  CheckModel(c, s);
  CheckTraining(c, s);
  CheckAlgorithm(c, s);
  CheckInjection(c, s);
  CheckRest(c, s);
}

}  // namespace olsgd::cli
