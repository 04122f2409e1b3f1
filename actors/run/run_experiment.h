// The one entry point the CLI needs: run an experiment to completion (or until
// `stop` becomes true) on an embedded cluster in this process.
#ifndef OLSGD_ACTORS_RUN_RUN_EXPERIMENT_H_
#define OLSGD_ACTORS_RUN_RUN_EXPERIMENT_H_

#include <atomic>
#include <string>

#include "actors/run/run_collector.h"
#include "actors/run/run_records.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

struct RunOptions {
  std::string trace_path;                   // Chrome trace-event JSON; empty = no trace
  const std::atomic<bool>* stop = nullptr;  // set by the CLI's SIGINT handler
  // Trainers also report the vectors of every boundary (x before and after,
  // what they received, what they sent), for tests of the algorithms' math.
  bool record_vectors = false;
  // Checkpoints (issue 6): the folder they are written to ("" = none), and a
  // checkpoint folder to continue from ("" = a fresh start).
  std::string checkpoint_dir;
  std::string resume_from;
};

// Throws std::runtime_error (with a message naming the file or key) for
// set-up errors such as a missing dataset; training failures are reported in
// RunSummary::status.
RunSummary RunExperiment(const ExperimentSpec& spec, RunObserver& observer,
                         const RunOptions& options);

// RunExperiment, returning also every evaluation, the workers' final models
// and any recorded vectors.
RunOutcome RunAndCollect(const ExperimentSpec& spec, RunObserver& observer,
                         const RunOptions& options);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_RUN_EXPERIMENT_H_
