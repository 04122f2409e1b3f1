// `olsgd worker`: a worker process of a multi-host run. It joins the head,
// hosts whatever trainers and reducers the head places on it, and exits when
// the head says the run is over, when it loses the head, or on Ctrl-C.
#ifndef OLSGD_ACTORS_CLUSTER_CLUSTER_WORKER_H_
#define OLSGD_ACTORS_CLUSTER_CLUSTER_WORKER_H_

#include <atomic>
#include <functional>
#include <string>

namespace olsgd::actors {

struct WorkerNodeOptions {
  std::string head;       // tcp://HOST:PORT of the head
  std::string name;       // unique node name; "" = <hostname>-<pid>
  std::string listen;     // "" = tcp://<address that routes to the head>:0
  std::string key_dir;    // CURVE keys (olsgd keygen); "" needs insecure
  bool insecure = false;  // plaintext tcp
  int slots = 1;
  double heartbeat_s = 0.5;
  double failure_timeout_s = 2.5;
  double join_timeout_s = 60.0;
  std::function<void(const std::string&)> say;  // status lines for the user
};

struct WorkerNodeResult {
  int exit_code = 0;  // 0 the run completed, 1 failed or lost the head, 130 interrupted
  std::string message;
};

// Throws std::runtime_error if it cannot start or join (message names the head).
WorkerNodeResult RunWorkerNode(const WorkerNodeOptions& options, const std::atomic<bool>* stop);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_CLUSTER_WORKER_H_
