#include "cli/signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

namespace olsgd::cli {

void StartSignalWatcher(std::atomic<bool>* stop, std::ostream* log) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every later thread
  std::thread([set, stop, log] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (!stop->exchange(true)) {
        *log << "\nolsgd: stopping at the next step, writing outputs (press Ctrl-C again to "
                "quit at once)\n"
             << std::flush;
      } else {
        _exit(130);
      }
    }
  }).detach();
}

}  // namespace olsgd::cli
