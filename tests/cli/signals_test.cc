// The signal handler turns a process-directed SIGINT into the stop flag,
// without killing the process, whichever thread the kernel delivers it to.
#include "cli/signals.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace olsgd::cli {
namespace {

TEST(SignalWatcher, FirstSigintSetsTheStopFlagEvenWithThreadsStartedBefore) {
  // Like OpenBLAS's pool: threads that exist before the handler is installed
  // and block no signal, so the kernel may deliver SIGINT to any of them.
  std::atomic<bool> quit{false};
  std::vector<std::thread> early;
  for (int i = 0; i < 4; ++i) {
    early.emplace_back([&quit] {
      while (!quit.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  }
  static std::atomic<bool> stop{false};
  StartSignalWatcher(&stop);
  for (int round = 0; round < 20 && !stop.load(); ++round) {
    ASSERT_EQ(kill(getpid(), SIGINT), 0);
    for (int i = 0; i < 100 && !stop.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  EXPECT_TRUE(stop.load());
  quit = true;
  for (auto& t : early) t.join();
}

}  // namespace
}  // namespace olsgd::cli
