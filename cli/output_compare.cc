#include "cli/output_compare.h"

#include <cmath>
#include <cstdio>

#include "cli/output_csv.h"

namespace olsgd::cli {
namespace {

std::string Fixed(double v, int decimals, const char* suffix, double scale = 1.0) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f%s", decimals, v * scale, suffix);
  return buf;
}

}  // namespace

std::string CompareCsv(const std::vector<CompareEntry>& entries) {
  std::string out =
      "algorithm,status,final_accuracy,best_accuracy,time_to_target_s,blocked_share,wall_s,"
      "iterations,bytes_moved,clock,host_s\n";
  for (const CompareEntry& e : entries) {
    const actors::RunSummary& s = e.summary;
    out += e.algorithm + "," + s.status + "," + CsvNumber(s.final_accuracy) + "," +
           CsvNumber(s.best_accuracy) + "," + CsvNumber(s.time_to_target_s) + "," +
           CsvNumber(s.blocked_share) + "," + CsvNumber(s.wall_s) + "," +
           std::to_string(s.iterations) + "," + std::to_string(s.bytes_moved) + "," + s.time_mode +
           "," + CsvNumber(s.host_s) + "\n";
  }
  return out;
}

std::string CompareMarkdown(const std::vector<CompareEntry>& entries, double target) {
  const std::string target_header =
      target > 0 ? "time to " + Fixed(target, 1, "%", 100.0) : std::string("time to target");
  // Every time is on the runs' one clock (CompareCommand refuses to mix them).
  const std::string clock = entries.empty() ? "wall" : entries.front().summary.time_mode;
  std::string out = "Times are " + clock + " seconds" +
                    (clock == "virtual" ? " (simulated; docs/TIME.md)" : "") + ".\n\n" +
                    "| algorithm | status | final acc | best acc | " + target_header +
                    " | blocked share | " + clock +
                    " time | MB moved |\n"
                    "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const CompareEntry& e : entries) {
    const actors::RunSummary& s = e.summary;
    const int digits = s.wall_s < 10 ? 3 : 1;
    out += "| " + e.algorithm + " | " + s.status + " | " + Fixed(s.final_accuracy, 2, "%", 100) +
           " | " + Fixed(s.best_accuracy, 2, "%", 100) + " | " +
           Fixed(s.time_to_target_s, digits, " s") + " | " + Fixed(s.blocked_share, 1, "%", 100) +
           " | " + Fixed(s.wall_s, digits, " s") + " | " +
           Fixed(static_cast<double>(s.bytes_moved) / 1e6, 1, "") + " |\n";
  }
  return out;
}

}  // namespace olsgd::cli
