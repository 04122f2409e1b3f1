// A run's history (round records and evaluations) in msgpack form, for the
// checkpoint's history.bin; run_records.h stays free of msgpack.
#ifndef OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_HISTORY_H_
#define OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_HISTORY_H_

#include <cstdint>
#include <vector>

#include "actors/roles/messages.h"
#include "actors/run/run_collector.h"
#include "runtime/msgpack_safe.h"

namespace olsgd::actors {

struct WorkerEvalMsg {
  int worker = 0;
  double train_loss = 0, compute_s = 0, blocked_s = 0;
  MSGPACK_DEFINE(worker, train_loss, compute_s, blocked_s)
};

struct EvalMsg {
  double wall_s = 0, epoch = 0;
  int64_t iteration = 0, round = 0;
  double train_loss = 0, test_loss = 0, test_accuracy = 0;
  double anchor_test_loss = 0, anchor_test_accuracy = 0;
  std::vector<WorkerEvalMsg> workers;
  MSGPACK_DEFINE(wall_s, epoch, iteration, round, train_loss, test_loss, test_accuracy,
                 anchor_test_loss, anchor_test_accuracy, workers)
};

// RoundReport carries exactly RoundRecord's fields.
struct HistoryMsg {
  std::vector<RoundReport> rounds;
  std::vector<EvalMsg> evals;
};

HistoryMsg ToMsg(const RunHistory& history);
RunHistory FromMsg(const HistoryMsg& msg);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_HISTORY_H_
