// Runtime: local parts (spawn, delivery, link models, stats, shutdown).
// The network side (join, directory requests, remote messages) is in
// runtime_net.cc.
#include "runtime/runtime.h"

#include <algorithm>
#include <thread>

#include "runtime/directory.h"
#include "runtime/log.h"
#include "runtime/transport_tcp.h"

namespace olsgd::rt {

namespace detail {
std::atomic<Runtime*>& DefaultRuntime();

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
  std::lock_guard lock(mu_);
  fns_[std::move(type_name)] = std::move(fn);
}

const ActorTypeRegistry::SpawnFn* ActorTypeRegistry::Find(const std::string& type_name) const {
  std::lock_guard lock(mu_);
  auto it = fns_.find(type_name);
  return it == fns_.end() ? nullptr : &it->second;
}

Runtime::Runtime(RuntimeOptions options) : options_(std::move(options)) {
  if (!options_.log_level.empty()) SetLogLevel(options_.log_level);
  int threads = options_.pool_threads > 0 ? options_.pool_threads
                                          : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  timers_ = std::make_unique<TimerQueue>();
  pool_ = std::make_unique<WorkerPool>(threads, "olsgd-pool", options_.spin_iterations);
  directory_ = std::make_unique<detail::Directory>();
}

std::unique_ptr<Runtime> Runtime::Start(RuntimeOptions options) {
  std::unique_ptr<Runtime> rt(new Runtime(std::move(options)));
  if (!rt->options_.listen.empty() || !rt->options_.join.empty()) {
    rt->StartNetwork();  // throws ErrorException
  } else {
    rt->node_name_ = rt->options_.node_name.empty() ? "head" : rt->options_.node_name;
    std::lock_guard lock(rt->nodes_mu_);
    rt->nodes_[kHeadNode] = NodeInfo{kHeadNode, rt->node_name_, "", rt->options_.slots, rt->options_.labels};
  }
  rt->spans_.SetProcess(static_cast<int>(rt->node_id_), rt->node_name_);
  detail::DefaultRuntime().store(rt.get(), std::memory_order_release);
  return rt;
}

Runtime::~Runtime() { Shutdown(); }

std::shared_ptr<detail::ActorCell> Runtime::FindCell(ActorId id) const {
  std::shared_lock lock(actors_mu_);
  auto it = actors_.find(id);
  return it == actors_.end() ? nullptr : it->second;
}

Result<ActorId> Runtime::SpawnCell(const SpawnOptions& options, const std::string& type_name,
                                   detail::ActorCell::Factory factory, detail::RemoteFinder finder) {
  if (shutting_down()) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
  ActorId id(node_id_, next_local_id_.fetch_add(1, std::memory_order_relaxed));
  std::unique_ptr<WorkerPool> own;
  if (options.dedicated_thread) {
    std::string tname = options.name.empty() ? type_name : options.name;
    own = std::make_unique<WorkerPool>(1, tname, options_.spin_iterations);
  }
  auto cell = std::make_shared<detail::ActorCell>(this, id, options.name, type_name, options.restart,
                                                  std::move(factory), finder, pool_.get(), std::move(own));
  Status s = cell->Construct();
  if (!s.ok()) {
    cell->StopOwnThread();
    return s.error();
  }
  {
    std::unique_lock lock(actors_mu_);
    actors_[id] = cell;
  }
  cell->Start();
  // The name goes public last, so whoever finds it can reach a live actor.
  if (!options.name.empty()) {
    Status r = RegisterName(options.name, id, type_name, options.timeout);
    if (!r.ok()) {
      cell->RequestStop();
      cell->WaitStopped(std::chrono::milliseconds(10000));
      cell->StopOwnThread();
      std::unique_lock lock(actors_mu_);
      actors_.erase(id);
      return r.error();
    }
  }
  Log().debug("spawned {} ({}) as {}", cell->name(), type_name, id.ToString());
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
  if (!cell->WaitStopped(timeout)) return Error{ErrorCode::kTimeout, "actor " + cell->name() + " did not stop"};
  return OkStatus();
}

ActorId Runtime::CurrentSender() const {
  if (auto* c = detail::CurrentCell(); c && c->runtime() == this) return c->id();
  return ActorId(node_id_, 0);
}

LinkEndpoint Runtime::EndpointOf(ActorId id, std::string* name_storage) const {
  LinkEndpoint e;
  e.id = id;
  if (auto cell = FindCell(id)) {
    *name_storage = cell->registered_name();
  } else if (!directory_->NameOf(id, name_storage)) {
    std::lock_guard lock(nodes_mu_);
    auto it = remote_names_.find(id);
    if (it != remote_names_.end()) *name_storage = it->second;
  }
  e.actor_name = *name_storage;
  return e;
}

Status Runtime::SendLocal(const std::shared_ptr<detail::ActorCell>& to, std::unique_ptr<detail::Message> m) {
  detail::ActorCell* from_cell = detail::CurrentCell();
  m->sender = from_cell && from_cell->runtime() == this ? from_cell->id() : ActorId(node_id_, 0);
  if (from_cell && from_cell->runtime() == this) {
    from_cell->counters().Add(from_cell->counters().messages_out, 1);
    from_cell->counters().Add(from_cell->counters().bytes_out, m->bytes);
  }
  if (links_.active() && m->sender != to->id()) {
    std::string from_name, to_name;
    LinkEndpoint from = EndpointOf(m->sender, &from_name);
    LinkEndpoint dest = EndpointOf(to->id(), &to_name);
    std::string from_node = node_name_, to_node = node_name_;
    from.node_name = from_node;
    dest.node_name = to_node;
    auto now = Clock::now();
    if (auto release = links_.Release(from, dest, m->bytes, now)) {
      auto shared = std::make_shared<std::unique_ptr<detail::Message>>(std::move(m));
      std::weak_ptr<detail::ActorCell> weak = to;
      TimerId t = timers_->Schedule(*release, [weak, shared] {
        if (auto c = weak.lock()) c->Enqueue(std::move(*shared));
      });
      if (t == 0) return Error{ErrorCode::kShutdown, "runtime is shutting down"};
      return OkStatus();
    }
  }
  if (!to->Enqueue(std::move(m))) {
    return Error{ErrorCode::kActorStopped, "actor " + to->name() + " is stopped"};
  }
  return OkStatus();
}

void Runtime::DeliverReply(ActorId from, ActorId to, uint64_t bytes, Task complete) {
  if (auto* c = detail::CurrentCell(); c && c->id() == from) {
    c->counters().Add(c->counters().messages_out, 1);
    c->counters().Add(c->counters().bytes_out, bytes);
  }
  if (to.is_actor()) {
    if (auto cell = FindCell(to)) cell->counters().Add(cell->counters().bytes_in, bytes);
  }
  if (links_.active() && from != to) {
    std::string from_name, to_name;
    LinkEndpoint a = EndpointOf(from, &from_name);
    LinkEndpoint b = EndpointOf(to, &to_name);
    a.node_name = node_name_;
    b.node_name = node_name_;
    if (auto release = links_.Release(a, b, bytes, Clock::now())) {
      auto shared = std::make_shared<Task>(std::move(complete));
      if (timers_->Schedule(*release, [shared] { (*shared)(); }) != 0) return;
      complete = std::move(*shared);
    }
  }
  complete();
}

ActorStats Runtime::Stats(ActorId id) const {
  if (auto cell = FindCell(id)) return cell->Snapshot();
  ActorStats s;
  s.id = id;
  return s;
}

TransportStats Runtime::transport_stats() const { return transport_ ? transport_->stats() : TransportStats{}; }

std::string Runtime::address() const { return transport_ ? transport_->advertised() : std::string(); }

std::vector<NodeInfo> Runtime::Nodes() const {
  std::lock_guard lock(nodes_mu_);
  std::vector<NodeInfo> out;
  for (const auto& [id, n] : nodes_) out.push_back(n);
  return out;
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
  std::lock_guard guard(shutdown_mu_);
  if (shut_down_.load()) return;
  shutting_down_.store(true, std::memory_order_release);
  Runtime* self = this;
  detail::DefaultRuntime().compare_exchange_strong(self, nullptr);
  Log().debug("node {} shutting down", node_name_);

  std::vector<std::shared_ptr<detail::ActorCell>> cells;
  {
    std::shared_lock lock(actors_mu_);
    for (const auto& [id, c] : actors_) cells.push_back(c);
  }
  // 1. Stop every actor: queued messages run, then OnStop.
  for (auto& c : cells) c->RequestStop();
  for (auto& c : cells) {
    if (!c->WaitStopped(std::chrono::milliseconds(30000))) {
      Log().error("actor {} did not stop within 30 s; shutting down anyway", c->name());
    }
  }
  // 2. Timers (pending delayed messages and timers are dropped; their
  //    promises break, so nobody waits forever).
  timers_->Stop();
  // 3. Leave the cluster and close the sockets.
  if (transport_) ShutdownNetwork();
  // 4. Threads.
  pool_->Stop();
  for (auto& c : cells) c->StopOwnThread();
  {
    std::unique_lock lock(actors_mu_);
    actors_.clear();
  }
  cells.clear();
  std::unordered_map<uint64_t, Pending> pending;
  {
    std::lock_guard lock(pending_mu_);
    pending.swap(pending_);
  }
  for (auto& [req, p] : pending) p.handler(Error{ErrorCode::kShutdown, "runtime shut down before the reply came"});
  shut_down_.store(true);
}

}  // namespace olsgd::rt
