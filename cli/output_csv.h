// metrics.csv and rounds.csv: their columns, their rows, and an append-only
// CSV file that is flushed after every record, so an interrupted run leaves
// complete rows only. Missing values (NaN) are empty fields.
#ifndef OLSGD_CLI_OUTPUT_CSV_H_
#define OLSGD_CLI_OUTPUT_CSV_H_

#include <fstream>
#include <string>
#include <vector>

#include "actors/run/run_records.h"

namespace olsgd::cli {

using CsvRow = std::vector<std::string>;

// metrics.csv: one row per worker per evaluation. Times are seconds on the
// run's clock, which the header's first column names (`wall_s` or
// `virtual_s`) and the last column, `clock`, names on every row: "virtual" or
// "wall" (docs/TIME.md).
CsvRow MetricsColumns(const std::string& clock);
std::vector<CsvRow> MetricsRows(const actors::EvalRecord& eval, const std::string& clock);

// rounds.csv: one row per worker per round; `clock` as in metrics.csv.
const CsvRow& RoundsColumns();
CsvRow RoundsRow(const actors::RoundRecord& round, const std::string& clock);

// A number for a CSV field: shortest round-trip form, "" for NaN.
std::string CsvNumber(double value);

// A CSV file written row by row; the header goes first.
class CsvFile {
 public:
  // Creates (truncates) `path` and writes `header`. Throws std::runtime_error.
  CsvFile(const std::string& path, const CsvRow& header);
  // Appends rows and flushes them to the OS.
  void Write(const std::vector<CsvRow>& rows);
  void Write(const CsvRow& row) { Write(std::vector<CsvRow>{row}); }

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_OUTPUT_CSV_H_
