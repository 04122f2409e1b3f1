#include "actors/checkpoint/checkpoint_history.h"

namespace olsgd::actors {
namespace {

RoundReport ToMsg(const RoundRecord& r) {
  return {r.worker,           r.round,        r.start_s,   r.end_s,       r.compute_s, r.blocked_s,
          r.injected_delay_s, r.messages_out, r.bytes_out, r.messages_in, r.bytes_in};
}
RoundRecord FromMsg(const RoundReport& r) {
  return {r.worker,           r.round,        r.start_s,   r.end_s,       r.compute_s, r.blocked_s,
          r.injected_delay_s, r.messages_out, r.bytes_out, r.messages_in, r.bytes_in};
}
EvalMsg ToMsg(const EvalRecord& e) {
  EvalMsg m{e.wall_s,
            e.epoch,
            e.iteration,
            e.round,
            e.train_loss,
            e.test_loss,
            e.test_accuracy,
            e.anchor_test_loss,
            e.anchor_test_accuracy,
            {}};
  for (const WorkerEvalRow& w : e.workers) {
    m.workers.push_back({w.worker, w.train_loss, w.compute_s, w.blocked_s});
  }
  return m;
}
EvalRecord FromMsg(const EvalMsg& m) {
  EvalRecord e;
  e.wall_s = m.wall_s;
  e.epoch = m.epoch;
  e.iteration = m.iteration;
  e.round = m.round;
  e.train_loss = m.train_loss;
  e.test_loss = m.test_loss;
  e.test_accuracy = m.test_accuracy;
  e.anchor_test_loss = m.anchor_test_loss;
  e.anchor_test_accuracy = m.anchor_test_accuracy;
  for (const WorkerEvalMsg& w : m.workers) {
    e.workers.push_back({w.worker, w.train_loss, w.compute_s, w.blocked_s});
  }
  return e;
}

}  // namespace

HistoryMsg ToMsg(const RunHistory& history) {
  HistoryMsg m;
  for (const RoundRecord& r : history.rounds) m.rounds.push_back(ToMsg(r));
  for (const EvalRecord& e : history.evals) m.evals.push_back(ToMsg(e));
  return m;
}

RunHistory FromMsg(const HistoryMsg& msg) {
  RunHistory h;
  for (const RoundReport& r : msg.rounds) h.rounds.push_back(FromMsg(r));
  for (const EvalMsg& e : msg.evals) h.evals.push_back(FromMsg(e));
  return h;
}

}  // namespace olsgd::actors
