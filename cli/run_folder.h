// Where a run's outputs go, and the rule that protects earlier results: a
// folder that exists and is not empty is never written into.
#ifndef OLSGD_CLI_RUN_FOLDER_H_
#define OLSGD_CLI_RUN_FOLDER_H_

#include <chrono>
#include <string>

namespace olsgd::cli {

// --out if given, else output.dir from the config, else
// `runs_root`/<name>-<UTC timestamp> (with -2, -3, ... if that exists).
std::string ChooseRunFolder(const std::string& out_flag, const std::string& config_dir,
                            const std::string& runs_root, const std::string& name,
                            std::chrono::system_clock::time_point now);

// "" if `dir` can take a new run (absent, or an empty folder), else why not.
std::string CheckRunFolderFree(const std::string& dir);

// Creates `dir` and its parents; throws std::runtime_error naming it.
void CreateRunFolder(const std::string& dir);

// Where a run folder keeps its checkpoints: `run_dir`/checkpoints.
std::string CheckpointsFolder(const std::string& run_dir);

// The round folder `run_dir`'s `latest` checkpoint pointer names, or "" when
// the run has no checkpoint.
std::string LatestCheckpoint(const std::string& run_dir);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_RUN_FOLDER_H_
