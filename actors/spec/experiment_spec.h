// The fully resolved description of one experiment: what the YAML config
// (cli/) turns into, and what the coordinator (actors/) runs. Plain data with
// defaults; validation lives in cli/config_validate.*, documentation of every
// key in config/README.md. Field names mirror the YAML keys one to one.
#ifndef OLSGD_ACTORS_SPEC_EXPERIMENT_SPEC_H_
#define OLSGD_ACTORS_SPEC_EXPERIMENT_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace olsgd::actors {

// cluster: how many workers, and where actors run.
struct ClusterSpec {
  int workers = 4;                // m, number of trainer actors
  std::string mode = "embedded";  // embedded (one process) | head (multi-host)
  int blas_threads = 1;           // OpenBLAS threads per trainer
  // Explicit placement: node name per trainer / reducer shard; empty = spread.
  std::vector<std::string> trainer_nodes;
  std::vector<std::string> reducer_nodes;
  bool insecure = false;             // plaintext tcp allowed (multi-host only)
  std::string key_dir;               // CURVE key directory (olsgd keygen)
  std::string on_failure = "abort";  // abort | continue
  double heartbeat_s = 0.5;
  double failure_timeout_s = 2.5;
  int checkpoint_every_rounds = 0;  // 0 = only on abort
  // olsgd head: how many worker processes to wait for, and for how long.
  int wait_for_workers = 1;
  double join_timeout_s = 120.0;
  // A run in which no trainer finishes a round for this long has stalled
  // (a lost message, a wedged node): it fails with a message saying so.
  double stall_timeout_s = 600.0;
};

// data: dataset, location and partitioning.
struct DataSpec {
  std::string dataset = "fashion_mnist";  // fashion_mnist | cifar10 | synthetic
  std::string path = "/usr/share/datasets/fashion-mnist";
  std::string partition = "iid";  // iid | dirichlet | label_sorted
  double dirichlet_alpha = 0.5;
  int64_t max_train_samples = 0;  // 0 = all; otherwise a seeded subset
  int64_t max_test_samples = 0;   // 0 = all
  // synthetic dataset shape (dataset == synthetic)
  int64_t synthetic_train = 2048;
  int64_t synthetic_test = 512;
  int synthetic_features = 32;
  int synthetic_classes = 4;
};

// model: architecture by name.
struct ModelSpec {
  std::string name = "mlp";                   // mlp | cnn
  std::vector<int> hidden = {256, 128};       // mlp hidden layer widths
  std::vector<int> conv_channels = {16, 32};  // cnn: two conv layers
  int fc_hidden = 128;                        // cnn: hidden fully connected width
};

// training: local optimiser and schedule.
struct TrainingSpec {
  double epochs = 1.0;             // epochs over each worker's shard; ignored if steps > 0
  int64_t steps = 0;               // local steps per worker; 0 = derive from epochs
  int batch_size = 64;             // per worker
  double lr = 0.1;                 // base learning rate before scaling
  bool lr_linear_scaling = false;  // lr *= (batch_size * workers) / lr_reference_batch
  int lr_reference_batch = 128;
  double warmup_epochs = 0.0;
  std::vector<double> milestones;  // epochs at which lr *= lr_decay
  double lr_decay = 0.1;
  double momentum = 0.9;
  bool nesterov = true;
  double weight_decay = 1e-4;
};

// algorithm: which of the five, and its parameters (docs: ALGORITHMS.md).
struct AlgorithmSpec {
  std::string name =
      "overlap_local_sgd";  // sync_sgd | local_sgd | overlap_local_sgd | easgd | cocod_sgd
  int tau = 2;
  double alpha = 0.6;
  double beta = 0.0;       // anchor momentum (local_sgd: BMUF/SlowMo; overlap: momentum variant)
  int reducer_shards = 1;  // k reducers, each owning a contiguous slice
};

// A random-delay distribution, in milliseconds.
struct DelayDist {
  std::string dist = "none";  // none | uniform | normal | exponential | pareto
  double mean_ms = 0.0;       // uniform on [0, 2*mean]; exponential and pareto: mean
  double stddev_ms = 0.0;     // normal: zero-mean, this deviation (total clamped at 0)
  double pareto_shape = 2.0;  // pareto (Lomax) tail index, > 1 for a finite mean
};

// One slow link between actors. Endpoints: "trainer:N", "reducer:N", "*".
struct LinkSpec {
  std::string from = "*";
  std::string to = "*";
  bool both_directions = true;
  double latency_ms = 0.0;
  DelayDist jitter;
  double bandwidth_mbps = 0.0;  // 0 = unlimited; megabits per second
};

// One compute straggler rule for one worker (or all, worker = -1).
struct StragglerSpec {
  int worker = -1;
  double slowdown = 1.0;  // fixed factor on each step's compute time
  // random per-step pauses
  std::string pause = "none";  // none | exponential | pareto | bernoulli
  double pause_mean_ms = 0.0;  // exponential / pareto mean
  double pause_pareto_shape = 2.0;
  double pause_probability = 0.0;  // bernoulli: with probability p ...
  double pause_ms = 0.0;           // ... a step is slowed by pause_ms
  // slowdown window: factor applies for rounds in [window_from, window_to)
  int64_t window_from_round = -1;
  int64_t window_to_round = -1;
  double window_factor = 1.0;
};

struct InjectionSpec {
  std::vector<LinkSpec> links;
  std::vector<StragglerSpec> stragglers;
};

// evaluation: when and what to evaluate.
struct EvaluationSpec {
  int every_rounds = 0;          // 0 = evaluate every epoch; otherwise every N rounds
  double target_accuracy = 0.0;  // for time-to-target; 0 = none
  int test_batch = 1000;
  bool evaluate_anchor = true;  // anchor algorithms: also evaluate the anchor
};

// output: where results go and which to write.
struct OutputSpec {
  std::string dir;  // empty = runs/<name>-<timestamp>/
  bool trace = true;
  bool plots = true;
};

struct ExperimentSpec {
  std::string name = "experiment";
  uint64_t seed = 1;
  bool deterministic = true;  // fixed reduction order; bit-identical reruns
  ClusterSpec cluster;
  DataSpec data;
  ModelSpec model;
  TrainingSpec training;
  AlgorithmSpec algorithm;
  InjectionSpec injection;
  EvaluationSpec evaluation;
  OutputSpec output;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_EXPERIMENT_SPEC_H_
