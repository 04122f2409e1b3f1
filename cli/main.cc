// The olsgd executable: the commands, with the real RunExperiment.
#include <unistd.h>

#include <atomic>
#include <iostream>

#include "actors/checkpoint/checkpoint_format.h"
#include "actors/cluster/cluster_head.h"
#include "actors/cluster/cluster_worker.h"
#include "actors/run/run_experiment.h"
#include "cli/commands.h"
#include "cli/signals.h"

int main(int argc, char** argv) {
  static std::atomic<bool> stop{false};
  olsgd::cli::StartSignalWatcher(&stop);
  olsgd::cli::CommandEnv env;
  env.run = &olsgd::actors::RunExperiment;
  env.head = [](const olsgd::actors::ExperimentSpec& spec, olsgd::actors::RunObserver& observer,
                const olsgd::actors::RunOptions& options, const olsgd::actors::HeadOptions& head) {
    return olsgd::actors::RunOnCluster(spec, observer, options, head).summary;
  };
  env.worker = &olsgd::actors::RunWorkerNode;
  env.out = &std::cout;
  env.err = &std::cerr;
  env.tty = isatty(STDOUT_FILENO) != 0;
  env.stop = &stop;
  env.check_checkpoint = [](const std::string& dir, const olsgd::actors::ExperimentSpec& spec) {
    try {
      olsgd::actors::LoadCheckpoint(dir, spec);
      return std::string();
    } catch (const olsgd::actors::CheckpointError& e) {
      return std::string(e.what());
    }
  };
  return olsgd::cli::Main(argc, argv, env);
}
