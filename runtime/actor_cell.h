// ActorCell: the runtime's side of one actor: mailbox, scheduling state,
// the actor object (re-created on restart), counters.
//
// Mailbox: a mutex-protected vector that the running thread swaps out whole,
// so a burst of messages costs one lock per message for senders and one per
// batch for the actor. A cell is scheduled on its executor only when it goes
// from idle to non-empty (wake-ups are batched).
#ifndef OLSGD_RUNTIME_ACTOR_CELL_H_
#define OLSGD_RUNTIME_ACTOR_CELL_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/actor.h"
#include "runtime/method_table.h"
#include "runtime/mutex.h"
#include "runtime/stats.h"
#include "runtime/virtual_time.h"
#include "runtime/worker_pool.h"

namespace olsgd::rt::detail {

class ActorCell;

// One queued message. Run executes it on the actor's thread and returns false
// if actor code threw. Reject completes a pending reply when the actor is gone.
class Message {
 public:
  virtual ~Message() = default;
  virtual bool Run(ActorCell& cell) = 0;
  virtual void Reject(const Error& e) { (void)e; }
  ActorId sender;
  uint64_t bytes = 0;
  // Virtual time (virtual_time.h): when it arrives, the sender's sequence
  // number (the tie rule), and how the VirtualClock handed it over.
  VirtualTime arrival = kNoVirtualTime;
  uint64_t seq = 0;
  bool tracked = false;  // counted in a self-clocked actor's queue
  bool held = false;     // released by the clock to an ordered actor
};

// Runs a plain task in the actor's context (timers, Then callbacks), only if
// the actor is still the incarnation that asked for it.
class TaskMessage final : public Message {
 public:
  TaskMessage(Task t, uint64_t incarnation) : task_(std::move(t)), incarnation_(incarnation) {}
  bool Run(ActorCell& cell) override;

 private:
  Task task_;
  uint64_t incarnation_;
};

// Looks up a remote method by name.
using RemoteFinder = const RemoteInvoker* (*)(std::string_view name);

class ActorCell : public std::enable_shared_from_this<ActorCell> {
 public:
  using Factory = std::function<std::unique_ptr<Actor>()>;

  ActorCell(Runtime* rt, ActorId id, std::string name, std::string type_name, RestartPolicy restart,
            Factory factory, RemoteFinder remote_finder, WorkerPool* executor,
            std::unique_ptr<WorkerPool> own_thread);
  ~ActorCell();

  // Builds the actor (in the calling thread). Errors: the constructor threw.
  Status Construct();
  // Queues OnStart as the first message.
  void Start();
  // Queues a message; false (and m->Reject, outside the lock) if the actor
  // is stopped.
  bool Enqueue(std::unique_ptr<Message> m) EXCLUDES(mu_);
  // Queues `t` to run in this actor's context if it is still `incarnation`.
  bool Post(Task t, uint64_t incarnation) EXCLUDES(mu_);
  // Asks the actor to stop once the messages queued so far are done; OnStop
  // runs, later messages are rejected with kActorStopped.
  void RequestStop() EXCLUDES(mu_);
  // Blocks until stopped (or the timeout passes). True if stopped.
  bool WaitStopped(std::chrono::milliseconds timeout) EXCLUDES(mu_);

  // Executor entry point.
  void RunBatch() EXCLUDES(mu_);

  Runtime* runtime() const { return rt_; }
  ActorId id() const { return id_; }
  const std::string& name() const { return name_; }  // display name
  const std::string& registered_name() const { return registered_name_; }
  const std::string& type_name() const { return type_name_; }
  uint64_t incarnation() const { return incarnation_.load(std::memory_order_acquire); }
  bool stopped() const { return state_.load(std::memory_order_acquire) == State::kStopped; }
  ActorContext& context() { return context_; }
  Actor* actor() const { return actor_.get(); }  // only on the actor's thread
  RemoteFinder finder() const { return finder_; }
  ActorId current_sender() const { return current_sender_; }
  ActorCounters& counters() { return counters_; }
  ActorStats Snapshot() const;
  // Virtual time only: the state VirtualClock keeps for this actor (guarded
  // by the clock's lock), nullptr on the wall clock.
  VirtualActorState* virtual_state() const { return virtual_.get(); }
  void set_virtual_state(std::unique_ptr<VirtualActorState> s) { virtual_ = std::move(s); }
  WorkerPool* own_thread() const { return own_thread_.get(); }
  void StopOwnThread();

 private:
  friend class ScheduleBatch;
  enum class State { kRunning, kStopping, kStopped };
  void Schedule() EXCLUDES(mu_);
  void HandleFailure();
  void DoStop(bool call_on_stop) EXCLUDES(mu_);
  friend class StopMessage;
  friend class StartMessage;
  void RejectAll(std::vector<std::unique_ptr<Message>>& msgs, const Error& e);

  Runtime* rt_;
  ActorId id_;
  std::string name_, registered_name_, type_name_;
  RestartPolicy restart_;
  Factory factory_;
  RemoteFinder finder_;
  WorkerPool* executor_;
  std::unique_ptr<WorkerPool> own_thread_;
  ActorContext context_;
  std::unique_ptr<Actor> actor_;
  std::atomic<uint64_t> incarnation_{0};
  ActorId current_sender_;

  Mutex mu_{LockRank::kActorCell};
  CondVar stopped_cv_;                                           // state_ became kStopped
  std::vector<std::unique_ptr<Message>> queue_ GUARDED_BY(mu_);  // the mailbox
  std::vector<std::unique_ptr<Message>> batch_;  // only touched by the running thread
  bool scheduled_ GUARDED_BY(mu_) = false;       // on its executor's queue or running
  bool stop_requested_ GUARDED_BY(mu_) = false;  // a StopMessage is queued
  // Written under mu_ (so Enqueue and WaitStopped see it change in order);
  // read without it by the running thread and by stopped().
  std::atomic<State> state_{State::kRunning};
  ActorCounters counters_;
  std::unique_ptr<VirtualActorState> virtual_;
};

// Defers the executor wake-ups that Enqueue on this thread would make until
// the batch is flushed. The I/O thread opens one around each drain of its
// socket, so a burst of N messages for an idle actor costs one hand-off to
// the pool (one futex wake, one context switch) instead of up to N. Only the
// wake-up is deferred: messages are in the mailbox, in order, at once.
class ScheduleBatch {
 public:
  ScheduleBatch() = default;
  ~ScheduleBatch() { Flush(); }
  ScheduleBatch(const ScheduleBatch&) = delete;
  ScheduleBatch& operator=(const ScheduleBatch&) = delete;
  void Add(std::shared_ptr<ActorCell> cell) { cells_.push_back(std::move(cell)); }
  // Schedules every deferred cell (in the order they became runnable).
  void Flush();

 private:
  std::vector<std::shared_ptr<ActorCell>> cells_;
};
// The batch Enqueue defers into on this thread (nullptr: schedule at once).
ScheduleBatch*& CurrentScheduleBatch();

// The cell whose message runs on this thread (nullptr outside actors).
ActorCell*& CurrentCell();
// The runtime the current thread works for (actor, pool, I/O or timer
// thread), used to revive ActorHandles from msgpack; nullptr elsewhere.
Runtime*& CurrentRuntime();
class RuntimeScope {
 public:
  explicit RuntimeScope(Runtime* rt) : saved_(CurrentRuntime()) { CurrentRuntime() = rt; }
  ~RuntimeScope() { CurrentRuntime() = saved_; }
  RuntimeScope(const RuntimeScope&) = delete;
  RuntimeScope& operator=(const RuntimeScope&) = delete;

 private:
  Runtime* saved_;
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_ACTOR_CELL_H_
