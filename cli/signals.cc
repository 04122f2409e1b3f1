#include "cli/signals.h"

#include <signal.h>
#include <unistd.h>

namespace olsgd::cli {
namespace {

std::atomic<bool>* g_stop = nullptr;

void OnSignal(int) {
  static_assert(std::atomic<bool>::is_always_lock_free);
  if (!g_stop->exchange(true)) {
    static constexpr char kMessage[] =
        "\nolsgd: stopping at the next step, writing outputs (press Ctrl-C again to quit at "
        "once)\n";
    [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
  } else {
    _exit(130);
  }
}

}  // namespace

void StartSignalWatcher(std::atomic<bool>* stop) {
  g_stop = stop;
  struct sigaction action {};
  action.sa_handler = &OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace olsgd::cli
