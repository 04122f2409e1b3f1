#include "runtime/actor_cell.h"

#include "runtime/log.h"
#include "runtime/runtime.h"

namespace olsgd::rt {
namespace detail {

ActorCell*& CurrentCell() {
  thread_local ActorCell* cell = nullptr;
  return cell;
}

Runtime*& CurrentRuntime() {
  thread_local Runtime* rt = nullptr;
  return rt;
}

ScheduleBatch*& CurrentScheduleBatch() {
  thread_local ScheduleBatch* batch = nullptr;
  return batch;
}

void ScheduleBatch::Flush() {
  // Swap first: a failed Schedule rejects messages, and their callbacks may
  // enqueue (and so defer) more.
  while (!cells_.empty()) {
    std::vector<std::shared_ptr<ActorCell>> cells;
    cells.swap(cells_);
    for (auto& c : cells) c->Schedule();
  }
}

Runtime* CurrentRuntimeForHandles() { return CurrentRuntime(); }

namespace {

ActorContext*& ConstructingContext() {
  thread_local ActorContext* ctx = nullptr;
  return ctx;
}

void PostToCell(const std::shared_ptr<void>& target, uint64_t incarnation, Task task) {
  static_cast<ActorCell*>(target.get())->Post(std::move(task), incarnation);
}

void PostToExecutor(const std::shared_ptr<void>& target, uint64_t, Task task) {
  static_cast<RuntimeExecutor*>(target.get())->Run(std::move(task));
}

}  // namespace

Poster CapturePoster(RuntimeExecutor* future_runtime) {
  Poster p;
  if (ActorCell* c = CurrentCell()) {
    p.target = c->shared_from_this();
    p.post = &PostToCell;
    p.incarnation = c->incarnation();
    return p;
  }
  // The calling thread's runtime first (a pool, I/O or timer thread), then
  // the future's own. An executor outlives its runtime, so a callback that
  // fires after the runtime is gone runs inline instead of reaching it.
  Runtime* rt = CurrentRuntime();
  RuntimeExecutor* executor = rt ? rt->executor() : future_runtime;
  if (executor) {
    p.target = std::shared_ptr<void>(std::shared_ptr<void>(), executor);  // non-owning
    p.post = &PostToExecutor;
  }
  return p;  // no runtime: inline
}

bool TaskMessage::Run(ActorCell& cell) {
  if (cell.incarnation() != incarnation_) return true;  // meant for an earlier incarnation
  try {
    task_();
  } catch (const std::exception& e) {
    Log().error("actor {}: callback threw: {}", cell.name(), e.what());
    return false;
  } catch (...) {
    Log().error("actor {}: callback threw a non-std exception", cell.name());
    return false;
  }
  return true;
}

class StartMessage final : public Message {
 public:
  bool Run(ActorCell& cell) override {
    try {
      cell.actor()->OnStart();
    } catch (const std::exception& e) {
      Log().error("actor {}: OnStart threw: {}", cell.name(), e.what());
      return false;
    } catch (...) {
      Log().error("actor {}: OnStart threw a non-std exception", cell.name());
      return false;
    }
    return true;
  }
};

class StopMessage final : public Message {
 public:
  bool Run(ActorCell& cell) override {
    cell.DoStop(true);
    return true;
  }
};

ActorCell::ActorCell(Runtime* rt, ActorId id, std::string name, std::string type_name,
                     RestartPolicy restart, Factory factory, RemoteFinder remote_finder,
                     WorkerPool* executor, std::unique_ptr<WorkerPool> own_thread)
    : rt_(rt),
      id_(id),
      registered_name_(name),
      type_name_(std::move(type_name)),
      restart_(restart),
      factory_(std::move(factory)),
      finder_(remote_finder),
      executor_(own_thread ? own_thread.get() : executor),
      own_thread_(std::move(own_thread)),
      context_(this) {
  name_ = name.empty() ? type_name_ + "#" + std::to_string(id.local()) : std::move(name);
}

ActorCell::~ActorCell() = default;

Status ActorCell::Construct() {
  ActorContext* saved = ConstructingContext();
  ConstructingContext() = &context_;
  RuntimeScope rs(rt_);
  Status s;
  try {
    actor_ = factory_();
  } catch (const std::exception& e) {
    s = Error{ErrorCode::kActorFailed, "constructor of " + name_ + " threw: " + e.what()};
  } catch (...) {
    s = Error{ErrorCode::kActorFailed, "constructor of " + name_ + " threw a non-std exception"};
  }
  ConstructingContext() = saved;
  return s;
}

void ActorCell::Start() { Enqueue(std::make_unique<StartMessage>()); }

bool ActorCell::Enqueue(std::unique_ptr<Message> m) {
  bool schedule = false;
  bool stopped = false;
  {
    MutexLock lock(mu_);
    stopped = state_.load(std::memory_order_relaxed) != State::kRunning || stop_requested_;
    if (!stopped) {
      queue_.push_back(std::move(m));
      counters_.Enqueued();
      if (!scheduled_) {
        scheduled_ = true;
        schedule = true;
      }
    }
  }
  if (stopped) {
    // Outside the lock: a rejection completes the sender's promise, whose
    // callbacks may enqueue elsewhere (the mailbox lock is a leaf).
    counters_.Add(counters_.rejected, 1);
    m->Reject(Error{ErrorCode::kActorStopped, "actor " + name_ + " is stopped"});
    return false;
  }
  if (schedule) {
    if (ScheduleBatch* b = CurrentScheduleBatch()) {
      b->Add(shared_from_this());
    } else {
      Schedule();
    }
  }
  return true;
}

bool ActorCell::Post(Task t, uint64_t incarnation) {
  return Enqueue(std::make_unique<TaskMessage>(std::move(t), incarnation));
}

void ActorCell::RequestStop() {
  bool schedule = false;
  {
    MutexLock lock(mu_);
    if (stop_requested_ || state_.load(std::memory_order_relaxed) != State::kRunning) return;
    stop_requested_ = true;
    queue_.push_back(std::make_unique<StopMessage>());
    counters_.Enqueued();
    if (!scheduled_) {
      scheduled_ = true;
      schedule = true;
    }
  }
  if (schedule) Schedule();
}

bool ActorCell::WaitStopped(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MutexLock lock(mu_);
  while (state_.load() != State::kStopped) {
    if (!stopped_cv_.WaitUntil(mu_, deadline)) return state_.load() == State::kStopped;
  }
  return true;
}

void ActorCell::Schedule() {
  auto self = shared_from_this();
  if (!executor_->Submit([self] { self->RunBatch(); })) {
    // The executor is gone (shutdown): nobody will run this mailbox again.
    std::vector<std::unique_ptr<Message>> rest;
    {
      MutexLock lock(mu_);
      rest.swap(queue_);
      scheduled_ = false;
    }
    RejectAll(rest, Error{ErrorCode::kShutdown, "runtime is shutting down"});
  }
}

void ActorCell::RejectAll(std::vector<std::unique_ptr<Message>>& msgs, const Error& e) {
  VirtualClock* vclock = rt_->virtual_clock();
  for (auto& m : msgs) {
    if (!m) continue;
    // A message the virtual clock released will never be handled: the next may go.
    if (vclock && m->held) vclock->AfterMessage(*this, true);
    counters_.mailbox_depth.fetch_sub(1, std::memory_order_relaxed);
    counters_.Add(counters_.rejected, 1);
    m->Reject(e);
  }
  msgs.clear();
}

void ActorCell::RunBatch() {
  ActorCell* saved_cell = CurrentCell();
  CurrentCell() = this;
  RuntimeScope rs(rt_);
  {
    MutexLock lock(mu_);
    batch_.swap(queue_);
  }
  VirtualClock* vclock = rt_->virtual_clock();
  for (auto& m : batch_) {
    if (state_.load(std::memory_order_relaxed) == State::kStopped) break;
    counters_.mailbox_depth.fetch_sub(1, std::memory_order_relaxed);
    current_sender_ = m->sender;
    const bool held = m->held;
    if (vclock) vclock->BeforeMessage(*this, *m);
    auto t0 = Clock::now();
    bool ok = m->Run(*this);
    uint64_t bytes = m->bytes;
    m.reset();  // arguments die on the actor's thread
    if (vclock) vclock->AfterMessage(*this, held);
    counters_.busy_ns.fetch_add((Clock::now() - t0).count(), std::memory_order_relaxed);
    counters_.Add(counters_.messages_in, 1);
    counters_.Add(counters_.bytes_in, bytes);
    if (!ok) HandleFailure();
  }
  bool stopped = state_.load(std::memory_order_relaxed) == State::kStopped;
  if (stopped) RejectAll(batch_, Error{ErrorCode::kActorStopped, "actor " + name_ + " is stopped"});
  batch_.clear();
  current_sender_ = ActorId();
  CurrentCell() = saved_cell;
  bool again = false;
  {
    MutexLock lock(mu_);
    if (queue_.empty() || stopped) {
      scheduled_ = false;
    } else {
      again = true;
    }
  }
  if (again) Schedule();
}

void ActorCell::HandleFailure() {
  counters_.Add(counters_.failures, 1);
  switch (restart_.kind) {
    case RestartPolicy::Kind::kNever:
      return;
    case RestartPolicy::Kind::kStop:
      Log().warn("actor {} failed; stopping it (restart policy: stop)", name_);
      DoStop(false);
      return;
    case RestartPolicy::Kind::kRestart:
      break;
  }
  for (;;) {
    if (counters_.restarts.load() >= static_cast<uint64_t>(restart_.max_restarts)) {
      Log().warn("actor {} failed after {} restarts; stopping it", name_,
                 counters_.restarts.load());
      DoStop(false);
      return;
    }
    counters_.Add(counters_.restarts, 1);
    Log().info("actor {} failed; restart {} of {}", name_, counters_.restarts.load(),
               restart_.max_restarts);
    actor_.reset();
    incarnation_.fetch_add(1, std::memory_order_acq_rel);
    Status s = Construct();
    if (!s.ok()) {
      Log().error("actor {}: {}", name_, s.error().message);
      continue;
    }
    StartMessage start;
    if (start.Run(*this)) return;
  }
}

void ActorCell::DoStop(bool call_on_stop) {
  if (actor_ && call_on_stop) {
    try {
      actor_->OnStop();
    } catch (const std::exception& e) {
      Log().error("actor {}: OnStop threw: {}", name_, e.what());
    } catch (...) {
      Log().error("actor {}: OnStop threw a non-std exception", name_);
    }
  }
  actor_.reset();
  incarnation_.fetch_add(1, std::memory_order_acq_rel);
  // A stopped actor no longer holds back anyone's virtual time.
  if (VirtualClock* vclock = rt_->virtual_clock()) vclock->Unregister(*this);
  // Free the name before anyone waiting in Stop() wakes up: once Stop()
  // returns, Lookup must no longer find this actor.
  rt_->OnCellStopped(this);
  std::vector<std::unique_ptr<Message>> rest;
  {
    MutexLock lock(mu_);
    state_.store(State::kStopped, std::memory_order_release);
    rest.swap(queue_);
  }
  stopped_cv_.NotifyAll();
  RejectAll(rest, Error{ErrorCode::kActorStopped, "actor " + name_ + " is stopped"});
}

ActorStats ActorCell::Snapshot() const {
  ActorStats s;
  s.id = id_;
  s.name = name_;
  s.type_name = type_name_;
  s.messages_in = counters_.messages_in.load(std::memory_order_relaxed);
  s.messages_out = counters_.messages_out.load(std::memory_order_relaxed);
  s.bytes_in = counters_.bytes_in.load(std::memory_order_relaxed);
  s.bytes_out = counters_.bytes_out.load(std::memory_order_relaxed);
  s.mailbox_depth = counters_.mailbox_depth.load(std::memory_order_relaxed);
  s.max_mailbox_depth = counters_.max_mailbox_depth.load(std::memory_order_relaxed);
  s.busy_ns = counters_.busy_ns.load(std::memory_order_relaxed);
  s.failures = counters_.failures.load(std::memory_order_relaxed);
  s.restarts = counters_.restarts.load(std::memory_order_relaxed);
  s.rejected = counters_.rejected.load(std::memory_order_relaxed);
  s.alive = !stopped();
  return s;
}

void ActorCell::StopOwnThread() {
  if (own_thread_) own_thread_->Stop();
}

}  // namespace detail

// ---- Actor and ActorContext ----

Actor::Actor() : context_(detail::ConstructingContext()) {}
Actor::~Actor() = default;

ActorContext& Actor::context() const {
  if (!context_) throw std::logic_error("actor used outside a runtime has no context");
  return *context_;
}

Runtime& ActorContext::runtime() const { return *cell_->runtime(); }
ActorId ActorContext::id() const { return cell_->id(); }
const std::string& ActorContext::name() const { return cell_->name(); }
ActorId ActorContext::sender() const { return cell_->current_sender(); }
uint64_t ActorContext::restarts() const {
  return cell_->counters().restarts.load(std::memory_order_relaxed);
}

bool ActorContext::virtual_time() const { return cell_->runtime()->virtual_clock() != nullptr; }

VirtualTime ActorContext::VirtualNow() const {
  auto* c = cell_->runtime()->virtual_clock();
  return c ? c->Now(*cell_) : VirtualTime(0);
}

VirtualTime ActorContext::MessageArrival() const {
  auto* c = cell_->runtime()->virtual_clock();
  return c ? c->CurrentArrival(*cell_) : kNoVirtualTime;
}

void ActorContext::Advance(VirtualTime d) const {
  if (auto* c = cell_->runtime()->virtual_clock()) c->Advance(*cell_, d);
}

void ActorContext::AdvanceTo(VirtualTime t) const {
  if (auto* c = cell_->runtime()->virtual_clock()) c->AdvanceTo(*cell_, t);
}

void ActorContext::SetWaiting(bool waiting) const {
  if (auto* c = cell_->runtime()->virtual_clock()) c->SetWaiting(*cell_, waiting);
}

TimerId ActorContext::After(std::chrono::nanoseconds delay, Task fn) const {
  if (auto* c = cell_->runtime()->virtual_clock(); c && c->IsOrdered(*cell_)) {
    // In virtual time an ordered actor's timer is a message to itself that
    // arrives `delay` after its clock: it is handled in arrival order like
    // any other (e.g. a deadline after the messages that beat it).
    auto m = std::make_unique<detail::TaskMessage>(std::move(fn), cell_->incarnation());
    m->sender = cell_->id();
    const auto [now, seq] = c->SendTime(cell_);
    m->seq = seq;
    m->arrival = now + delay;
    (void)c->Deliver(cell_->shared_from_this(), std::move(m));
    return 0;  // not cancellable
  }
  std::weak_ptr<detail::ActorCell> weak = cell_->shared_from_this();
  uint64_t inc = cell_->incarnation();
  auto shared = std::make_shared<Task>(std::move(fn));
  return cell_->runtime()->timers().Schedule(Clock::now() + delay, [weak, inc, shared]() mutable {
    if (auto c = weak.lock()) c->Post([shared] { (*shared)(); }, inc);
  });
}

bool ActorContext::CancelTimer(TimerId id) const { return cell_->runtime()->timers().Cancel(id); }

void ActorContext::Stop() const { cell_->RequestStop(); }

SpanRecorder& ActorContext::spans() const { return cell_->runtime()->spans(); }

void ActorContext::RecordSpan(std::string category, std::string span_name,
                              std::chrono::steady_clock::time_point start,
                              std::chrono::steady_clock::time_point end,
                              std::vector<SpanArg> args) const {
  spans().Record(cell_->name(), std::move(category), std::move(span_name), start, end,
                 std::move(args));
}

SpanRecorder::Scoped ActorContext::ScopedSpan(std::string category, std::string span_name) const {
  return SpanRecorder::Scoped(&spans(), cell_->name(), std::move(category), std::move(span_name));
}

}  // namespace olsgd::rt
