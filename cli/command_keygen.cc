// olsgd keygen: writes a cluster's CURVE key files.
#include "cli/commands.h"

namespace olsgd::cli {

int KeygenCommand(const KeygenArgs&, const CommandEnv& env) {
  *env.err << "error: olsgd keygen is not available in this build yet\n";
  return kExitRunFailure;
}

}  // namespace olsgd::cli
