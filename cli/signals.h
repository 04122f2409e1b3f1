// Ctrl-C handling for the olsgd process: SIGINT and SIGTERM are blocked in
// every thread and taken by one watcher thread, so no runtime or BLAS thread
// is ever interrupted mid-call. The first signal sets the stop flag (the run
// stops at its next step and writes its outputs); a second one ends the
// process at once with exit code 130.
#ifndef OLSGD_CLI_SIGNALS_H_
#define OLSGD_CLI_SIGNALS_H_

#include <atomic>
#include <ostream>

namespace olsgd::cli {

// Call once from main() before any thread starts. `stop` and `log` must
// outlive the process's threads; the watcher is detached.
void StartSignalWatcher(std::atomic<bool>* stop, std::ostream* log);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_SIGNALS_H_
