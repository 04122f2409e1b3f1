// olsgd run: one experiment on an embedded cluster, into a fresh folder.
#include <chrono>
#include <exception>

#include "cli/commands.h"
#include "cli/config_error.h"
#include "cli/config_load.h"
#include "cli/run_execution.h"
#include "cli/run_folder.h"

namespace olsgd::cli {

int RunCommand(const RunArgs& args, const CommandEnv& env) {
  if (!args.resume.empty()) {
    *env.err << "error: --resume needs checkpoints, which this build does not have yet "
                "(the cluster issue adds them)\n";
    return kExitRunFailure;
  }
  LoadedConfig loaded;
  try {
    loaded = LoadConfigFile(args.config, args.overrides);
  } catch (const ConfigError& e) {
    *env.err << e.what() << "\n";
    return kExitUsage;
  }
  actors::ExperimentSpec spec = loaded.spec;
  if (spec.cluster.mode != "embedded") {
    *env.err << "error: " << loaded.sources.Where("cluster.mode")
             << ": cluster.mode is head; start it with `olsgd head --config " << args.config
             << " --listen tcp://0.0.0.0:PORT`\n";
    return kExitUsage;
  }
  if (const std::string missing = CheckDataPresent(spec); !missing.empty()) {
    *env.err << "error: " << loaded.sources.Where("data.path") << ": " << missing << "\n";
    return kExitUsage;
  }
  const std::string dir = ChooseRunFolder(args.out, spec.output.dir, env.runs_root, spec.name,
                                          std::chrono::system_clock::now());
  if (const std::string busy = CheckRunFolderFree(dir); !busy.empty()) {
    *env.err << "error: " << busy << "\n";
    return kExitUsage;
  }
  try {
    CreateRunFolder(dir);
  } catch (const std::exception& e) {
    *env.err << "error: " << e.what() << "\n";
    return kExitRunFailure;
  }
  spec.output.dir = dir;
  const RunResult result =
      ExecuteRun(spec, args.config, args.overrides, spec.name, args.verbosity, env);
  return ExitCodeFor(result);
}

}  // namespace olsgd::cli
