#include "actors/checkpoint/checkpoint_store.h"

#include <chrono>

#include "runtime/log.h"

namespace olsgd::actors {

CheckpointStore::CheckpointStore(ExperimentSpec spec, std::string dir, int keep)
    : spec_(std::move(spec)),
      overlapped_(AlgorithmOf(spec_).overlapped()),
      dir_(std::move(dir)),
      keep_(std::max(keep, 1)) {}

CheckpointStore::Pending& CheckpointStore::PendingFor(int64_t round) {
  // Parts of one round arrive within a round or two of each other. Many
  // incomplete rounds mean a part will never come (a worker lost under
  // on_failure: continue): forget the oldest rather than hold every copy.
  constexpr size_t kMaxPending = 8;
  if (pending_.size() >= kMaxPending && pending_.count(round) == 0) {
    if (!warned_incomplete_) {
      warned_incomplete_ = true;
      rt::Log().warn(
          "checkpoint of round {} will not complete: {} of its {} parts arrived (a lost "
          "worker's part never comes); incomplete checkpoints are dropped from now on",
          pending_.begin()->first, pending_.begin()->second.arrived,
          spec_.cluster.workers + spec_.algorithm.reducer_shards);
    }
    pending_.erase(pending_.begin());
  }
  Pending& p = pending_[round];
  if (p.ckpt.trainers.empty()) {
    p.ckpt.round = round;
    p.ckpt.trainers.resize(static_cast<size_t>(spec_.cluster.workers));
    p.ckpt.reducers.resize(static_cast<size_t>(spec_.algorithm.reducer_shards));
  }
  return p;
}

std::optional<int64_t> CheckpointStore::Arrived(int64_t round) {
  Pending& p = pending_.at(round);
  ++p.arrived;
  if (p.arrived < spec_.cluster.workers + spec_.algorithm.reducer_shards) return std::nullopt;
  return round;
}

std::optional<int64_t> CheckpointStore::AddTrainerPart(TrainerPart part) {
  std::lock_guard<std::mutex> lock(mu_);
  const int w = part.state.worker;
  if (w < 0 || w >= spec_.cluster.workers) {
    rt::Log().warn("checkpoint: part from unknown worker {} ignored", w);
    return std::nullopt;
  }
  const int64_t round = part.state.round;
  Pending& p = PendingFor(round);
  if (!p.ckpt.trainers[w].arrays.empty()) return std::nullopt;  // duplicate
  p.ckpt.trainers[w] = std::move(part);
  return Arrived(round);
}

std::optional<int64_t> CheckpointStore::AddReducerPart(ReducerPart part) {
  std::lock_guard<std::mutex> lock(mu_);
  const int j = part.state.shard;
  if (j < 0 || j >= spec_.algorithm.reducer_shards) {
    rt::Log().warn("checkpoint: part from unknown reducer shard {} ignored", j);
    return std::nullopt;
  }
  const int64_t round = part.state.round;
  Pending& p = PendingFor(round);
  if (!p.ckpt.reducers[j].arrays.empty()) return std::nullopt;  // duplicate
  p.ckpt.reducers[j] = std::move(part);
  return Arrived(round);
}

int64_t CheckpointStore::LastRecordedRound(int64_t round) const {
  return overlapped_ ? round : round - 1;
}

void CheckpointStore::Commit(int64_t round, RunHistory history) {
  std::lock_guard<std::mutex> lock(mu_);
  if (sealed_) {
    rt::Log().debug("checkpoint of round {} completed after the run ended; not kept", round);
    return;
  }
  auto it = pending_.find(round);
  if (it == pending_.end()) return;
  auto ckpt = std::make_shared<Checkpoint>(std::move(it->second.ckpt));
  ckpt->history = std::move(history);
  // Older rounds can no longer complete (every actor sends its parts in order).
  pending_.erase(pending_.begin(), std::next(it));
  latest_ = std::move(ckpt);
  latest_on_disk_ = false;
  if (dir_.empty()) return;
  try {
    WriteLocked();
  } catch (const CheckpointError& e) {
    stats_.last_error = e.what();
    rt::Log().error("checkpoint of round {} not written: {}", round, e.what());
  }
}

void CheckpointStore::Seal() {
  std::lock_guard<std::mutex> lock(mu_);
  sealed_ = true;
}

void CheckpointStore::WriteLocked() {
  const auto begin = std::chrono::steady_clock::now();
  uint64_t bytes = 0;
  stats_.last_folder = WriteCheckpoint(dir_, *latest_, spec_, &bytes);
  PruneCheckpoints(dir_, keep_);
  latest_on_disk_ = true;
  stats_.written += 1;
  stats_.last_bytes = bytes;
  stats_.last_write_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  stats_.last_error.clear();
}

std::string CheckpointStore::WriteLatest() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!latest_) return "";
  if (dir_.empty())
    throw CheckpointError("checkpoint: no folder to write to (RunOptions::checkpoint_dir)");
  if (!latest_on_disk_) WriteLocked();
  return stats_.last_folder;
}

std::shared_ptr<const Checkpoint> CheckpointStore::latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

std::optional<int64_t> CheckpointStore::latest_round() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!latest_) return std::nullopt;
  return latest_->round;
}

std::optional<ReducerPart> CheckpointStore::LatestReducer(int shard) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!latest_ || shard < 0 || static_cast<size_t>(shard) >= latest_->reducers.size()) {
    return std::nullopt;
  }
  return latest_->reducers[static_cast<size_t>(shard)];
}

CheckpointStore::Stats CheckpointStore::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace olsgd::actors
