// One experiment into one folder: config.yaml, metrics.csv, rounds.csv,
// trace.json, summary.json and the plots. Shared by `run` and `compare`.
#ifndef OLSGD_CLI_RUN_EXECUTION_H_
#define OLSGD_CLI_RUN_EXECUTION_H_

#include <string>
#include <vector>

#include "actors/run/run_records.h"
#include "actors/spec/experiment_spec.h"
#include "cli/commands.h"
#include "cli/output_plot.h"

namespace olsgd::cli {

// What one executed run left behind.
struct RunResult {
  actors::RunSummary summary;
  PlotData plot_data;
  std::string problem;  // an output that could not be written, or ""
};

// Runs `spec` (its output.dir is the folder, which must exist and be empty)
// through env.run. Never throws: a run that throws is recorded as failed.
// With cluster.checkpoint_every_rounds > 0 checkpoints go to
// <folder>/checkpoints. `resume_from` (a checkpoint folder, "" = a fresh
// start) continues a run in its own folder: the outputs are rewritten with
// the whole history.
RunResult ExecuteRun(const actors::ExperimentSpec& spec, const std::string& config_path,
                     const std::vector<std::string>& overrides, const std::string& label,
                     Verbosity verbosity, const CommandEnv& env,
                     const std::string& resume_from = "");

// The exit code for a finished run: 0 completed, 130 interrupted, 1 otherwise.
int ExitCodeFor(const RunResult& result);

// "" if the data the spec names can be found, else why not (a config error:
// the run would fail at once).
std::string CheckDataPresent(const actors::ExperimentSpec& spec);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_RUN_EXECUTION_H_
