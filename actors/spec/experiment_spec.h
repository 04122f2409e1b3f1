// The fully resolved description of one experiment: what a YAML config turns
// into and what a run executes. Every field is declared exactly once, in the
// field tables below: its type, name (= its YAML key), default, meaning and
// bounds, and whether it is part of the checkpoint fingerprint. From that one
// line come the struct member, the YAML loader and its error messages, the
// dumper, the JSON sent to remote trainers, the checkpoint fingerprint and the
// key tables of config/README.md (`olsgd keys`). Adding a field is one line in
// one table. Cross-field rules live in cli/config_validate.cc.
#ifndef OLSGD_ACTORS_SPEC_EXPERIMENT_SPEC_H_
#define OLSGD_ACTORS_SPEC_EXPERIMENT_SPEC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "actors/spec/field_info.h"
#include "actors/spec/spec_enum.h"

namespace olsgd::actors {

inline constexpr int kMaxWorkers = 4096;

// ---- The enum-valued keys. ----

enum class ClusterMode { kEmbedded, kHead };
enum class OnFailure { kAbort, kContinue };
enum class DatasetKind { kFashionMnist, kCifar10, kSynthetic };
enum class PartitionKind { kIid, kDirichlet, kLabelSorted };
enum class ModelKind { kMlp, kCnn };
enum class ConvKind { kOnednn, kGemm };
enum class DelayKind { kNone, kUniform, kNormal, kExponential, kPareto };
enum class PauseKind { kNone, kExponential, kPareto, kBernoulli };
enum class TimeMode { kAuto, kVirtual, kWall };
enum class ComputeCost { kMeasured, kModel };

template <>
struct EnumNames<ClusterMode> {
  static constexpr std::array kNames = {EnumName<ClusterMode>{ClusterMode::kEmbedded, "embedded"},
                                        EnumName<ClusterMode>{ClusterMode::kHead, "head"}};
};
template <>
struct EnumNames<OnFailure> {
  static constexpr std::array kNames = {EnumName<OnFailure>{OnFailure::kAbort, "abort"},
                                        EnumName<OnFailure>{OnFailure::kContinue, "continue"}};
};
template <>
struct EnumNames<DatasetKind> {
  static constexpr std::array kNames = {
      EnumName<DatasetKind>{DatasetKind::kFashionMnist, "fashion_mnist"},
      EnumName<DatasetKind>{DatasetKind::kCifar10, "cifar10"},
      EnumName<DatasetKind>{DatasetKind::kSynthetic, "synthetic"}};
};
template <>
struct EnumNames<PartitionKind> {
  static constexpr std::array kNames = {
      EnumName<PartitionKind>{PartitionKind::kIid, "iid"},
      EnumName<PartitionKind>{PartitionKind::kDirichlet, "dirichlet"},
      EnumName<PartitionKind>{PartitionKind::kLabelSorted, "label_sorted"}};
};
template <>
struct EnumNames<ModelKind> {
  static constexpr std::array kNames = {EnumName<ModelKind>{ModelKind::kMlp, "mlp"},
                                        EnumName<ModelKind>{ModelKind::kCnn, "cnn"}};
};
template <>
struct EnumNames<ConvKind> {
  static constexpr std::array kNames = {EnumName<ConvKind>{ConvKind::kOnednn, "onednn"},
                                        EnumName<ConvKind>{ConvKind::kGemm, "gemm"}};
};
template <>
struct EnumNames<DelayKind> {
  static constexpr std::array kNames = {EnumName<DelayKind>{DelayKind::kNone, "none"},
                                        EnumName<DelayKind>{DelayKind::kUniform, "uniform"},
                                        EnumName<DelayKind>{DelayKind::kNormal, "normal"},
                                        EnumName<DelayKind>{DelayKind::kExponential, "exponential"},
                                        EnumName<DelayKind>{DelayKind::kPareto, "pareto"}};
};
template <>
struct EnumNames<TimeMode> {
  static constexpr std::array kNames = {EnumName<TimeMode>{TimeMode::kAuto, "auto"},
                                        EnumName<TimeMode>{TimeMode::kVirtual, "virtual"},
                                        EnumName<TimeMode>{TimeMode::kWall, "wall"}};
};
template <>
struct EnumNames<ComputeCost> {
  static constexpr std::array kNames = {EnumName<ComputeCost>{ComputeCost::kMeasured, "measured"},
                                        EnumName<ComputeCost>{ComputeCost::kModel, "model"}};
};
template <>
struct EnumNames<PauseKind> {
  static constexpr std::array kNames = {EnumName<PauseKind>{PauseKind::kNone, "none"},
                                        EnumName<PauseKind>{PauseKind::kExponential, "exponential"},
                                        EnumName<PauseKind>{PauseKind::kPareto, "pareto"},
                                        EnumName<PauseKind>{PauseKind::kBernoulli, "bernoulli"}};
};

// ---- The field tables: X(type, name, default, FieldInfo). ----
// A default with a comma is written in parentheses. A field whose type is a
// section struct (or a list of one) is a nested mapping (or a list of them).

#define OLSGD_CLUSTER_FIELDS(X)                                                                    \
  X(int, workers, 4,                                                                               \
    Doc("m, the number of trainer actors (1..4096)").InRange(1, kMaxWorkers).Fingerprint())        \
  X(ClusterMode, mode, ClusterMode::kEmbedded,                                                     \
    Doc("`embedded` (all actors in this process, `olsgd run`) or `head` (multi-host; "             \
        "`olsgd head` sets it)"))                                                                  \
  X(int, blas_threads, 1, Doc("OpenBLAS threads per trainer, in every process").InRange(1, 256))   \
  X(std::vector<std::string>, trainer_nodes, {},                                                   \
    Doc("node name per trainer (exactly `workers` names); empty = spread"))                        \
  X(std::vector<std::string>, reducer_nodes, {},                                                   \
    Doc("node name per reducer shard (exactly `algorithm.reducer_shards`); empty = spread"))       \
  X(bool, insecure, false,                                                                         \
    Doc("allow plaintext tcp between hosts; `mode: head` needs this or `key_dir`"))                \
  X(std::string, key_dir, "", Doc("CURVE key folder written by `olsgd keygen`"))                   \
  X(OnFailure, on_failure, OnFailure::kAbort,                                                      \
    Doc("`abort` (checkpoint and exit non-zero) or `continue` (re-form the group without the "     \
        "lost workers, re-create lost reducer shards on the head, and give lost trainers to a "    \
        "worker that joins later; docs/CLUSTER.md)"))                                              \
  X(double, heartbeat_s, 0.5, Doc("heartbeat period between head and nodes, > 0").Positive())      \
  X(double, failure_timeout_s, 2.5,                                                                \
    Doc("a node silent this long is lost; must exceed `heartbeat_s`. With the 0.5 s heartbeat, a " \
        "killed process is detected 2.0-3.0 s after it dies"))                                     \
  X(int, checkpoint_every_rounds, 0,                                                               \
    Doc("save the run's whole state every N rounds into `<run folder>/checkpoints/` (the newest "  \
        "two are kept), for `olsgd run --resume`; 0 = no checkpoints (docs/CLI.md, "               \
        "docs/ACTORS.md)")                                                                         \
        .AtLeast(0))                                                                               \
  X(int, wait_for_workers, 1,                                                                      \
    Doc("`olsgd head`: worker processes to wait for before placing actors (1..4096)")              \
        .InRange(1, kMaxWorkers))                                                                  \
  X(double, join_timeout_s, 120.0,                                                                 \
    Doc("`olsgd head`: give up (exit 1) if too few workers joined within this many seconds, > 0")  \
        .Positive())                                                                               \
  X(double, stall_timeout_s, 600.0,                                                                \
    Doc("a run in which no trainer finishes a round for this long fails, naming each trainer's "   \
        "last round; > 0")                                                                         \
        .Positive())

#define OLSGD_DATA_FIELDS(X)                                                                     \
  X(DatasetKind, dataset, DatasetKind::kFashionMnist,                                            \
    Doc("`fashion_mnist`, `cifar10` or `synthetic`").Fingerprint())                              \
  X(std::string, path, "/usr/share/datasets/fashion-mnist",                                      \
    Doc("dataset folder (Debian's `dataset-fashion-mnist`); `cifar10` must set its own (binary " \
        "format)"))                                                                              \
  X(PartitionKind, partition, PartitionKind::kIid,                                               \
    Doc("`iid` shards, per-label `dirichlet`, or `label_sorted` shards; every sample goes to "   \
        "exactly one worker")                                                                    \
        .Fingerprint())                                                                          \
  X(double, dirichlet_alpha, 0.5,                                                                \
    Doc("concentration of the Dirichlet split, > 0 (smaller = more skewed)")                     \
        .Positive()                                                                              \
        .Fingerprint())                                                                          \
  X(int64_t, max_train_samples, 0,                                                               \
    Doc("use a seeded subset of the training set; 0 = all").AtLeast(0).Fingerprint())            \
  X(int64_t, max_test_samples, 0, Doc("the same for the test set").AtLeast(0).Fingerprint())     \
  X(int64_t, synthetic_train, 2048,                                                              \
    Doc("synthetic: training samples (at least one per worker)").AtLeast(1).Fingerprint())       \
  X(int64_t, synthetic_test, 512, Doc("synthetic: test samples").AtLeast(1).Fingerprint())       \
  X(int, synthetic_features, 32, Doc("synthetic: features per sample").AtLeast(1).Fingerprint()) \
  X(int, synthetic_classes, 4, Doc("synthetic: classes, >= 2").AtLeast(2).Fingerprint())

#define OLSGD_MODEL_FIELDS(X)                                                                \
  X(ModelKind, name, ModelKind::kMlp, Doc("`mlp` or `cnn`").Fingerprint())                   \
  X(std::vector<int>, hidden, (std::vector<int>{256, 128}),                                  \
    Doc("mlp: hidden layer widths").AtLeast(1).Fingerprint())                                \
  X(std::vector<int>, conv_channels, (std::vector<int>{16, 32}),                             \
    Doc("cnn: output channels of its two conv layers (exactly 2)").AtLeast(1).Fingerprint()) \
  X(int, fc_hidden, 128,                                                                     \
    Doc("cnn: width of the hidden fully connected layer").AtLeast(1).Fingerprint())          \
  X(ConvKind, conv, ConvKind::kOnednn,                                                       \
    Doc("cnn: how convolutions are computed, oneDNN's kernels or im2col + OpenBLAS (docs/"   \
        "TRAINER.md); the two differ in the last bits")                                      \
        .Fingerprint())

#define OLSGD_TRAINING_FIELDS(X)                                                             \
  X(double, epochs, 1.0,                                                                     \
    Doc("epochs over each worker's shard; > 0; ignored when `steps` > 0").Fingerprint())     \
  X(int64_t, steps, 0,                                                                       \
    Doc("local steps per worker; 0 = derive from `epochs`").AtLeast(0).Fingerprint())        \
  X(int, batch_size, 64, Doc("per worker").InRange(1, 1 << 20).Fingerprint())                \
  X(double, lr, 0.1, Doc("base learning rate, > 0").Positive().Fingerprint())                \
  X(bool, lr_linear_scaling, false,                                                          \
    Doc("`lr *= batch_size * workers / lr_reference_batch`").Fingerprint())                  \
  X(int, lr_reference_batch, 128,                                                            \
    Doc("the reference batch of linear scaling").AtLeast(1).Fingerprint())                   \
  X(double, warmup_epochs, 0.0, Doc("linear warm-up length, >= 0").AtLeast(0).Fingerprint()) \
  X(std::vector<double>, milestones, {},                                                     \
    Doc("epochs at which `lr *= lr_decay`; increasing, > 0").Positive().Fingerprint())       \
  X(double, lr_decay, 0.1, Doc("in (0, 1]").InRange(0, 1, true, false).Fingerprint())        \
  X(double, momentum, 0.9,                                                                   \
    Doc("local momentum, in [0, 1); never averaged by the algorithms")                       \
        .InRange(0, 1, false, true)                                                          \
        .Fingerprint())                                                                      \
  X(bool, nesterov, true, Doc("Nesterov momentum; needs `momentum` > 0").Fingerprint())      \
  X(double, weight_decay, 1e-4, Doc(">= 0").AtLeast(0).Fingerprint())

#define OLSGD_ALGORITHM_FIELDS(X)                                                           \
  X(std::string, name, "overlap_local_sgd",                                                 \
    Doc("the algorithm, one of those `olsgd algorithms` lists (docs/ALGORITHMS.md)")        \
        .Fingerprint())                                                                     \
  X(int, tau, 2,                                                                            \
    Doc("local steps per round, >= 1 (`sync_sgd` averages every step and ignores it)")      \
        .AtLeast(1)                                                                         \
        .Fingerprint())                                                                     \
  X(double, alpha, 0.6,                                                                     \
    Doc("pull-back towards the anchor, in [0, 1); `easgd`: in (0, 1) and below 1/workers; " \
        "unused by `sync_sgd`, `local_sgd`, `cocod_sgd`")                                   \
        .Fingerprint())                                                                     \
  X(double, beta, 0.0,                                                                      \
    Doc("anchor momentum in [0, 1): `local_sgd` BMUF/SlowMo, `overlap_local_sgd` momentum " \
        "variant; unused by the others")                                                    \
        .InRange(0, 1, false, true)                                                         \
        .Fingerprint())                                                                     \
  X(int, reducer_shards, 1,                                                                 \
    Doc("k reducer actors, each averaging a contiguous slice; 1..workers").Fingerprint())

#define OLSGD_DELAY_FIELDS(X)                                                  \
  X(DelayKind, dist, DelayKind::kNone,                                         \
    Doc("`none`, `uniform` ([0, 2*mean]), `normal`, `exponential`, `pareto`")) \
  X(double, mean_ms, 0.0, Doc("mean of the jitter, >= 0").AtLeast(0))          \
  X(double, stddev_ms, 0.0, Doc("normal: standard deviation").AtLeast(0))      \
  X(double, pareto_shape, 2.0, Doc("pareto: shape (> 1; the scale gives the mean)"))

#define OLSGD_LINK_FIELDS(X)                                                            \
  X(std::string, from, "*",                                                             \
    Doc("`*`, `trainer:*`, `reducer:*`, `trainer:N` (N < workers) or `reducer:N` (N < " \
        "reducer_shards)"))                                                             \
  X(std::string, to, "*", Doc("the same"))                                              \
  X(bool, both_directions, true, Doc("also apply to `to` -> `from`"))                   \
  X(double, latency_ms, 0.0, Doc("fixed latency per message, >= 0").AtLeast(0))         \
  X(DelayDist, jitter, {}, Doc("random extra latency per message"))                     \
  X(double, bandwidth_mbps, 0.0, Doc("megabits per second; 0 = unlimited").AtLeast(0))

#define OLSGD_STRAGGLER_FIELDS(X)                                                              \
  X(int, worker, -1, Doc("the worker, in [0, workers), or -1 for all"))                        \
  X(double, slowdown, 1.0, Doc("fixed factor on every step's compute time, >= 1").AtLeast(1))  \
  X(PauseKind, pause, PauseKind::kNone,                                                        \
    Doc("random per-step pauses: `none`, `exponential`, `pareto`, `bernoulli`"))               \
  X(double, pause_mean_ms, 0.0, Doc("exponential / pareto: mean pause").AtLeast(0))            \
  X(double, pause_pareto_shape, 2.0, Doc("pareto: shape, > 1"))                                \
  X(double, pause_probability, 0.0,                                                            \
    Doc("bernoulli: with this probability, in [0, 1], ...").InRange(0, 1))                     \
  X(double, pause_ms, 0.0, Doc("... a step is slowed by this many ms").AtLeast(0))             \
  X(int64_t, window_from_round, -1, Doc("slowdown window: first round (set both or neither)")) \
  X(int64_t, window_to_round, -1, Doc("slowdown window: end round, exclusive, > from"))        \
  X(double, window_factor, 1.0, Doc("factor during the window, >= 1").AtLeast(1))

#define OLSGD_INJECTION_FIELDS(X)                                               \
  X(std::vector<LinkSpec>, links, {}, Doc("slow links; each item is one rule")) \
  X(std::vector<StragglerSpec>, stragglers, {},                                 \
    Doc("compute stragglers; each item slows one worker (or all, `worker: -1`)"))

#define OLSGD_TIME_FIELDS(X)                                                                       \
  X(TimeMode, mode, TimeMode::kAuto,                                                               \
    Doc("`virtual`: a simulated clock, every timing figure models the cluster (links, devices, "   \
        "stragglers), not this host; `wall`: the host's clock; `auto`: virtual for an embedded "   \
        "run, wall for `olsgd head` (docs/TIME.md)"))                                              \
  X(ComputeCost, compute, ComputeCost::kMeasured,                                                  \
    Doc("virtual time: a local step costs its `measured` CPU time on this host, or (`model`) its " \
        "floating-point operations at the device's speed: deterministic timings"))                 \
  X(double, device_gflops, 0.0,                                                                    \
    Doc("compute: model: every device's speed, GFLOP/s (required, > 0); measured compute is "      \
        "scaled by `device_speeds` instead")                                                       \
        .AtLeast(0))                                                                               \
  X(std::vector<double>, device_speeds, {},                                                        \
    Doc("virtual time: each worker's speed factor (1 = device_gflops, or this host when "          \
        "measured); one per worker, or empty for all 1")                                           \
        .Positive())                                                                               \
  X(std::string, device_trace, "",                                                                 \
    Doc("virtual time: CSV, one row per worker: `worker,speed,available` where `available` lists " \
        "`from-to` intervals in seconds (empty = always); replaces device_speeds"))                \
  X(double, ingress_mbps, 0.0,                                                                     \
    Doc("virtual time: each reducer shard's ingress in Mbit/s, shared by every link into it "      \
        "(incast); 0 = unlimited")                                                                 \
        .AtLeast(0))

#define OLSGD_EVALUATION_FIELDS(X)                                                       \
  X(int, every_rounds, 0, Doc("evaluate every N rounds; 0 = once per epoch").AtLeast(0)) \
  X(double, target_accuracy, 0.0,                                                        \
    Doc("for time-to-target, a fraction in [0, 1]; 0 = none").InRange(0, 1))             \
  X(int, test_batch, 1000, Doc("evaluation batch size").AtLeast(1))                      \
  X(bool, evaluate_anchor, true, Doc("anchor algorithms: also evaluate the anchor"))

#define OLSGD_OUTPUT_FIELDS(X)                                                            \
  X(std::string, dir, "",                                                                 \
    Doc("output folder; empty = `runs/<name>-<timestamp>/`; `--out` wins over it"))       \
  X(bool, trace, true, Doc("write `trace.json` (Chrome trace events; open in Perfetto)")) \
  X(bool, plots, true, Doc("draw `accuracy.png` and `loss.png` with gnuplot"))

#define OLSGD_EXPERIMENT_FIELDS(X)                                                               \
  X(std::string, name, "experiment",                                                             \
    Doc("names the run folder `runs/<name>-<timestamp>/`; letters, digits, `_ . -`"))            \
  X(uint64_t, seed, 1,                                                                           \
    Doc("seeds initialisation, shuffling, partitioning and every injected delay").Fingerprint()) \
  X(ClusterSpec, cluster, {}, Doc("workers and placement"))                                      \
  X(DataSpec, data, {}, Doc("the dataset and its partition"))                                    \
  X(ModelSpec, model, {}, Doc("the architecture"))                                               \
  X(TrainingSpec, training, {}, Doc("the local optimiser and schedule"))                         \
  X(AlgorithmSpec, algorithm, {}, Doc("the algorithm (docs/ALGORITHMS.md)"))                     \
  X(InjectionSpec, injection, {}, Doc("slow links and stragglers (deterministic from `seed`)"))  \
  X(TimeSpec, time, {}, Doc("the clock: virtual (simulated) or wall (docs/TIME.md)"))            \
  X(EvaluationSpec, evaluation, {}, Doc("when and what to evaluate"))                            \
  X(OutputSpec, output, {}, Doc("where results go"))

// ---- The structs, generated from the tables. ----

#define OLSGD_SPEC_MEMBER(type, name, default_value, info) type name = default_value;
#define OLSGD_SPEC_VISIT(type, name, default_value, info) visit(#name, s.name, info);
// A section struct: its members and a `VisitFields(s, visit)` that calls
// visit(key, member, FieldInfo) for each, in table order.
#define OLSGD_SPEC_SECTION(Struct, FIELDS)                \
  struct Struct {                                         \
    FIELDS(OLSGD_SPEC_MEMBER)                             \
    bool operator==(const Struct&) const = default;       \
  };                                                      \
  template <class S, class Visit>                         \
  requires std::is_same_v<std::remove_const_t<S>, Struct> \
  void VisitFields(S& s, Visit&& visit) { FIELDS(OLSGD_SPEC_VISIT) }

OLSGD_SPEC_SECTION(ClusterSpec, OLSGD_CLUSTER_FIELDS)
OLSGD_SPEC_SECTION(DataSpec, OLSGD_DATA_FIELDS)
OLSGD_SPEC_SECTION(ModelSpec, OLSGD_MODEL_FIELDS)
OLSGD_SPEC_SECTION(TrainingSpec, OLSGD_TRAINING_FIELDS)
OLSGD_SPEC_SECTION(AlgorithmSpec, OLSGD_ALGORITHM_FIELDS)
OLSGD_SPEC_SECTION(DelayDist, OLSGD_DELAY_FIELDS)
OLSGD_SPEC_SECTION(LinkSpec, OLSGD_LINK_FIELDS)
OLSGD_SPEC_SECTION(StragglerSpec, OLSGD_STRAGGLER_FIELDS)
OLSGD_SPEC_SECTION(InjectionSpec, OLSGD_INJECTION_FIELDS)
OLSGD_SPEC_SECTION(TimeSpec, OLSGD_TIME_FIELDS)
OLSGD_SPEC_SECTION(EvaluationSpec, OLSGD_EVALUATION_FIELDS)
OLSGD_SPEC_SECTION(OutputSpec, OLSGD_OUTPUT_FIELDS)
OLSGD_SPEC_SECTION(ExperimentSpec, OLSGD_EXPERIMENT_FIELDS)

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_EXPERIMENT_SPEC_H_
