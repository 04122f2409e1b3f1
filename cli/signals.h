// Ctrl-C handling for the olsgd process. The first SIGINT or SIGTERM sets the
// stop flag (the run stops at its next step and writes its outputs); a second
// one ends the process at once with exit code 130.
//
// A signal handler rather than a sigwait thread: libraries start threads
// before main() (OpenBLAS starts its pool when it is loaded), so a signal
// blocked only in threads started later could still land in one of those
// and kill the process. The handler runs in whichever thread the kernel
// picks, and only does async-signal-safe things (an atomic store, write(2),
// _exit). SA_RESTART keeps interrupted system calls going.
#ifndef OLSGD_CLI_SIGNALS_H_
#define OLSGD_CLI_SIGNALS_H_

#include <atomic>

namespace olsgd::cli {

// Installs the handlers. `stop` must outlive the process (a static); the
// message goes to standard error. REQUIRES: `stop` is lock-free.
void StartSignalWatcher(std::atomic<bool>* stop);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_SIGNALS_H_
