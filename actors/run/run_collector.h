// RunCollector: the in-process end of a run on the node that started it. The
// coordinator actor hands it records; it forwards them to the RunObserver,
// keeps what the summary needs, and tells RunExperiment when the run is over.
#ifndef OLSGD_ACTORS_RUN_RUN_COLLECTOR_H_
#define OLSGD_ACTORS_RUN_RUN_COLLECTOR_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "actors/roles/messages.h"
#include "actors/run/run_records.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

// A vector a trainer recorded at a boundary (RunOptions::record_vectors).
struct ProbeRecord {
  int worker = 0;
  int64_t round = 0;
  std::string what;
  std::vector<float> values;
};

// The records a run has produced so far: what a checkpoint keeps so that a
// resumed run's outputs hold the whole history.
struct RunHistory {
  std::vector<RoundRecord> rounds;
  std::vector<EvalRecord> evals;
};

// What a run's checkpoints came to (RunOptions / cluster.checkpoint_every_rounds).
struct CheckpointReport {
  int64_t latest_round = 0;  // the latest complete checkpoint; 0 = none
  int written = 0;           // written to disk
  uint64_t last_bytes = 0;
  double last_write_s = 0;
  std::string last_folder;
  std::string error;  // the last write error, or ""
};

// Everything a finished run leaves behind, for the CLI and for tests.
struct RunOutcome {
  RunSummary summary;
  std::vector<EvalRecord> evals;
  std::vector<std::vector<float>> final_models;  // by worker
  std::vector<ProbeRecord> probes;
  CheckpointReport checkpoints;
};

class RunCollector {
 public:
  RunCollector(const ExperimentSpec& spec, RunObserver& observer);

  // A resumed run: hands the earlier history to the observer (so its files
  // hold the whole run) and keeps it. Call before the actors start.
  void Seed(const RunHistory& history);
  // The round records of rounds <= `last_round` and the evaluations of
  // rounds <= `last_eval_round`, in arrival order.
  RunHistory History(int64_t last_round, int64_t last_eval_round);

  // Called on the coordinator's thread.
  void OnRound(const RoundRecord& record);
  void OnEval(const EvalRecord& record);
  void OnProbe(ProbeRecord probe);
  // Worker `info.worker` is done; the run ends when every worker is.
  void OnFinished(const FinishInfo& info, std::vector<float> final_model);
  // The run cannot go on (e.g. an actor failed); ends it with status failed.
  void OnFailure(const std::string& why);
  // on_failure: continue. These workers are gone; the run ends when every
  // other worker has finished. `shards` describes the data lost with them.
  void OnWorkersLost(const std::vector<int>& workers, const std::vector<std::string>& shards);
  // A lost worker is back (a restarted worker took its place): the run
  // waits for it to finish again. `what` goes to the summary's recovery list.
  void OnWorkerRejoined(int worker, const std::string& what);
  // Any other recovery step (a re-created reducer shard), for the summary.
  void OnRecovery(const std::string& what);
  // Workers not lost.
  int live_workers();
  // The workers lost and not (yet) back, in index order.
  std::vector<int> lost_workers();

  // Seconds since a trainer last reported a round or finished (or since the
  // collector was made), on the steady clock.
  double idle_seconds();
  // The last round each worker reported ("trainer:0 round 12, ...").
  std::string progress();

  // Waits up to `timeout` for the run to end; true if it has.
  bool WaitDone(std::chrono::milliseconds timeout);
  // REQUIRES: WaitDone returned true.
  RunOutcome TakeOutcome();

 private:
  void FinishLocked();
  void MaybeFinishLocked();

  const ExperimentSpec& spec_;
  RunObserver& observer_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  int finished_workers_ = 0;
  std::vector<bool> lost_;
  std::chrono::steady_clock::time_point last_activity_ = std::chrono::steady_clock::now();
  std::vector<int64_t> last_round_;
  bool interrupted_ = false;
  std::string failure_;
  std::vector<FinishInfo> finish_;
  std::vector<RoundRecord> rounds_;
  RunOutcome outcome_;
};

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_RUN_RUN_COLLECTOR_H_
