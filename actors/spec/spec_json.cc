#include "actors/spec/spec_json.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace olsgd::actors {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ClusterSpec, workers, mode, blas_threads,
                                                trainer_nodes, reducer_nodes, insecure, key_dir,
                                                on_failure, heartbeat_s, failure_timeout_s,
                                                checkpoint_every_rounds, wait_for_workers, join_timeout_s,
                                                stall_timeout_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DataSpec, dataset, path, partition,
                                                dirichlet_alpha, max_train_samples,
                                                max_test_samples, synthetic_train, synthetic_test,
                                                synthetic_features, synthetic_classes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ModelSpec, name, hidden, conv_channels, fc_hidden)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TrainingSpec, epochs, steps, batch_size, lr,
                                                lr_linear_scaling, lr_reference_batch,
                                                warmup_epochs, milestones, lr_decay, momentum,
                                                nesterov, weight_decay)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AlgorithmSpec, name, tau, alpha, beta,
                                                reducer_shards)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DelayDist, dist, mean_ms, stddev_ms, pareto_shape)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LinkSpec, from, to, both_directions, latency_ms,
                                                jitter, bandwidth_mbps)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(StragglerSpec, worker, slowdown, pause,
                                                pause_mean_ms, pause_pareto_shape,
                                                pause_probability, pause_ms, window_from_round,
                                                window_to_round, window_factor)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(InjectionSpec, links, stragglers)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EvaluationSpec, every_rounds, target_accuracy,
                                                test_batch, evaluate_anchor)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OutputSpec, dir, trace, plots)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ExperimentSpec, name, seed, deterministic, cluster,
                                                data, model, training, algorithm, injection,
                                                evaluation, output)

std::string SpecToJson(const ExperimentSpec& spec) { return nlohmann::json(spec).dump(); }

ExperimentSpec SpecFromJson(const std::string& json) {
  try {
    return nlohmann::json::parse(json).get<ExperimentSpec>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("invalid experiment spec JSON: ") + e.what());
  }
}

}  // namespace olsgd::actors
