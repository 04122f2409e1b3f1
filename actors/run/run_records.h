// What a run reports while it trains and when it ends. Trainers send their
// RoundRecords to the coordinator, which fills in the rest; checkpoints keep
// them (msgpack); cli/ turns them into metrics.csv, rounds.csv, summary.json,
// plots and the progress display. Times are seconds since the run started.
#ifndef OLSGD_ACTORS_RUN_RUN_RECORDS_H_
#define OLSGD_ACTORS_RUN_RUN_RECORDS_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "runtime/msgpack_safe.h"

namespace olsgd::actors {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// One worker's timings for one round (tau local steps and the boundary).
struct RoundRecord {
  int worker = 0;
  int64_t round = 0;
  double start_s = 0;
  double end_s = 0;
  double compute_s = 0;         // local steps, injected straggler delay included
  double blocked_s = 0;         // waiting for communication, measured
  double injected_delay_s = 0;  // straggler delay injected this round
  uint64_t messages_out = 0;
  uint64_t bytes_out = 0;
  uint64_t messages_in = 0;
  uint64_t bytes_in = 0;
  MSGPACK_DEFINE(worker, round, start_s, end_s, compute_s, blocked_s, injected_delay_s,
                 messages_out, bytes_out, messages_in, bytes_in)
};

// One worker's state at an evaluation.
struct WorkerEvalRow {
  int worker = 0;
  double train_loss = kNoValue;  // mean loss of its local steps since the last evaluation
  double compute_s = 0;          // cumulative
  double blocked_s = 0;          // cumulative
  MSGPACK_DEFINE(worker, train_loss, compute_s, blocked_s)
};

// One evaluation of the averaged model (and of the anchor, where there is one).
struct EvalRecord {
  double wall_s = 0;
  double epoch = 0;
  int64_t iteration = 0;  // local steps per worker so far
  int64_t round = 0;
  double train_loss = kNoValue;  // mean over workers
  double test_loss = kNoValue;   // mean of the workers' local models
  double test_accuracy = kNoValue;
  double anchor_test_loss = kNoValue;  // NaN when the algorithm has no anchor
  double anchor_test_accuracy = kNoValue;
  std::vector<WorkerEvalRow> workers;
  MSGPACK_DEFINE(wall_s, epoch, iteration, round, train_loss, test_loss, test_accuracy,
                 anchor_test_loss, anchor_test_accuracy, workers)
};

struct WorkerSummary {
  int worker = 0;
  double compute_s = 0;
  double blocked_s = 0;
  double wall_s = 0;
  double blocked_share = 0;  // blocked_s / wall_s
  uint64_t bytes_out = 0;
  uint64_t bytes_in = 0;
  int blas_threads = 0;  // OpenBLAS threads in force in the trainer's process
};

struct RunSummary {
  std::string status = "completed";  // completed | interrupted | failed
  std::string failure;               // why, when status != completed
  std::string time_mode;             // "virtual" or "wall": the clock of every time here
  double wall_s = 0;                 // the run's duration on that clock (simulated if virtual)
  double host_s = 0;                 // what the run took on this host's clock
  int64_t iterations = 0;
  int64_t rounds = 0;
  double final_accuracy = kNoValue;
  double best_accuracy = kNoValue;
  double final_test_loss = kNoValue;
  double time_to_target_s = kNoValue;  // NaN if never reached or no target
  double blocked_share = 0;            // overall: sum blocked / sum wall
  uint64_t bytes_moved = 0;
  std::vector<WorkerSummary> workers;
  std::vector<std::string> lost_shards;  // on_failure: continue
  // on_failure: continue: reducer shards re-created and workers that rejoined.
  std::vector<std::string> recovery;
};

// Receives records as the run produces them, on the coordinator's thread.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void OnRound(const RoundRecord&) {}
  virtual void OnEval(const EvalRecord&) {}
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_RUN_RECORDS_H_
