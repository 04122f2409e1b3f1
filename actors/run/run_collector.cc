#include "actors/run/run_collector.h"

#include <algorithm>
#include <cmath>

namespace olsgd::actors {

RunCollector::RunCollector(const ExperimentSpec& spec, RunObserver& observer)
    : spec_(spec), observer_(observer) {
  const size_t m = static_cast<size_t>(spec.cluster.workers);
  finish_.resize(m);
  lost_.assign(m, false);
  last_round_.assign(m, 0);
  outcome_.final_models.resize(m);
}

void RunCollector::Seed(const RunHistory& history) {
  for (const RoundRecord& r : history.rounds) OnRound(r);
  for (const EvalRecord& e : history.evals) OnEval(e);
}

RunHistory RunCollector::History(int64_t last_round, int64_t last_eval_round) {
  std::lock_guard<std::mutex> lock(mu_);
  RunHistory h;
  for (const RoundRecord& r : rounds_) {
    if (r.round <= last_round) h.rounds.push_back(r);
  }
  for (const EvalRecord& e : outcome_.evals) {
    if (e.round <= last_eval_round) h.evals.push_back(e);
  }
  return h;
}

void RunCollector::OnRound(const RoundRecord& record) {
  observer_.OnRound(record);
  std::lock_guard<std::mutex> lock(mu_);
  rounds_.push_back(record);
  last_activity_ = std::chrono::steady_clock::now();
  if (record.worker >= 0 && static_cast<size_t>(record.worker) < last_round_.size()) {
    last_round_[record.worker] = record.round;
  }
}

double RunCollector::idle_seconds() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - last_activity_).count();
}

std::string RunCollector::progress() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string s;
  for (size_t w = 0; w < last_round_.size(); ++w) {
    if (lost_[w]) continue;
    s += (s.empty() ? "" : ", ") + ("trainer:" + std::to_string(w)) +
         (outcome_.final_models[w].empty() ? " finished round " + std::to_string(last_round_[w])
                                           : " done");
  }
  return s;
}

void RunCollector::OnEval(const EvalRecord& record) {
  observer_.OnEval(record);
  std::lock_guard<std::mutex> lock(mu_);
  outcome_.evals.push_back(record);
}

void RunCollector::OnProbe(ProbeRecord probe) {
  std::lock_guard<std::mutex> lock(mu_);
  outcome_.probes.push_back(std::move(probe));
}

void RunCollector::OnFinished(const FinishInfo& info, std::vector<float> final_model) {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_ || info.worker < 0 || static_cast<size_t>(info.worker) >= finish_.size()) return;
  if (lost_[info.worker]) return;
  last_activity_ = std::chrono::steady_clock::now();
  finish_[info.worker] = info;
  outcome_.final_models[info.worker] = std::move(final_model);
  interrupted_ = interrupted_ || info.interrupted;
  ++finished_workers_;
  MaybeFinishLocked();
}

void RunCollector::OnWorkersLost(const std::vector<int>& workers,
                                 const std::vector<std::string>& shards) {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_) return;
  for (int w : workers) {
    if (w < 0 || static_cast<size_t>(w) >= lost_.size() || lost_[w]) continue;
    if (!outcome_.final_models[w].empty()) continue;  // it had finished: nothing lost
    lost_[w] = true;
  }
  outcome_.summary.lost_shards.insert(outcome_.summary.lost_shards.end(), shards.begin(),
                                      shards.end());
  MaybeFinishLocked();
}

void RunCollector::OnWorkerRejoined(int worker, const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_ || worker < 0 || static_cast<size_t>(worker) >= lost_.size()) return;
  lost_[worker] = false;
  last_activity_ = std::chrono::steady_clock::now();
  outcome_.summary.recovery.push_back(what);
}

void RunCollector::OnRecovery(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  outcome_.summary.recovery.push_back(what);
}

std::vector<int> RunCollector::lost_workers() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> out;
  for (size_t w = 0; w < lost_.size(); ++w) {
    if (lost_[w]) out.push_back(static_cast<int>(w));
  }
  return out;
}

int RunCollector::live_workers() {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::count(lost_.begin(), lost_.end(), false));
}

void RunCollector::MaybeFinishLocked() {
  const int live = static_cast<int>(std::count(lost_.begin(), lost_.end(), false));
  if (finished_workers_ == live) FinishLocked();
}

void RunCollector::OnFailure(const std::string& why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_) return;
  failure_ = why;
  FinishLocked();
}

void RunCollector::FinishLocked() {
  RunSummary& s = outcome_.summary;
  s.status = !failure_.empty() ? "failed" : interrupted_ ? "interrupted" : "completed";
  s.failure = failure_;
  double blocked = 0, wall = 0;
  for (size_t i = 0; i < finish_.size(); ++i) {
    if (lost_[i]) continue;
    const FinishInfo& f = finish_[i];
    WorkerSummary w;
    w.worker = f.worker;
    w.compute_s = f.compute_s;
    w.blocked_s = f.blocked_s;
    w.wall_s = f.wall_s;
    w.blocked_share = f.wall_s > 0 ? f.blocked_s / f.wall_s : 0.0;
    w.bytes_out = f.bytes_out;
    w.bytes_in = f.bytes_in;
    w.blas_threads = f.blas_threads;
    s.workers.push_back(w);
    blocked += f.blocked_s;
    wall += f.wall_s;
    s.wall_s = std::max(s.wall_s, f.wall_s);
    s.iterations = std::max(s.iterations, f.iterations);
    s.rounds = std::max(s.rounds, f.rounds);
    s.bytes_moved += f.bytes_out + f.bytes_in;
  }
  s.blocked_share = wall > 0 ? blocked / wall : 0.0;
  for (const EvalRecord& e : outcome_.evals) {
    s.final_accuracy = e.test_accuracy;
    s.final_test_loss = e.test_loss;
    if (std::isnan(s.best_accuracy) || e.test_accuracy > s.best_accuracy) {
      s.best_accuracy = e.test_accuracy;
    }
    if (spec_.evaluation.target_accuracy > 0 && std::isnan(s.time_to_target_s) &&
        e.test_accuracy >= spec_.evaluation.target_accuracy) {
      s.time_to_target_s = e.wall_s;
    }
  }
  done_ = true;
  done_cv_.notify_all();
}

bool RunCollector::WaitDone(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return done_cv_.wait_for(lock, timeout, [this] { return done_; });
}

RunOutcome RunCollector::TakeOutcome() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::move(outcome_);
}

}  // namespace olsgd::actors
