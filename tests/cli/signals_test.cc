// The signal watcher turns a process-directed SIGINT into the stop flag,
// without killing the process.
#include "cli/signals.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

namespace olsgd::cli {
namespace {

TEST(SignalWatcher, FirstSigintSetsTheStopFlag) {
  static std::atomic<bool> stop{false};
  static std::ostringstream log;
  StartSignalWatcher(&stop, &log);
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  for (int i = 0; i < 1000 && !stop.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(stop.load());
}

}  // namespace
}  // namespace olsgd::cli
