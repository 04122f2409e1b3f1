// What a run shows while it trains. On a terminal: one live line per run
// (progress bar, epoch, round, accuracy, blocked share, ETA), redrawn in
// place. Elsewhere: one plain log line per evaluation. --quiet shows nothing;
// --verbose adds a line per worker per round. Times come from the records, so
// the output depends only on what the run reports.
#ifndef OLSGD_CLI_PROGRESS_DISPLAY_H_
#define OLSGD_CLI_PROGRESS_DISPLAY_H_

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "actors/run/run_records.h"
#include "actors/spec/experiment_spec.h"

namespace olsgd::cli {

// How much the command prints.
enum class Verbosity { kQuiet, kNormal, kVerbose };

// Live progress of one run.
class ProgressDisplay {
 public:
  // `label` prefixes every line (the run or algorithm name).
  ProgressDisplay(std::ostream& out, Verbosity verbosity, bool tty, std::string label,
                  const actors::ExperimentSpec& spec);

  void OnRound(const actors::RoundRecord& round);
  void OnEval(const actors::EvalRecord& eval);
  // Ends the live line (terminal) so later output starts on a new line.
  void Finish();

  // Fraction of the run done, in [0, 1]; 0 while unknown.
  double Fraction() const;
  // The live line's text, without terminal control codes.
  std::string StatusLine() const;

 private:
  void Redraw();
  double HostSeconds() const;

  std::ostream& out_;
  Verbosity verbosity_;
  bool tty_;
  std::string label_;
  double total_epochs_;
  int64_t total_steps_;
  int tau_;
  std::string clock_;  // "virtual" or "wall": the clock of the run's times
  std::chrono::steady_clock::time_point host_start_;  // for the ETA and redraws
  double now_s_ = 0;         // the latest time the run reported, on its clock
  double last_draw_s_ = -1;  // host seconds
  double epoch_ = 0;
  int64_t iteration_ = 0;
  int64_t round_ = 0;
  double epochs_per_iteration_ = 0;
  double accuracy_ = actors::kNoValue;
  double blocked_s_ = 0;
  double busy_s_ = 0;
  bool line_open_ = false;
};

// "1:05" or "1:02:03" for a duration in seconds; "?" when unknown.
std::string FormatDuration(double seconds);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_PROGRESS_DISPLAY_H_
