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
      "iterations\n";
  for (const CompareEntry& e : entries) {
    const actors::RunSummary& s = e.summary;
    out += e.algorithm + "," + s.status + "," + CsvNumber(s.final_accuracy) + "," +
           CsvNumber(s.best_accuracy) + "," + CsvNumber(s.time_to_target_s) + "," +
           CsvNumber(s.blocked_share) + "," + CsvNumber(s.wall_s) + "," +
           std::to_string(s.iterations) + "\n";
  }
  return out;
}

std::string CompareMarkdown(const std::vector<CompareEntry>& entries, double target) {
  const std::string target_header =
      target > 0 ? "time to " + Fixed(target, 1, "%", 100.0) : std::string("time to target");
  std::string out = "| algorithm | status | final acc | best acc | " + target_header +
                    " | blocked share | wall time |\n"
                    "|---|---|---:|---:|---:|---:|---:|\n";
  for (const CompareEntry& e : entries) {
    const actors::RunSummary& s = e.summary;
    out += "| " + e.algorithm + " | " + s.status + " | " + Fixed(s.final_accuracy, 2, "%", 100) +
           " | " + Fixed(s.best_accuracy, 2, "%", 100) + " | " +
           Fixed(s.time_to_target_s, 1, " s") + " | " + Fixed(s.blocked_share, 1, "%", 100) +
           " | " + Fixed(s.wall_s, 1, " s") + " |\n";
  }
  return out;
}

}  // namespace olsgd::cli
