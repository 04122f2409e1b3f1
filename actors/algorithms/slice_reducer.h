// The bookkeeping of one reducer shard: it owns a contiguous slice of the
// parameter vector, collects the group's contributions for each round and
// has the algorithm's reducer half combine them in worker order, so results
// do not depend on arrival order. Pure (no actors, no threads) so it is
// testable on its own.
#ifndef OLSGD_ACTORS_ALGORITHMS_SLICE_REDUCER_H_
#define OLSGD_ACTORS_ALGORITHMS_SLICE_REDUCER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "actors/algorithms/algorithm.h"

namespace olsgd::actors {

class SliceReducer {
 public:
  // `half` combines complete rounds; `slice_size` floats per contribution.
  SliceReducer(std::unique_ptr<ReducerHalf> half, int workers, size_t slice_size);

  // Stores `worker`'s contribution to `round`. `lr` is the learning rate in
  // force at that boundary (SlowMo needs it). Returns true once all workers
  // of this round have contributed. Throws std::invalid_argument on a worker
  // index out of range, a duplicate contribution or a size mismatch.
  bool Add(int64_t round, int worker, std::span<const float> contribution, float lr);

  // Combines a complete round and forgets its contributions.
  // REQUIRES: Add(round, ...) returned true.
  std::vector<float> Reduce(int64_t round);

  // Removes a worker from the group (on_failure: continue); rounds it had not
  // yet contributed to no longer wait for it.
  void DropWorker(int worker);
  // Takes a dropped worker back (a restarted worker rejoining): rounds from
  // `from_round` on wait for it again; earlier ones still do not.
  void Readmit(int worker, int64_t from_round);
  // Whether `worker` belongs to the group for `round`: its contribution
  // counts and the round waits for it. A worker out of range never does.
  bool Counts(int worker, int64_t round) const;
  // Whether `worker` is in the group at all (not dropped).
  bool Member(int worker) const;
  // Rounds whose contributions are all in (after DropWorker), oldest first.
  std::vector<int64_t> CompleteRounds() const;
  // Forgets pending rounds before `round`: once a round is complete, every
  // member has moved past the earlier ones (a replaced reducer can be sent
  // leftovers of them that can never complete).
  void DiscardBefore(int64_t round);

  size_t slice_size() const { return slice_size_; }
  int live_workers() const;
  // The reducer half's state, for checkpoints.
  HalfState Save() const { return half_->Save(); }
  // Restores checkpointed state; pending contributions are dropped. Throws
  // std::invalid_argument when `s` does not fit the half.
  void Restore(const HalfState& s);

 private:
  struct Pending {
    std::vector<std::vector<float>> by_worker;  // empty = not yet arrived
    int arrived = 0;
    float lr = 0;
  };
  bool Complete(int64_t round, const Pending& p) const;

  std::unique_ptr<ReducerHalf> half_;
  size_t slice_size_;
  // By worker: the first round it belongs to; kDropped once it is gone.
  std::vector<int64_t> member_from_;
  std::map<int64_t, Pending> pending_;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ALGORITHMS_SLICE_REDUCER_H_
