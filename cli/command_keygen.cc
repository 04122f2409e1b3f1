// olsgd keygen --out DIR: writes a cluster's CURVE key pair (runtime/cluster_keys.h).
#include <ostream>

#include "cli/commands.h"
#include "runtime/cluster_keys.h"

namespace olsgd::cli {

int KeygenCommand(const KeygenArgs& args, const CommandEnv& env) {
  if (args.out.empty()) {
    *env.err << "error: olsgd keygen needs --out DIR (the folder for the key files)\n";
    return kExitUsage;
  }
  rt::Status s = rt::WriteClusterKeys(args.out);
  if (!s.ok()) {
    *env.err << "error: " << s.error().message << "\n";
    return kExitRunFailure;
  }
  *env.out << "wrote " << args.out << "/cluster.key (secret, mode 0600) and " << args.out
           << "/cluster.pub\n"
           << "Every node of the cluster needs this folder (copy it over a secure channel):\n"
           << "  head:    cluster.key_dir: " << args.out << "   (in the config)\n"
           << "  workers: olsgd worker --key-dir " << args.out << " ...\n"
           << "A node without these keys cannot join the cluster or reach its actors.\n";
  return kExitOk;
}

}  // namespace olsgd::cli
