// olsgd keys and olsgd algorithms: what a config can say, printed from the
// same declarations the loader uses (so they cannot drift from it).
#include <algorithm>
#include <string>

#include "actors/algorithms/algorithm.h"
#include "actors/spec/spec_doc.h"
#include "cli/commands.h"

namespace olsgd::cli {

int KeysCommand(const CommandEnv& env) {
  *env.out << actors::KeyTablesMarkdown();
  return kExitOk;
}

int AlgorithmsCommand(const CommandEnv& env) {
  for (const actors::Algorithm* a : actors::Algorithms()) {
    *env.out << a->name << std::string(20 - std::min<size_t>(a->name.size(), 19), ' ')
             << (a->overlapped() ? "overlapped" : "blocking  ") << "  " << a->summary << "\n";
  }
  return kExitOk;
}

}  // namespace olsgd::cli
