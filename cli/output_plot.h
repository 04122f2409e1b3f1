// PNG plots through gnuplot: a run folder gets accuracy.png (test accuracy
// against wall clock) and loss.png (train loss against iteration); a compare
// folder gets the same with one curve per algorithm. The .gp script is always
// written next to the data, so a machine without gnuplot can plot later.
#ifndef OLSGD_CLI_OUTPUT_PLOT_H_
#define OLSGD_CLI_OUTPUT_PLOT_H_

#include <string>
#include <vector>

#include "actors/run/run_records.h"

namespace olsgd::cli {

// Which curves a run's metrics.csv can draw (gnuplot fails on an all-empty
// column, so those are left out).
struct PlotData {
  bool accuracy = false;
  bool anchor_accuracy = false;
  bool train_loss = false;
  std::string clock = "wall";  // the x axis of accuracy plots: "virtual" or "wall" time
};

// What the evaluations of one run hold.
PlotData PlotDataOf(const std::vector<actors::EvalRecord>& evals);

// The gnuplot script for one run folder (paths relative to it).
std::string RunPlotScript(const PlotData& data);

// One compared run: its label and its metrics.csv relative to the compare folder.
struct PlotSeries {
  std::string label;
  std::string metrics_csv;
  PlotData data;
};

// The gnuplot script for a compare folder: overlaid curves.
std::string ComparePlotScript(const std::vector<PlotSeries>& series);

// The gnuplot executable: $OLSGD_GNUPLOT if set (tests use it), else
// `gnuplot` on PATH; "" if there is none.
std::string FindGnuplot();

// What happened when plotting.
struct PlotOutcome {
  bool rendered = false;
  std::string message;  // on failure: why, and the command to plot later
};

// Writes `script` to `dir`/`script_name` and runs gnuplot on it in `dir`.
// Never throws for a missing or failing gnuplot: the run has succeeded anyway.
PlotOutcome RenderPlots(const std::string& dir, const std::string& script_name,
                        const std::string& script);

// Quotes `s` for /bin/sh.
std::string ShellQuote(const std::string& s);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_OUTPUT_PLOT_H_
