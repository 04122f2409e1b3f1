#include "actors/cluster/node_agent.h"

namespace olsgd::actors {

void NodeReleaseSlot::Set(NodeRelease r) {
  {
    std::lock_guard lock(mu_);
    if (!release_) release_ = std::move(r);
  }
  cv_.notify_all();
}

std::optional<NodeRelease> NodeReleaseSlot::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [this] { return release_.has_value(); });
  return release_;
}

void NodeAgent::DefineMethods(rt::MethodTable<NodeAgent>& t) {
  t.Def("release", &NodeAgent::Release);
  t.Def("record_spans", &NodeAgent::RecordSpans);
  t.Def("take_spans", &NodeAgent::TakeSpans);
}

void NodeAgent::RecordSpans(bool on) { context().runtime().spans().set_enabled(on); }

std::vector<WireSpan> NodeAgent::TakeSpans() {
  rt::SpanRecorder& spans = context().runtime().spans();
  std::vector<WireSpan> out = ExportSpans(spans);
  spans.Clear();
  return out;
}

void NodeAgent::Release(int exit_code, std::string message) {
  slot_->Set(NodeRelease{exit_code, std::move(message)});
}

std::string NodeAgentName(const std::string& node_name) { return "agent:" + node_name; }

}  // namespace olsgd::actors
