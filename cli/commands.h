// The `olsgd` subcommands as functions. The run function is injected, so the
// shipped binary passes actors::RunExperiment and tests pass a scripted one.
// Exit codes: 0 ok, 1 run failure, 2 usage or config error, 130 interrupted.
#ifndef OLSGD_CLI_COMMANDS_H_
#define OLSGD_CLI_COMMANDS_H_

#include <atomic>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "actors/cluster/cluster_head.h"
#include "actors/cluster/cluster_worker.h"
#include "actors/run/run_experiment.h"
#include "actors/run/run_records.h"
#include "actors/spec/experiment_spec.h"
#include "cli/progress_display.h"

namespace olsgd::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

// Runs one experiment (actors::RunExperiment's signature).
using RunFunction = std::function<actors::RunSummary(
    const actors::ExperimentSpec&, actors::RunObserver&, const actors::RunOptions&)>;

// Runs one experiment as the head of a multi-host run (actors::RunOnCluster).
using HeadFunction =
    std::function<actors::RunSummary(const actors::ExperimentSpec&, actors::RunObserver&,
                                     const actors::RunOptions&, const actors::HeadOptions&)>;
// Runs a worker process until the head releases it (actors::RunWorkerNode).
using WorkerFunction = std::function<actors::WorkerNodeResult(const actors::WorkerNodeOptions&,
                                                              const std::atomic<bool>*)>;

// What the commands need from the process around them.
struct CommandEnv {
  RunFunction run;
  HeadFunction head;                        // olsgd head
  WorkerFunction worker;                    // olsgd worker
  std::ostream* out = nullptr;              // results and progress
  std::ostream* err = nullptr;              // errors and warnings
  bool tty = false;                         // `out` is a terminal: live progress line
  const std::atomic<bool>* stop = nullptr;  // set on Ctrl-C
  std::string runs_root = "runs";           // parent of default run folders
  // Checks the checkpoint in `checkpoint_dir` for a run of `spec` before a
  // resumed run starts: "" if usable, else why not (naming the file or key).
  // The binary passes actors::LoadCheckpoint; unset = the run checks it.
  std::function<std::string(const std::string& checkpoint_dir, const actors::ExperimentSpec&)>
      check_checkpoint;
};

// olsgd run CONFIG [--set k=v]... [--out DIR] [--quiet|--verbose] [--resume DIR]
struct RunArgs {
  std::string config;
  std::vector<std::string> overrides;
  std::string out;
  std::string resume;
  Verbosity verbosity = Verbosity::kNormal;
};
int RunCommand(const RunArgs& args, const CommandEnv& env);

// olsgd validate CONFIG [--set k=v]...
struct ValidateArgs {
  std::string config;
  std::vector<std::string> overrides;
};
int ValidateCommand(const ValidateArgs& args, const CommandEnv& env);

// olsgd keys: every config key with its type, default and meaning (Markdown).
int KeysCommand(const CommandEnv& env);
// olsgd algorithms: the registered algorithms, one line each.
int AlgorithmsCommand(const CommandEnv& env);

// olsgd compare CONFIG --algorithms a,b,c [--set [ALG:]k=v]... [--out DIR]
struct CompareArgs {
  std::string config;
  std::vector<std::string> algorithms;
  std::vector<std::string> overrides;
  std::string out;
  Verbosity verbosity = Verbosity::kNormal;
};
int CompareCommand(const CompareArgs& args, const CommandEnv& env);

// olsgd head --config X.yaml --listen tcp://0.0.0.0:PORT [--set k=v]... [--out DIR]
struct HeadArgs {
  std::string config;
  std::string listen;
  std::vector<std::string> overrides;
  std::string out;
  std::string resume;
  Verbosity verbosity = Verbosity::kNormal;
};
int HeadCommand(const HeadArgs& args, const CommandEnv& env);

// olsgd worker --head tcp://HOST:PORT [--slots N] [--key-dir DIR | --insecure] [--name NAME]
// [--listen ADDR]
struct WorkerArgs {
  std::string head;
  int slots = 1;
  std::string key_dir;
  std::string name;
  std::string listen;
  bool insecure = false;
  double join_timeout_s = 60;
  double heartbeat_s = 0.5;
  double failure_timeout_s = 2.5;
};
int WorkerCommand(const WorkerArgs& args, const CommandEnv& env);

// olsgd keygen --out DIR
struct KeygenArgs {
  std::string out;
};
int KeygenCommand(const KeygenArgs& args, const CommandEnv& env);

// Parses argv with CLI11 and runs the chosen subcommand; returns the exit code.
int Main(int argc, const char* const* argv, const CommandEnv& env);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_COMMANDS_H_
