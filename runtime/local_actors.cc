#include "runtime/local_actors.h"

#include "runtime/runtime.h"

namespace olsgd::rt::detail {

Result<std::shared_ptr<ActorCell>> LocalActors::Spawn(ActorId id, const SpawnOptions& options,
                                                      const std::string& type_name,
                                                      ActorCell::Factory factory,
                                                      RemoteFinder finder) {
  std::unique_ptr<WorkerPool> own;
  if (options.dedicated_thread) {
    std::string tname = options.name.empty() ? type_name : options.name;
    own = std::make_unique<WorkerPool>(1, tname, spin_iterations_);
  }
  auto cell = std::make_shared<ActorCell>(rt_, id, options.name, type_name, options.restart,
                                          std::move(factory), finder, pool_, std::move(own));
  Status s = cell->Construct();
  if (!s.ok()) {
    cell->StopOwnThread();
    return s.error();
  }
  if (VirtualClock* vclock = rt_->virtual_clock()) {
    vclock->Register(*cell, options.virtual_role, options.ingress_bytes_per_s);
  }
  {
    WriterMutexLock lock(mu_);
    cells_[id] = cell;
  }
  cell->Start();
  return cell;
}

void LocalActors::Abandon(const std::shared_ptr<ActorCell>& cell) {
  cell->RequestStop();
  cell->WaitStopped(std::chrono::milliseconds(10000));
  cell->StopOwnThread();
  WriterMutexLock lock(mu_);
  cells_.erase(cell->id());  // `cell` keeps it alive past the lock
}

std::shared_ptr<ActorCell> LocalActors::Find(ActorId id) const {
  ReaderMutexLock lock(mu_);
  auto it = cells_.find(id);
  return it == cells_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<ActorCell>> LocalActors::All() const {
  std::vector<std::shared_ptr<ActorCell>> out;
  ReaderMutexLock lock(mu_);
  for (const auto& [id, c] : cells_) out.push_back(c);
  return out;
}

void LocalActors::Clear() {
  std::unordered_map<ActorId, std::shared_ptr<ActorCell>> cells;
  {
    WriterMutexLock lock(mu_);
    cells.swap(cells_);
  }
  // A cell whose last reference was the map dies here, outside the lock.
}

}  // namespace olsgd::rt::detail
