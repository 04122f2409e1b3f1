#include "cli/output_plot.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <exception>
#include <sstream>

#include "cli/output_files.h"

namespace olsgd::cli {
namespace {

// metrics.csv columns (1-based), see MetricsColumns().
constexpr int kWallColumn = 1;
constexpr int kIterationColumn = 3;
constexpr int kMeanTrainLossColumn = 9;
constexpr int kAccuracyColumn = 11;
constexpr int kAnchorAccuracyColumn = 13;

const char* kPreamble =
    "# Written by olsgd. Run it in this folder: gnuplot <this file>\n"
    "set datafile separator ','\n"
    "set terminal pngcairo size 1000,640 noenhanced\n"
    "set grid\n";

// One point per evaluation: every worker's row of one evaluation repeats the
// same x and y, and `smooth unique` merges rows with equal x (and keeps the
// line connected, which filtering rows with 1/0 would break).
std::string Using(int x, int y) {
  std::ostringstream s;
  s << "every ::1 using " << x << ":" << y << " smooth unique with linespoints";
  return s.str();
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("''") : std::string(1, c);
  return out + "'";
}

void PlotBlock(std::ostringstream& out, const std::string& png, const std::string& title,
               const std::string& xlabel, const std::string& ylabel, const std::string& key,
               const std::vector<std::string>& curves) {
  if (curves.empty()) return;
  out << "set output " << Quote(png) << "\nset title " << Quote(title) << "\nset xlabel "
      << Quote(xlabel) << "\nset ylabel " << Quote(ylabel) << "\nset key " << key << "\nplot ";
  for (size_t i = 0; i < curves.size(); ++i) out << (i ? ", \\\n     " : "") << curves[i];
  out << "\nunset output\n";
}

}  // namespace

PlotData PlotDataOf(const std::vector<actors::EvalRecord>& evals) {
  PlotData d;
  for (const actors::EvalRecord& e : evals) {
    d.accuracy |= !std::isnan(e.test_accuracy);
    d.anchor_accuracy |= !std::isnan(e.anchor_test_accuracy);
    d.train_loss |= !std::isnan(e.train_loss);
  }
  return d;
}

std::string RunPlotScript(const PlotData& d) {
  std::ostringstream out;
  out << kPreamble;
  std::vector<std::string> acc;
  if (d.accuracy) {
    acc.push_back("'metrics.csv' " + Using(kWallColumn, kAccuracyColumn) +
                  " title 'mean of local models'");
  }
  if (d.anchor_accuracy) {
    acc.push_back("'metrics.csv' " + Using(kWallColumn, kAnchorAccuracyColumn) + " title 'anchor'");
  }
  PlotBlock(out, "accuracy.png", "test accuracy vs " + d.clock + " time", d.clock + " time (s)",
            "test accuracy", "bottom right", acc);
  std::vector<std::string> loss;
  if (d.train_loss) {
    loss.push_back("'metrics.csv' " + Using(kIterationColumn, kMeanTrainLossColumn) +
                   " title 'train loss (mean over workers)'");
  }
  PlotBlock(out, "loss.png", "train loss vs iteration", "iteration (local steps per worker)",
            "train loss", "top right", loss);
  return out.str();
}

std::string ComparePlotScript(const std::vector<PlotSeries>& series) {
  std::ostringstream out;
  out << kPreamble;
  std::vector<std::string> acc, loss;
  for (const PlotSeries& s : series) {
    if (s.data.accuracy) {
      acc.push_back(Quote(s.metrics_csv) + " " + Using(kWallColumn, kAccuracyColumn) + " title " +
                    Quote(s.label));
    }
    if (s.data.train_loss) {
      loss.push_back(Quote(s.metrics_csv) + " " + Using(kIterationColumn, kMeanTrainLossColumn) +
                     " title " + Quote(s.label));
    }
  }
  // CompareCommand runs every algorithm on one clock.
  const std::string clock = series.empty() ? "wall" : series.front().data.clock;
  PlotBlock(out, "compare_accuracy.png", "test accuracy vs " + clock + " time", clock + " time (s)",
            "test accuracy", "bottom right", acc);
  PlotBlock(out, "compare_loss.png", "train loss vs iteration",
            "iteration (local steps per worker)", "train loss", "top right", loss);
  return out.str();
}

std::string FindGnuplot() {
  if (const char* forced = std::getenv("OLSGD_GNUPLOT")) {
    return ::access(forced, X_OK) == 0 ? forced : "";
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

PlotOutcome RenderPlots(const std::string& dir, const std::string& script_name,
                        const std::string& script) {
  const std::string later = "(cd " + ShellQuote(dir) + " && gnuplot " + script_name + ")";
  try {
    WriteFileAtomic(dir + "/" + script_name, script);
  } catch (const std::exception& e) {
    return {false, std::string("could not write the plot script: ") + e.what()};
  }
  const std::string gnuplot = FindGnuplot();
  if (gnuplot.empty()) {
    return {false,
            "gnuplot is not installed (Debian: apt-get install gnuplot-nox); "
            "to plot later, run: " +
                later};
  }
  const std::string command = "cd " + ShellQuote(dir) + " && " + ShellQuote(gnuplot) + " " +
                              script_name + " > gnuplot.log 2>&1";
  const int rc = std::system(command.c_str());
  if (rc != 0) {
    return {false, "gnuplot failed (see " + dir + "/gnuplot.log); to retry, run: " + later};
  }
  ::unlink((dir + "/gnuplot.log").c_str());
  return {true, ""};
}

}  // namespace olsgd::cli
