#include "cli/output_summary.h"

#include <cmath>

#include "actors/spec/spec_json.h"
#include "actors/spec/time_mode.h"
#include "cli/output_files.h"

namespace olsgd::cli {
namespace {

nlohmann::json Number(double v) {
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

}  // namespace

nlohmann::json SummaryJson(const actors::RunSummary& s, const actors::ExperimentSpec& spec,
                           const RunContext& context) {
  nlohmann::json workers = nlohmann::json::array();
  for (const actors::WorkerSummary& w : s.workers) {
    workers.push_back({{"worker", w.worker},
                       {"compute_s", w.compute_s},
                       {"blocked_s", w.blocked_s},
                       {"wall_s", w.wall_s},
                       {"blocked_share", w.blocked_share},
                       {"bytes_out", w.bytes_out},
                       {"bytes_in", w.bytes_in},
                       {"blas_threads", w.blas_threads}});
  }
  return {{"name", spec.name},
          {"algorithm", spec.algorithm.name},
          {"status", s.status},
          {"failure", s.failure},
          {"started_at", context.started_at},
          {"finished_at", context.finished_at},
          {"time_mode", s.time_mode.empty() ? actors::ClockName(spec) : s.time_mode},
          // The run's duration on its clock (time_mode; TIME_MODEL.md): simulated
          // seconds in virtual time, with the host's own seconds beside them.
          {"wall_s", s.wall_s},
          {"host_s", s.host_s},
          {"simulated_per_host_second", s.time_mode == "virtual" && s.host_s > 0
                                            ? nlohmann::json(s.wall_s / s.host_s)
                                            : nlohmann::json(nullptr)},
          {"iterations", s.iterations},
          {"rounds", s.rounds},
          {"final_accuracy", Number(s.final_accuracy)},
          {"best_accuracy", Number(s.best_accuracy)},
          {"final_test_loss", Number(s.final_test_loss)},
          {"target_accuracy", spec.evaluation.target_accuracy},
          {"time_to_target_s", Number(s.time_to_target_s)},
          {"blocked_share", s.blocked_share},
          {"bytes_moved", s.bytes_moved},
          {"workers", workers},
          {"lost_shards", s.lost_shards},
          {"recovery", s.recovery},
          {"config_path", context.config_path},
          {"overrides", context.overrides},
          {"config", nlohmann::json::parse(actors::SpecToJson(spec))},
          {"git_revision", context.git_revision},
          {"host", context.host}};
}

void WriteSummary(const std::string& path, const actors::RunSummary& summary,
                  const actors::ExperimentSpec& spec, const RunContext& context) {
  WriteFileAtomic(path, SummaryJson(summary, spec, context).dump(2) + "\n");
}

void CompleteSummary(const std::vector<actors::EvalRecord>& evals, double target,
                     actors::RunSummary& s) {
  double best = actors::kNoValue, reached = actors::kNoValue;
  for (const actors::EvalRecord& e : evals) {
    if (std::isnan(e.test_accuracy)) continue;
    if (std::isnan(best) || e.test_accuracy > best) best = e.test_accuracy;
    if (target > 0 && std::isnan(reached) && e.test_accuracy >= target) reached = e.wall_s;
  }
  if (std::isnan(s.best_accuracy)) s.best_accuracy = best;
  if (std::isnan(s.time_to_target_s)) s.time_to_target_s = reached;
  if (!evals.empty()) {
    if (std::isnan(s.final_accuracy)) s.final_accuracy = evals.back().test_accuracy;
    if (std::isnan(s.final_test_loss)) s.final_test_loss = evals.back().test_loss;
  }
}

}  // namespace olsgd::cli
