// The small structured payloads that trainer, reducer and coordinator actors
// exchange. Float vectors never go in here: they travel as rt::Tensor
// arguments beside these, as raw frames.
#ifndef OLSGD_ACTORS_MESSAGES_H_
#define OLSGD_ACTORS_MESSAGES_H_

#include "runtime/msgpack_safe.h"

#include <cstdint>
#include <string>

namespace olsgd::actors {

// A trainer's timings and traffic for one round (see RoundRecord).
struct RoundReport {
  int worker = 0;
  int64_t round = 0;
  double start_s = 0, end_s = 0;
  double compute_s = 0, blocked_s = 0, injected_delay_s = 0;
  uint64_t messages_out = 0, bytes_out = 0, messages_in = 0, bytes_in = 0;
  MSGPACK_DEFINE(worker, round, start_s, end_s, compute_s, blocked_s, injected_delay_s,
                 messages_out, bytes_out, messages_in, bytes_in)
};

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
  MSGPACK_DEFINE(worker, interrupted, iterations, rounds, wall_s, compute_s, blocked_s,
                 bytes_out, bytes_in)
};

// Vectors recorded for tests that check the algorithms' math on real runs
// (RunOptions::record_vectors): what a worker had and did at a boundary.
struct ProbeInfo {
  int worker = 0;
  int64_t round = 0;
  std::string what;  // x_before | received | x_after | contribution
  MSGPACK_DEFINE(worker, round, what)
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_MESSAGES_H_
