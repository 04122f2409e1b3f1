// olsgd head / olsgd worker: a multi-host run. The head runs the experiment
// (like `olsgd run`, same outputs) on the nodes that join it; see
// actors/cluster_head.h and actors/cluster_worker.h.
#include <exception>

#include "cli/commands.h"
#include "cli/config_error.h"
#include "cli/config_load.h"
#include "cli/run_execution.h"
#include "cli/run_folder_setup.h"

namespace olsgd::cli {
namespace {

bool IsTcp(const std::string& address) { return address.rfind("tcp://", 0) == 0; }

}  // namespace

int HeadCommand(const HeadArgs& args, const CommandEnv& env) {
  if (!IsTcp(args.listen)) {
    *env.err << "error: --listen must be a tcp:// address, got " << args.listen << "\n";
    return kExitUsage;
  }
  // --resume RUN_DIR continues that run folder from its latest checkpoint,
  // with the config the run wrote there unless --config names one.
  const bool resume = !args.resume.empty();
  if (resume && !args.out.empty()) {
    *env.err << "error: --out and --resume do not go together: a resumed run continues in "
             << args.resume << "\n";
    return kExitUsage;
  }
  if (!resume && args.config.empty()) {
    *env.err << "error: head needs --config (or --resume RUN_DIR)\n";
    return kExitUsage;
  }
  const std::string config = args.config.empty() ? args.resume + "/config.yaml" : args.config;
  LoadedConfig loaded;
  std::vector<std::string> overrides = args.overrides;
  overrides.insert(overrides.begin(), "cluster.mode=head");
  try {
    loaded = LoadConfigFile(config, overrides);
  } catch (const ConfigError& e) {
    *env.err << e.what() << "\n";
    return kExitUsage;
  }
  actors::ExperimentSpec spec = loaded.spec;
  if (spec.cluster.key_dir.empty() && spec.cluster.insecure) {
    *env.err << "warning: cluster.insecure is true: tcp links are plaintext and unauthenticated; "
                "anyone who can reach "
             << args.listen
             << " can join. Use `olsgd keygen` and "
                "cluster.key_dir on any network you do not fully trust.\n";
  }
  if (const std::string missing = CheckDataPresent(spec); !missing.empty()) {
    *env.err << "error: " << loaded.sources.Where("data.path") << ": " << missing << "\n";
    return kExitUsage;
  }
  std::string dir, checkpoints;
  if (resume) {
    dir = args.resume;
    if (auto code = CheckResumable(dir, spec, env, &checkpoints)) return *code;
  } else if (auto code = MakeFreshRunFolder(args.out, spec, env, &dir)) {
    return *code;
  }
  spec.output.dir = dir;
  actors::HeadOptions head;
  head.listen = args.listen;
  head.say = [&env](const std::string& line) { *env.err << line << "\n" << std::flush; };
  CommandEnv head_env = env;
  head_env.run = [&env, head](const actors::ExperimentSpec& s, actors::RunObserver& observer,
                              const actors::RunOptions& options) {
    return env.head(s, observer, options, head);
  };
  const RunResult result =
      ExecuteRun(spec, config, overrides, spec.name, args.verbosity, head_env, checkpoints);
  return ExitCodeFor(result);
}

int WorkerCommand(const WorkerArgs& args, const CommandEnv& env) {
  if (!IsTcp(args.head)) {
    *env.err << "error: --head must be a tcp:// address, got " << args.head << "\n";
    return kExitUsage;
  }
  if (!args.listen.empty() && !IsTcp(args.listen)) {
    *env.err << "error: --listen must be a tcp:// address, got " << args.listen << "\n";
    return kExitUsage;
  }
  if (args.slots < 1) {
    *env.err << "error: --slots must be at least 1, got " << args.slots << "\n";
    return kExitUsage;
  }
  if (args.key_dir.empty() && !args.insecure) {
    *env.err << "error: olsgd worker needs --key-dir DIR (the cluster keys from `olsgd keygen`), "
                "or --insecure for plaintext tcp on a trusted network\n";
    return kExitUsage;
  }
  if (args.heartbeat_s <= 0 || args.failure_timeout_s <= args.heartbeat_s ||
      args.join_timeout_s <= 0) {
    *env.err
        << "error: need --heartbeat > 0, --failure-timeout > --heartbeat and --join-timeout > 0\n";
    return kExitUsage;
  }
  if (args.insecure && args.key_dir.empty()) {
    *env.err << "warning: --insecure: plaintext, unauthenticated tcp\n";
  }
  actors::WorkerNodeOptions o;
  o.head = args.head;
  o.name = args.name;
  o.listen = args.listen;
  o.key_dir = args.key_dir;
  o.insecure = args.insecure;
  o.slots = args.slots;
  o.heartbeat_s = args.heartbeat_s;
  o.failure_timeout_s = args.failure_timeout_s;
  o.join_timeout_s = args.join_timeout_s;
  o.say = [&env](const std::string& line) { *env.err << line << "\n" << std::flush; };
  try {
    const actors::WorkerNodeResult r = env.worker(o, env.stop);
    *env.err << (r.exit_code == 0 ? "" : "error: ") << "worker: " << r.message << "\n";
    return r.exit_code;
  } catch (const std::exception& e) {
    *env.err << "error: worker: " << e.what() << "\n";
    return kExitRunFailure;
  }
}

}  // namespace olsgd::cli
