// NodeAgent: one per worker process of a multi-host run, registered as
// "agent:<node name>". The head tells it when the run is over (and with which
// exit code the worker process should end), so workers exit cleanly instead
// of waiting to notice that the head has gone.
#ifndef OLSGD_ACTORS_CLUSTER_NODE_AGENT_H_
#define OLSGD_ACTORS_CLUSTER_NODE_AGENT_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "actors/cluster/remote_spans.h"
#include "runtime/runtime.h"

namespace olsgd::actors {

// What the head told a worker process at the end of a run.
struct NodeRelease {
  int exit_code = 0;
  std::string message;
};

// A one-shot mailbox between the agent (on the pool) and the worker's main thread.
class NodeReleaseSlot {
 public:
  void Set(NodeRelease r);
  // The release, if it arrived within `timeout`.
  std::optional<NodeRelease> Wait(std::chrono::milliseconds timeout);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<NodeRelease> release_;
};

class NodeAgent : public rt::Actor {
 public:
  static constexpr const char* kTypeName = "olsgd.NodeAgent";
  static void DefineMethods(rt::MethodTable<NodeAgent>& t);

  explicit NodeAgent(NodeReleaseSlot* slot) : slot_(slot) {}
  void Release(int exit_code, std::string message);
  // Trace spans on this node: recording on or off (off by default, as they
  // cost memory per step), and handing over what was recorded.
  void RecordSpans(bool on);
  std::vector<WireSpan> TakeSpans();

 private:
  NodeReleaseSlot* slot_;
};

std::string NodeAgentName(const std::string& node_name);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_NODE_AGENT_H_
