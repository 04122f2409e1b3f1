#include "actors/cluster/cluster_worker.h"

#include <unistd.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "actors/cluster/cluster_security.h"
#include "actors/cluster/node_agent.h"
#include "actors/cluster/route_address.h"
#include "actors/roles/actor_types.h"
#include "actors/run/millis.h"
#include "runtime/runtime.h"

namespace olsgd::actors {
namespace {

std::string DefaultNodeName() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
    return "worker-" + std::to_string(getpid());
  return std::string(host) + "-" + std::to_string(getpid());
}

// Why the head went away, set on the runtime's I/O thread.
class HeadLoss {
 public:
  void Set(std::string reason) {
    std::lock_guard lock(mu_);
    if (!reason_) reason_ = std::move(reason);
  }
  std::optional<std::string> Get() {
    std::lock_guard lock(mu_);
    return reason_;
  }

 private:
  std::mutex mu_;
  std::optional<std::string> reason_;
};

}  // namespace

WorkerNodeResult RunWorkerNode(const WorkerNodeOptions& options, const std::atomic<bool>* stop) {
  RegisterExperimentActorTypes();
  HeadLoss head_loss;
  NodeReleaseSlot release;
  rt::RuntimeOptions ro;
  ro.join = options.head;
  ro.listen =
      options.listen.empty() ? "tcp://" + LocalAddressToward(options.head) + ":0" : options.listen;
  ro.node_name = options.name.empty() ? DefaultNodeName() : options.name;
  ro.slots = options.slots;
  ro.spin_iterations = 0;
  ro.join_timeout = Millis(options.join_timeout_s);
  ro.security = ClusterSecurity(options.key_dir, options.insecure);
  ro.heartbeat.interval = Millis(options.heartbeat_s);
  ro.heartbeat.timeout = Millis(options.failure_timeout_s);
  ro.on_node_lost = [&head_loss](rt::NodeId node, const std::string& reason) {
    if (node == rt::kHeadNode) head_loss.Set(reason);
  };
  std::unique_ptr<rt::Runtime> runtime = rt::Runtime::Start(ro);
  runtime->spans().set_enabled(false);  // the head turns them on when it wants a trace
  auto agent = runtime->SpawnLocal<NodeAgent>(
      rt::SpawnOptions{.name = NodeAgentName(runtime->node_name())}, &release);
  if (!agent.ok()) {
    throw std::runtime_error("cannot register node '" + runtime->node_name() +
                             "' with the head: " + agent.error().ToString());
  }
  options.say("worker " + runtime->node_name() + ": joined " + options.head + " as node " +
              std::to_string(runtime->node_id()) + ", listening on " + runtime->address() + ", " +
              std::to_string(options.slots) + " slot(s)");
  WorkerNodeResult result;
  while (true) {
    if (auto r = release.Wait(std::chrono::milliseconds(100))) {
      result = {r->exit_code, "the head ended the run: " + r->message};
      break;
    }
    if (auto reason = head_loss.Get()) {
      result = {1, "lost the head " + options.head + ": " + *reason};
      break;
    }
    if (stop != nullptr && stop->load()) {
      result = {130, "interrupted"};
      break;
    }
  }
  runtime->Shutdown();
  return result;
}

}  // namespace olsgd::actors
