// Starting and reaping the real `olsgd` binary from tests.
#ifndef OLSGD_TESTS_CLI_PROCESS_UTIL_H_
#define OLSGD_TESTS_CLI_PROCESS_UTIL_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace olsgd::cli::testing {

// Starts `binary args...` with stdout and stderr into files, and this
// process's environment with `extra_env` ("NAME=value", taking precedence)
// added; returns its pid (-1 and a test failure if it cannot start).
pid_t StartProcess(const std::string& binary, const std::vector<std::string>& args,
                   const std::string& out, const std::string& err,
                   const std::vector<std::string>& extra_env = {});

// Waits up to `limit` for `pid`: its exit code, or 128 + signal. Kills it and
// fails the test (returning -1) if it is late.
int WaitProcess(pid_t pid, std::chrono::milliseconds limit);

}  // namespace olsgd::cli::testing

#endif  // OLSGD_TESTS_CLI_PROCESS_UTIL_H_
