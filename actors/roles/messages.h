// The small structured payloads that trainer, reducer and coordinator actors
// exchange. Float vectors never go in here: they travel as rt::Tensor
// arguments beside these, as raw frames.
#ifndef OLSGD_ACTORS_ROLES_MESSAGES_H_
#define OLSGD_ACTORS_ROLES_MESSAGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "actors/run/run_records.h"
#include "runtime/msgpack_safe.h"

namespace olsgd::actors {

// What accompanies a trainer's model snapshot at an evaluation round.
struct SnapshotInfo {
  int worker = 0;
  int64_t round = 0;
  int64_t iteration = 0;
  double epoch = 0;
  double wall_s = 0;      // when the snapshot was taken, since the run's start
  double train_loss = 0;  // mean over its local steps since the last snapshot
  double compute_s = 0;   // cumulative
  double blocked_s = 0;   // cumulative
  MSGPACK_DEFINE(worker, round, iteration, epoch, wall_s, train_loss, compute_s, blocked_s)
};

// A trainer's totals when it has run all its steps (or was stopped).
struct FinishInfo {
  int worker = 0;
  bool interrupted = false;
  int64_t iterations = 0;
  int64_t rounds = 0;
  double wall_s = 0, compute_s = 0, blocked_s = 0;
  uint64_t bytes_out = 0, bytes_in = 0;
  int blas_threads = 0;  // what openblas_get_num_threads() said in its process
  MSGPACK_DEFINE(worker, interrupted, iterations, rounds, wall_s, compute_s, blocked_s, bytes_out,
                 bytes_in, blas_threads)
};

// Vectors recorded for tests that check the algorithms' math on real runs
// (RunOptions::record_vectors): what a worker had and did at a boundary.
struct ProbeInfo {
  int worker = 0;
  int64_t round = 0;
  std::string what;  // x_before | received | x_after | contribution
  MSGPACK_DEFINE(worker, round, what)
};

// A trainer's answer to TrainerActor::PauseAt(R): `paused` and round R, or
// not paused and the latest round it has ended (it was past R already, had
// finished, or R is its last round).
struct PauseReply {
  bool paused = false;
  int64_t round = 0;
  MSGPACK_DEFINE(paused, round)
};

// A trainer's state for a checkpoint of round `round`, as of the moment
// right after it sent its round-`round` contribution (see ACTORS.md,
// "Checkpoints"). Its float arrays travel beside it, in the order of
// TrainerArray.
struct TrainerState {
  int worker = 0;
  int64_t round = 0;
  int64_t step = 0;           // local steps applied
  int64_t samples_drawn = 0;  // the batch sampler's position
  bool momentum_initialized = false;
  bool half_first = true;     // the algorithm's worker half: no boundary applied yet
  std::string straggler_rng;  // the straggler model's generator, as text
  double since_origin_s = 0;  // when it was taken, on the run's clock
  double elapsed_s = 0;       // since this trainer started (its wall time)
  RoundRecord round_in_progress;
  double total_compute_s = 0, total_blocked_s = 0;
  uint64_t total_bytes_out = 0, total_bytes_in = 0;
  double loss_sum = 0;  // since the last evaluation
  int64_t loss_count = 0;
  int64_t last_eval_sent = 0;
  MSGPACK_DEFINE(worker, round, step, samples_drawn, momentum_initialized, half_first,
                 straggler_rng, since_origin_s, elapsed_s, round_in_progress, total_compute_s,
                 total_blocked_s, total_bytes_out, total_bytes_in, loss_sum, loss_count,
                 last_eval_sent)
};
enum TrainerArray : int {
  kTrainerParams = 0,  // x
  kTrainerMomentum,    // the optimiser's momentum buffer
  kTrainerHalf0,       // the algorithm's worker half: its arrays (HalfState), empty if unused
  kTrainerHalf1,
  kTrainerArrays
};

// A reducer shard's state for a checkpoint of round `round`, as of the moment
// it completed that round and sent the result. Arrays in ReducerArray order.
struct ReducerState {
  int shard = 0;
  int64_t round = 0;
  bool half_first = true;  // the algorithm's reducer half: no update applied yet
  MSGPACK_DEFINE(shard, round, half_first)
};
enum ReducerArray : int {
  kReducerResult = 0,  // the round's result, as sent to every trainer
  kReducerHalf0,       // the algorithm's reducer half: its arrays (HalfState), empty if unused
  kReducerHalf1,
  kReducerArrays
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ROLES_MESSAGES_H_
