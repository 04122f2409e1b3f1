#include "cli/output_observer.h"

#include <exception>

namespace olsgd::cli {

RunRecorder::RunRecorder(const std::string& dir, std::string clock, ProgressDisplay* progress)
    : metrics_(std::make_unique<CsvFile>(dir + "/metrics.csv", MetricsColumns(clock))),
      rounds_(std::make_unique<CsvFile>(dir + "/rounds.csv", RoundsColumns())),
      clock_(std::move(clock)),
      progress_(progress) {}

void RunRecorder::OnRound(const actors::RoundRecord& round) {
  if (write_error_.empty()) {
    try {
      rounds_->Write(RoundsRow(round, clock_));
    } catch (const std::exception& e) {
      write_error_ = e.what();
    }
  }
  if (progress_ != nullptr) progress_->OnRound(round);
}

void RunRecorder::OnEval(const actors::EvalRecord& eval) {
  evals_.push_back(eval);
  if (write_error_.empty()) {
    try {
      metrics_->Write(MetricsRows(eval, clock_));
    } catch (const std::exception& e) {
      write_error_ = e.what();
    }
  }
  if (progress_ != nullptr) progress_->OnEval(eval);
}

}  // namespace olsgd::cli
