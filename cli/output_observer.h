// The RunObserver the `run` and `compare` commands hand to RunExperiment: it
// appends metrics.csv and rounds.csv as records arrive (flushed per record),
// keeps the evaluations for the summary and the plots, and feeds the progress
// display.
#ifndef OLSGD_CLI_OUTPUT_OBSERVER_H_
#define OLSGD_CLI_OUTPUT_OBSERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "actors/run/run_records.h"
#include "cli/output_csv.h"
#include "cli/progress_display.h"

namespace olsgd::cli {

// Records one run into its folder.
class RunRecorder : public actors::RunObserver {
 public:
  // Creates `dir`/metrics.csv and `dir`/rounds.csv with their headers;
  // `clock` ("virtual" or "wall") labels their rows. `progress` may be null.
  // Throws std::runtime_error if a file cannot be made.
  RunRecorder(const std::string& dir, std::string clock, ProgressDisplay* progress);

  void OnRound(const actors::RoundRecord& round) override;
  void OnEval(const actors::EvalRecord& eval) override;

  // Every evaluation so far, in order.
  const std::vector<actors::EvalRecord>& evals() const { return evals_; }
  // The first write error, or "" (writing stops after one; the run goes on).
  const std::string& write_error() const { return write_error_; }

 private:
  std::unique_ptr<CsvFile> metrics_;
  std::unique_ptr<CsvFile> rounds_;
  std::string clock_;
  ProgressDisplay* progress_;
  std::vector<actors::EvalRecord> evals_;
  std::string write_error_;
};

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_OUTPUT_OBSERVER_H_
