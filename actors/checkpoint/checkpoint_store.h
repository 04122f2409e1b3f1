// CheckpointStore: the head's end of checkpoints. The coordinator hands it
// the parts the trainers and reducer shards send at a checkpoint round; when
// a round has all of them it becomes the latest checkpoint, kept in memory
// and (with a folder) written to disk atomically (checkpoint_format.h),
// keeping the newest few. Thread-safe: the coordinator adds parts on its
// thread, a failure policy may read or force a write from another.
#ifndef OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_STORE_H_
#define OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "actors/algorithms/algorithm.h"
#include "actors/checkpoint/checkpoint_format.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

class CheckpointStore {
 public:
  // `dir` = where round folders go ("" = keep the latest in memory only);
  // `keep` = how many round folders stay on disk.
  CheckpointStore(ExperimentSpec spec, std::string dir, int keep = 2);

  // A part arrived. Returns the round it completed, if it did; the caller
  // then calls Commit with the run's history up to LastRecordedRound.
  std::optional<int64_t> AddTrainerPart(TrainerPart part);
  std::optional<int64_t> AddReducerPart(ReducerPart part);

  // The last round whose round records and evaluation belong in a checkpoint
  // of `round`: `round` for overlapped algorithms (their trainers have ended
  // it), `round - 1` for sync_sgd and local_sgd (they wait for its result).
  int64_t LastRecordedRound(int64_t round) const;

  // Makes the completed `round` the latest checkpoint and writes it when the
  // store has a folder. A write error is logged and kept in stats(); the run
  // goes on.
  // After Seal, does nothing.
  void Commit(int64_t round, RunHistory history);

  // The run is over: later commits are ignored. The run loop seals the
  // store before it takes the run's outcome, so that a checkpoint the
  // coordinator completes in the meantime can neither be written with the
  // history already handed over (an empty one) nor differ from the report.
  void Seal();

  // Forces the latest checkpoint to disk (e.g. before an abort) unless it is
  // there already; returns its folder, or "" when no checkpoint is complete
  // yet. Throws CheckpointError when the store has no folder or writing fails.
  std::string WriteLatest();

  // The latest complete checkpoint, or null.
  std::shared_ptr<const Checkpoint> latest() const;
  std::optional<int64_t> latest_round() const;
  // Shard `shard`'s state in the latest checkpoint (to re-create a reducer:
  // ReducerActor::Restore takes exactly this), or nullopt.
  std::optional<ReducerPart> LatestReducer(int shard) const;

  struct Stats {
    int written = 0;          // checkpoints written to disk
    uint64_t last_bytes = 0;  // size of the last one written
    double last_write_s = 0;  // how long writing it took (fsyncs included)
    std::string last_folder;  // where it went
    std::string last_error;   // the last write error, or ""
  };
  Stats stats() const;
  const std::string& dir() const { return dir_; }

 private:
  struct Pending {
    Checkpoint ckpt;
    int arrived = 0;
  };
  std::optional<int64_t> Arrived(int64_t round);
  Pending& PendingFor(int64_t round);
  void WriteLocked();

  const ExperimentSpec spec_;
  const bool overlapped_;  // the algorithm's flow (see LastRecordedRound)
  const std::string dir_;
  const int keep_;
  mutable std::mutex mu_;
  std::map<int64_t, Pending> pending_;
  bool warned_incomplete_ = false;
  std::shared_ptr<const Checkpoint> latest_;
  bool latest_on_disk_ = false;
  bool sealed_ = false;
  Stats stats_;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_STORE_H_
