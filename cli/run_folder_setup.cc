#include "cli/run_folder_setup.h"

#include <chrono>
#include <exception>

#include "cli/run_execution.h"
#include "cli/run_folder.h"

namespace olsgd::cli {

std::optional<int> MakeFreshRunFolder(const std::string& out_flag,
                                      const actors::ExperimentSpec& spec, const CommandEnv& env,
                                      std::string* dir) {
  *dir = ChooseRunFolder(out_flag, spec.output.dir, env.runs_root, spec.name,
                         std::chrono::system_clock::now());
  if (const std::string busy = CheckRunFolderFree(*dir); !busy.empty()) {
    *env.err << "error: " << busy << "\n";
    return kExitUsage;
  }
  try {
    CreateRunFolder(*dir);
  } catch (const std::exception& e) {
    *env.err << "error: " << e.what() << "\n";
    return kExitRunFailure;
  }
  return std::nullopt;
}

std::optional<int> CheckResumable(const std::string& dir, const actors::ExperimentSpec& spec,
                                  const CommandEnv& env, std::string* checkpoints) {
  *checkpoints = CheckpointsFolder(dir);
  if (env.check_checkpoint) {  // the whole check, before anything starts
    if (const std::string bad = env.check_checkpoint(*checkpoints, spec); !bad.empty()) {
      *env.err << "error: cannot resume " << dir << ": " << bad << "\n";
      return kExitUsage;
    }
  }
  return std::nullopt;
}

}  // namespace olsgd::cli
