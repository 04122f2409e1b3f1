// Starts runtime_peer as a child process (fork + exec) and reaps it.
#ifndef OLSGD_TESTS_RUNTIME_PEER_PROCESS_H_
#define OLSGD_TESTS_RUNTIME_PEER_PROCESS_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace olsgd::rt::testing {

class PeerProcess {
 public:
  explicit PeerProcess(std::vector<std::string> args) {
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~PeerProcess() {
    if (pid_ > 0 && Wait(std::chrono::seconds(10)) < 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  // Exit status, or -1 if still running after `timeout`.
  int Wait(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return status_;
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int st = 0;
      pid_t r = waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
      }
      if (std::chrono::steady_clock::now() >= end) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

}  // namespace olsgd::rt::testing

#endif  // OLSGD_TESTS_RUNTIME_PEER_PROCESS_H_
