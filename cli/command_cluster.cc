// olsgd head / worker / keygen: the multi-host command shapes. The cluster
// issue implements them; until then they check their arguments and say so.
#include "cli/commands.h"
#include "cli/config_error.h"
#include "cli/config_load.h"

namespace olsgd::cli {
namespace {

int NotYet(const CommandEnv& env, const std::string& what) {
  *env.err << "error: " << what
           << " is not available in this build yet: multi-host runs come with the cluster "
              "issue. Use `olsgd run CONFIG.yaml` for an embedded cluster in one process.\n";
  return kExitRunFailure;
}

}  // namespace

int HeadCommand(const HeadArgs& args, const CommandEnv& env) {
  try {
    LoadConfigFile(args.config, args.overrides);  // config errors still exit 2 first
  } catch (const ConfigError& e) {
    *env.err << e.what() << "\n";
    return kExitUsage;
  }
  if (args.listen.rfind("tcp://", 0) != 0) {
    *env.err << "error: --listen must be a tcp:// address, got " << args.listen << "\n";
    return kExitUsage;
  }
  return NotYet(env, "olsgd head");
}

int WorkerCommand(const WorkerArgs& args, const CommandEnv& env) {
  if (args.head.rfind("tcp://", 0) != 0) {
    *env.err << "error: --head must be a tcp:// address, got " << args.head << "\n";
    return kExitUsage;
  }
  if (args.slots < 1) {
    *env.err << "error: --slots must be at least 1, got " << args.slots << "\n";
    return kExitUsage;
  }
  return NotYet(env, "olsgd worker");
}

}  // namespace olsgd::cli
