// Runtime: the lifecycle (start, shutdown) and the local side of the facade
// (spawning, stopping, stats, posting). The network side (joining, system
// messages, remote spawn) is in runtime_net.cc and runtime_system.cc.
#include "runtime/runtime.h"

#include <algorithm>
#include <thread>

#include "runtime/log.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt {

namespace detail {
std::shared_ptr<ActorCell> FindLocalCell(Runtime* rt, ActorId id) {
  if (!rt || id.node() != rt->node_id()) return nullptr;
  return rt->FindCell(id);
}
}  // namespace detail

ActorTypeRegistry& ActorTypeRegistry::Global() {
  static ActorTypeRegistry r;
  return r;
}

void ActorTypeRegistry::Add(std::string type_name, SpawnFn fn) {
  MutexLock lock(mu_);
  fns_[std::move(type_name)] = std::move(fn);
}

const ActorTypeRegistry::SpawnFn* ActorTypeRegistry::Find(const std::string& type_name) const {
  MutexLock lock(mu_);
  auto it = fns_.find(type_name);
  return it == fns_.end() ? nullptr : &it->second;
}

namespace {

int PoolThreads(const RuntimeOptions& o) {
  return o.pool_threads > 0 ? o.pool_threads
                            : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

Runtime::Runtime(RuntimeOptions options)
    : options_(std::move(options)),
      timers_(std::make_unique<TimerQueue>()),
      pool_(std::make_unique<WorkerPool>(PoolThreads(options_), "olsgd-pool",
                                         options_.spin_iterations)),
      actors_(this, pool_.get(), options_.spin_iterations),
      heartbeats_(options_.heartbeat.timeout),
      delivery_(detail::Delivery::Parts{this, &membership_, &actors_, &link_rules_, &pending_,
                                        &directory_, timers_.get(), &shutting_down_,
                                        [this] { RefreshNodeTable(); }}),
      executor_(detail::RuntimeExecutor::Create(this)),
      vclock_(options_.virtual_time ? std::make_unique<detail::VirtualClock>() : nullptr) {
  delivery_.set_virtual_clock(vclock_.get());
  if (!options_.log_level.empty()) SetLogLevel(options_.log_level);
}

std::unique_ptr<Runtime> Runtime::Start(RuntimeOptions options) {
  std::unique_ptr<Runtime> rt(new Runtime(std::move(options)));
  const RuntimeOptions& o = rt->options_;
  if (o.virtual_time && (!o.listen.empty() || !o.join.empty())) {
    throw ErrorException(Error{ErrorCode::kInvalidArgument,
                               "virtual time needs an embedded runtime (no listen, no join)"});
  }
  if (!o.listen.empty() || !o.join.empty()) {
    rt->StartNetwork();  // throws ErrorException
  } else {
    rt->membership_.set_self_name(o.node_name.empty() ? "head" : o.node_name);
    rt->membership_.Add(NodeInfo{kHeadNode, rt->node_name(), "", o.slots, o.labels});
  }
  rt->spans_.SetProcess(static_cast<int>(rt->node_id()), rt->node_name());
  return rt;
}

Runtime::~Runtime() { Shutdown(); }

Result<ActorId> Runtime::SpawnCell(const SpawnOptions& options, const std::string& type_name,
                                   detail::ActorCell::Factory factory,
                                   detail::RemoteFinder finder) {
  if (shutting_down()) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
  ActorId id = actors_.NextId(node_id());
  auto cell = actors_.Spawn(id, options, type_name, std::move(factory), finder);
  if (!cell.ok()) return cell.error();
  // The name goes public last, so whoever finds it can reach a live actor.
  if (!options.name.empty()) {
    Status r = RegisterName(options.name, id, type_name, options.timeout);
    if (!r.ok()) {
      actors_.Abandon(*cell);
      return r.error();
    }
  }
  Log().debug("spawned {} ({}) as {}", (*cell)->name(), type_name, id.ToString());
  return id;
}

void Runtime::OnCellStopped(detail::ActorCell* cell) {
  // Unregister only a name this actor holds (a failed registration left the
  // name with its other owner).
  if (!cell->registered_name().empty()) UnregisterName(cell->registered_name(), cell->id());
}

Status Runtime::Stop(ActorId id, std::chrono::milliseconds timeout) {
  auto cell = FindCell(id);
  if (!cell) return Error{ErrorCode::kNotFound, "no local actor " + id.ToString()};
  cell->RequestStop();
  if (detail::CurrentCell() == cell.get()) return OkStatus();  // stops after this message
  if (!cell->WaitStopped(timeout)) {
    return Error{ErrorCode::kTimeout, "actor " + cell->name() + " did not stop"};
  }
  return OkStatus();
}

ActorStats Runtime::Stats(ActorId id) const {
  if (auto cell = FindCell(id)) return cell->Snapshot();
  ActorStats s;
  s.id = id;
  return s;
}

TransportStats Runtime::transport_stats() const {
  return transport_ ? transport_->stats() : TransportStats{};
}

std::string Runtime::address() const {
  return transport_ ? transport_->advertised() : std::string();
}

bool Runtime::Post(Task task) {
  auto shared = std::make_shared<Task>(std::move(task));
  return pool_->Submit([this, shared] {
    detail::RuntimeScope rs(this);
    (*shared)();
  });
}

TimerId Runtime::After(std::chrono::nanoseconds delay, Task task) {
  auto shared = std::make_shared<Task>(std::move(task));
  return timers_->Schedule(Clock::now() + delay, [this, shared] {
    if (!Post([shared] { (*shared)(); })) (*shared)();
  });
}

void Runtime::Shutdown() {
  MutexLock guard(shutdown_mu_);
  if (shut_down_.load()) return;
  shutting_down_.store(true, std::memory_order_release);
  Log().debug("node {} shutting down", node_name());

  std::vector<std::shared_ptr<detail::ActorCell>> cells = actors_.All();
  // 1. Stop every actor: queued messages run, then OnStop.
  for (auto& c : cells) c->RequestStop();
  for (auto& c : cells) {
    if (!c->WaitStopped(std::chrono::milliseconds(30000))) {
      Log().error("actor {} did not stop within 30 s; shutting down anyway", c->name());
    }
  }
  // 2. Timers (pending delayed messages and timers are dropped; their
  //    promises break, so nobody waits forever), and the messages the
  //    virtual clock still holds.
  timers_->Stop();
  if (vclock_) vclock_->DropHeld();
  // 3. Leave the cluster and close the sockets.
  if (transport_) ShutdownNetwork();
  // 4. Threads. From here on, Then callbacks of this runtime's futures run
  //    inline: nothing else would run them.
  pool_->Stop();
  executor_->Detach();
  for (auto& c : cells) c->StopOwnThread();
  actors_.Clear();
  cells.clear();
  pending_.FailAll(Error{ErrorCode::kShutdown, "runtime shut down before the reply came"});
  shut_down_.store(true);
}

}  // namespace olsgd::rt
