// summary.json: the outcome of one run, its resolved config, and where and
// with what build it ran.
#ifndef OLSGD_CLI_OUTPUT_SUMMARY_H_
#define OLSGD_CLI_OUTPUT_SUMMARY_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "actors/run/run_records.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::cli {

// Facts about the run that RunSummary does not carry.
struct RunContext {
  std::string config_path;             // the YAML file, as given
  std::vector<std::string> overrides;  // the --set texts, in order
  std::string started_at;              // ISO time, UTC
  std::string finished_at;             // ISO time, UTC; empty while running
  std::string git_revision;
  std::string host;
};

// The whole summary.json document. NaN values become null.
nlohmann::json SummaryJson(const actors::RunSummary& summary, const actors::ExperimentSpec& spec,
                           const RunContext& context);

// Writes SummaryJson(...) to `path` atomically.
void WriteSummary(const std::string& path, const actors::RunSummary& summary,
                  const actors::ExperimentSpec& spec, const RunContext& context);

// Fills what the run left unset (NaN) from the evaluations seen: final and
// best accuracy, final test loss, time to `target` (when target > 0).
void CompleteSummary(const std::vector<actors::EvalRecord>& evals, double target,
                     actors::RunSummary& summary);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_OUTPUT_SUMMARY_H_
