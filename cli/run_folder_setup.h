// The run-folder steps `olsgd run` and `olsgd head` share: a fresh folder for
// a new run, or the checked checkpoint of a run to continue. Each prints its
// error to env.err and returns the exit code, or nullopt on success.
#ifndef OLSGD_CLI_RUN_FOLDER_SETUP_H_
#define OLSGD_CLI_RUN_FOLDER_SETUP_H_

#include <optional>
#include <string>

#include "actors/spec/experiment_spec.h"
#include "cli/commands.h"

namespace olsgd::cli {

// Chooses (--out, output.dir or runs/<name>-<time>), checks and creates the
// folder of a new run into `*dir`.
std::optional<int> MakeFreshRunFolder(const std::string& out_flag,
                                      const actors::ExperimentSpec& spec, const CommandEnv& env,
                                      std::string* dir);

// Checks the latest checkpoint of run folder `dir` against `spec` in full;
// its folder goes to `*checkpoints`.
std::optional<int> CheckResumable(const std::string& dir, const actors::ExperimentSpec& spec,
                                  const CommandEnv& env, std::string* checkpoints);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_RUN_FOLDER_SETUP_H_
