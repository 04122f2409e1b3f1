// olsgd validate: load, check, and print the fully resolved config.
#include <iostream>

#include "cli/commands.h"
#include "cli/config_dump.h"
#include "cli/config_error.h"
#include "cli/config_load.h"

namespace olsgd::cli {

int ValidateCommand(const ValidateArgs& args, const CommandEnv& env) {
  try {
    const LoadedConfig loaded = LoadConfigFile(args.config, args.overrides);
    *env.out << "# " << args.config << " is valid; the resolved config, defaults included:\n"
             << DumpSpecYaml(loaded.spec);
    return kExitOk;
  } catch (const ConfigError& e) {
    *env.err << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace olsgd::cli
