#include "cli/output_csv.h"

#include <cmath>
#include <stdexcept>

#include "cli/config_validate.h"

namespace olsgd::cli {
namespace {

std::string Join(const CsvRow& row) {
  std::string line;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) line += ',';
    line += row[i];
  }
  return line + '\n';
}

}  // namespace

std::string CsvNumber(double value) { return std::isnan(value) ? "" : FormatNumber(value); }

CsvRow MetricsColumns(const std::string& clock) {
  const CsvRow columns = {clock + "_s",
                          "epoch",
                          "iteration",
                          "round",
                          "worker",
                          "compute_s",
                          "blocked_s",
                          "train_loss",
                          "mean_train_loss",
                          "test_loss",
                          "test_accuracy",
                          "anchor_test_loss",
                          "anchor_test_accuracy",
                          "clock"};
  return columns;
}

std::vector<CsvRow> MetricsRows(const actors::EvalRecord& e, const std::string& clock) {
  auto row = [&](const std::string& worker, double train_loss, double compute_s, double blocked_s) {
    return CsvRow{CsvNumber(e.wall_s),
                  CsvNumber(e.epoch),
                  std::to_string(e.iteration),
                  std::to_string(e.round),
                  worker,
                  CsvNumber(compute_s),
                  CsvNumber(blocked_s),
                  CsvNumber(train_loss),
                  CsvNumber(e.train_loss),
                  CsvNumber(e.test_loss),
                  CsvNumber(e.test_accuracy),
                  CsvNumber(e.anchor_test_loss),
                  CsvNumber(e.anchor_test_accuracy),
                  clock};
  };
  std::vector<CsvRow> rows;
  for (const actors::WorkerEvalRow& w : e.workers) {
    rows.push_back(row(std::to_string(w.worker), w.train_loss, w.compute_s, w.blocked_s));
  }
  // A record without per-worker rows still gets one row, marked worker -1.
  if (rows.empty()) rows.push_back(row("-1", e.train_loss, actors::kNoValue, actors::kNoValue));
  return rows;
}

const CsvRow& RoundsColumns() {
  static const CsvRow columns = {"round",     "worker",      "start_s",          "end_s",
                                 "compute_s", "blocked_s",   "injected_delay_s", "messages_out",
                                 "bytes_out", "messages_in", "bytes_in",         "clock"};
  return columns;
}

CsvRow RoundsRow(const actors::RoundRecord& r, const std::string& clock) {
  return {std::to_string(r.round),       std::to_string(r.worker),
          CsvNumber(r.start_s),          CsvNumber(r.end_s),
          CsvNumber(r.compute_s),        CsvNumber(r.blocked_s),
          CsvNumber(r.injected_delay_s), std::to_string(r.messages_out),
          std::to_string(r.bytes_out),   std::to_string(r.messages_in),
          std::to_string(r.bytes_in),    clock};
}

CsvFile::CsvFile(const std::string& path, const CsvRow& header)
    : path_(path), out_(path, std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot create " + path);
  Write(header);
}

void CsvFile::Write(const std::vector<CsvRow>& rows) {
  std::string text;
  for (const CsvRow& row : rows) text += Join(row);
  out_ << text;
  out_.flush();
  if (!out_) throw std::runtime_error("cannot write " + path_);
}

}  // namespace olsgd::cli
