// A scripted stand-in for actors::RunExperiment, for driving the commands in
// tests: it reports rounds and evaluations as a real run would, honours the
// stop flag, and records the spec and options it was given.
#ifndef OLSGD_TESTS_CLI_FAKE_RUN_H_
#define OLSGD_TESTS_CLI_FAKE_RUN_H_

#include <atomic>
#include <string>
#include <vector>

#include "actors/run/run_experiment.h"
#include "actors/run/run_records.h"
#include "actors/spec/experiment_spec.h"
#include "cli/commands.h"

namespace olsgd::cli::testing {

// What the fake saw and how it behaves.
struct FakeRun {
  std::vector<actors::ExperimentSpec> specs;  // one per call
  std::vector<actors::RunOptions> seen_options;
  std::string throw_message;       // non-empty: throw std::runtime_error
  int set_stop_after_rounds = -1;  // >= 0: set *stop_to_set after that many rounds
  std::atomic<bool>* stop_to_set = nullptr;

  // A RunFunction bound to this object.
  RunFunction Function();
  // The run itself: rounds = steps / tau, 2 workers' records per round, an
  // evaluation every evaluation.every_rounds rounds with accuracy rising.
  actors::RunSummary Run(const actors::ExperimentSpec& spec, actors::RunObserver& observer,
                         const actors::RunOptions& options);
};

}  // namespace olsgd::cli::testing

#endif  // OLSGD_TESTS_CLI_FAKE_RUN_H_
