// olsgd run: one experiment on an embedded cluster, into a fresh folder, or
// (--resume) the continuation of an earlier one from its latest checkpoint.
#include <exception>
#include <filesystem>

#include "cli/commands.h"
#include "cli/config_error.h"
#include "cli/config_load.h"
#include "cli/run_execution.h"
#include "cli/run_folder_setup.h"

namespace olsgd::cli {

namespace {

namespace fs = std::filesystem;

// olsgd run --resume RUN_DIR [CONFIG]: continues the run in RUN_DIR from its
// latest checkpoint, with RUN_DIR/config.yaml (the resolved config the run
// wrote) unless a config is given. Everything is checked before it starts.
int ResumeCommand(const RunArgs& args, const CommandEnv& env) {
  const std::string& dir = args.resume;
  if (!args.out.empty()) {
    *env.err << "error: --out and --resume do not go together: a resumed run continues in " << dir
             << "\n";
    return kExitUsage;
  }
  const std::string config = args.config.empty() ? dir + "/config.yaml" : args.config;
  std::error_code ec;
  if (!fs::is_regular_file(config, ec)) {
    *env.err << "error: --resume " << dir << ": " << config
             << " not found; --resume takes the folder of an earlier run\n";
    return kExitUsage;
  }
  LoadedConfig loaded;
  try {
    loaded = LoadConfigFile(config, args.overrides);
  } catch (const ConfigError& e) {
    *env.err << e.what() << "\n";
    return kExitUsage;
  }
  actors::ExperimentSpec spec = loaded.spec;
  if (spec.cluster.mode != actors::ClusterMode::kEmbedded) {
    *env.err << "error: " << loaded.sources.Where("cluster.mode")
             << ": cluster.mode is head; resume it with `olsgd head --resume " << dir << "`\n";
    return kExitUsage;
  }
  if (const std::string missing = CheckDataPresent(spec); !missing.empty()) {
    *env.err << "error: " << loaded.sources.Where("data.path") << ": " << missing << "\n";
    return kExitUsage;
  }
  std::string checkpoints;
  if (auto code = CheckResumable(dir, spec, env, &checkpoints)) return *code;
  spec.output.dir = dir;
  const RunResult result =
      ExecuteRun(spec, config, args.overrides, spec.name, args.verbosity, env, checkpoints);
  return ExitCodeFor(result);
}

}  // namespace

int RunCommand(const RunArgs& args, const CommandEnv& env) {
  if (!args.resume.empty()) return ResumeCommand(args, env);
  if (args.config.empty()) {
    *env.err << "error: run needs a config file (or --resume RUN_DIR)\n";
    return kExitUsage;
  }
  LoadedConfig loaded;
  try {
    loaded = LoadConfigFile(args.config, args.overrides);
  } catch (const ConfigError& e) {
    *env.err << e.what() << "\n";
    return kExitUsage;
  }
  actors::ExperimentSpec spec = loaded.spec;
  if (spec.cluster.mode != actors::ClusterMode::kEmbedded) {
    *env.err << "error: " << loaded.sources.Where("cluster.mode")
             << ": cluster.mode is head; start it with `olsgd head --config " << args.config
             << " --listen tcp://0.0.0.0:PORT`\n";
    return kExitUsage;
  }
  if (const std::string missing = CheckDataPresent(spec); !missing.empty()) {
    *env.err << "error: " << loaded.sources.Where("data.path") << ": " << missing << "\n";
    return kExitUsage;
  }
  std::string dir;
  if (auto code = MakeFreshRunFolder(args.out, spec, env, &dir)) return *code;
  spec.output.dir = dir;
  const RunResult result =
      ExecuteRun(spec, args.config, args.overrides, spec.name, args.verbosity, env);
  return ExitCodeFor(result);
}

}  // namespace olsgd::cli
