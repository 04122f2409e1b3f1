// The comparison table `olsgd compare` writes, as Markdown and as CSV: one row
// per algorithm with final and best accuracy, time to target, blocked share
// and wall time.
#ifndef OLSGD_CLI_OUTPUT_COMPARE_H_
#define OLSGD_CLI_OUTPUT_COMPARE_H_

#include <string>
#include <vector>

#include "actors/run/run_records.h"

namespace olsgd::cli {

// One compared run.
struct CompareEntry {
  std::string algorithm;
  actors::RunSummary summary;
};

// compare.csv: header and one line per entry; fractions as fractions, empty
// fields for values that do not exist (no target, never reached).
std::string CompareCsv(const std::vector<CompareEntry>& entries);

// compare.md: a Markdown table with percentages and seconds. `target` is the
// target accuracy (0 = none), shown in the time-to-target header.
std::string CompareMarkdown(const std::vector<CompareEntry>& entries, double target);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_OUTPUT_COMPARE_H_
