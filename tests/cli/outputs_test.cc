// The writers: CSV columns and rows, summary.json, atomic writes, the compare
// table and the plot scripts.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/output_compare.h"
#include "cli/output_csv.h"
#include "cli/output_files.h"
#include "cli/output_observer.h"
#include "cli/output_plot.h"
#include "cli/output_summary.h"
#include "tests/cli/test_util.h"

namespace olsgd::cli {
namespace {

namespace fs = std::filesystem;
using testing::ReadLines;
using testing::SplitCsv;
using testing::TempDir;

actors::EvalRecord SampleEval() {
  actors::EvalRecord e;
  e.wall_s = 1.5;
  e.epoch = 0.25;
  e.iteration = 40;
  e.round = 20;
  e.train_loss = 0.5;
  e.test_loss = 0.625;
  e.test_accuracy = 0.75;
  e.workers = {{0, 0.4, 1.0, 0.125}, {1, 0.6, 1.25, 0.25}};
  return e;  // no anchor: those stay NaN
}

TEST(MetricsCsv, OneRowPerWorkerWithTheDocumentedColumns) {
  EXPECT_EQ(MetricsColumns("virtual"),
            (CsvRow{"virtual_s", "epoch", "iteration", "round", "worker", "compute_s", "blocked_s",
                    "train_loss", "mean_train_loss", "test_loss", "test_accuracy",
                    "anchor_test_loss", "anchor_test_accuracy", "clock"}));
  const std::vector<CsvRow> rows = MetricsRows(SampleEval(), "virtual");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (CsvRow{"1.5", "0.25", "40", "20", "0", "1", "0.125", "0.4", "0.5", "0.625",
                             "0.75", "", "", "virtual"}));
  EXPECT_EQ(rows[1][4], "1");
  EXPECT_EQ(rows[1][7], "0.6");
}

TEST(MetricsCsv, RecordWithoutWorkersStillGetsARow) {
  actors::EvalRecord e = SampleEval();
  e.workers.clear();
  const auto rows = MetricsRows(e, "wall");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][4], "-1");
  EXPECT_EQ(rows[0][10], "0.75");
}

TEST(RoundsCsv, ColumnsAndRow) {
  EXPECT_EQ(RoundsColumns().size(), 12u);
  EXPECT_EQ(RoundsColumns().back(), "clock");
  actors::RoundRecord r{3, 7, 1.0, 1.5, 0.4, 0.1, 0.05, 2, 4096, 1, 2048};
  EXPECT_EQ(RoundsRow(r, "wall"),
            (CsvRow{"7", "3", "1", "1.5", "0.4", "0.1", "0.05", "2", "4096", "1", "2048", "wall"}));
}

TEST(RunRecorder, FilesAreCompleteAfterEveryRecord) {
  TempDir dir;
  RunRecorder recorder(dir.path(), "virtual", nullptr);
  EXPECT_EQ(ReadLines(dir / "metrics.csv").size(), 1u);  // header only, already on disk
  recorder.OnRound(actors::RoundRecord{0, 1, 0, 1, 0.9, 0.1, 0, 1, 10, 1, 10});
  recorder.OnEval(SampleEval());
  // Read while the recorder is still open, as after an interruption.
  const auto metrics = ReadLines(dir / "metrics.csv");
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(SplitCsv(metrics[0]).size(), MetricsColumns("virtual").size());
  EXPECT_EQ(SplitCsv(metrics[2]).size(), MetricsColumns("virtual").size());
  const auto rounds = ReadLines(dir / "rounds.csv");
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[1], "1,0,0,1,0.9,0.1,0,1,10,1,10,virtual");
  EXPECT_EQ(recorder.evals().size(), 1u);
  EXPECT_EQ(recorder.write_error(), "");
}

TEST(AtomicWrite, ReplacesTheFileAndLeavesNoTemporary) {
  TempDir dir;
  WriteFileAtomic(dir / "a.json", "first");
  WriteFileAtomic(dir / "a.json", "second");
  EXPECT_EQ(ReadFile(dir / "a.json"), "second");
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
  EXPECT_THROW(WriteFileAtomic(dir / "missing/a.json", "x"), std::runtime_error);
}

TEST(Summary, HasEveryFieldAndNullsForMissingValues) {
  actors::ExperimentSpec spec;
  spec.name = "s";
  spec.evaluation.target_accuracy = 0.7;
  actors::RunSummary s;
  s.status = "interrupted";
  s.wall_s = 2;
  s.blocked_share = 0.25;
  s.bytes_moved = 1234;
  s.workers = {{0, 1.5, 0.5, 2, 0.25, 600, 600}};
  CompleteSummary({SampleEval()}, spec.evaluation.target_accuracy, s);
  const RunContext ctx{"c.yaml", {"algorithm.tau=8"}, "2026-01-01T00:00:00Z", "", "abc123", "h"};
  TempDir dir;
  WriteSummary(dir / "summary.json", s, spec, ctx);
  const auto j = nlohmann::json::parse(ReadFile(dir / "summary.json"));
  EXPECT_EQ(j["status"], "interrupted");
  EXPECT_EQ(j["final_accuracy"], 0.75);
  EXPECT_EQ(j["best_accuracy"], 0.75);
  EXPECT_EQ(j["time_to_target_s"], 1.5);
  EXPECT_EQ(j["final_test_loss"], 0.625);
  EXPECT_EQ(j["blocked_share"], 0.25);
  EXPECT_EQ(j["bytes_moved"], 1234);
  EXPECT_EQ(j["wall_s"], 2);             // the duration on the run's clock (TIME_MODEL.md)
  EXPECT_EQ(j["time_mode"], "virtual");  // the spec's default for an embedded run
  EXPECT_EQ(j["workers"][0]["blocked_share"], 0.25);
  EXPECT_EQ(j["git_revision"], "abc123");
  EXPECT_EQ(j["host"], "h");
  EXPECT_EQ(j["overrides"][0], "algorithm.tau=8");
  EXPECT_EQ(j["config"]["algorithm"]["name"], "overlap_local_sgd");
  EXPECT_EQ(j["config"]["training"]["lr"], 0.1);
  EXPECT_TRUE(j["config"]["injection"]["links"].is_array());

  actors::RunSummary never;
  CompleteSummary({SampleEval()}, 0.9, never);
  EXPECT_TRUE(std::isnan(never.time_to_target_s));
  EXPECT_TRUE(SummaryJson(never, spec, ctx)["time_to_target_s"].is_null());
}

TEST(CompareTable, MarkdownAndCsv) {
  actors::RunSummary a;
  a.final_accuracy = 0.8512;
  a.best_accuracy = 0.86;
  a.time_to_target_s = 12.25;
  a.blocked_share = 0.346;
  a.wall_s = 40;
  a.iterations = 100;
  a.bytes_moved = 5000000;
  a.time_mode = "virtual";
  a.host_s = 2.5;
  actors::RunSummary b = a;
  b.status = "failed";
  b.time_to_target_s = actors::kNoValue;
  const std::vector<CompareEntry> entries = {{"sync_sgd", a}, {"easgd", b}};
  EXPECT_EQ(CompareCsv(entries),
            "algorithm,status,final_accuracy,best_accuracy,time_to_target_s,blocked_share,wall_s,"
            "iterations,bytes_moved,clock,host_s\n"
            "sync_sgd,completed,0.8512,0.86,12.25,0.346,40,100,5000000,virtual,2.5\n"
            "easgd,failed,0.8512,0.86,,0.346,40,100,5000000,virtual,2.5\n");
  const std::string md = CompareMarkdown(entries, 0.85);
  EXPECT_NE(md.find("| algorithm | status | final acc | best acc | time to 85.0% |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Times are virtual seconds"), std::string::npos) << md;
  EXPECT_NE(md.find("| blocked share | virtual time | MB moved |"), std::string::npos) << md;
  EXPECT_NE(md.find("| sync_sgd | completed | 85.12% | 86.00% | 12.2 s | 34.6% | 40.0 s | 5.0 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| easgd | failed | 85.12% | 86.00% | - |"), std::string::npos) << md;
}

TEST(PlotScripts, LeaveOutCurvesWithoutData) {
  const std::string both = RunPlotScript({true, true, true});
  EXPECT_NE(both.find("set output 'accuracy.png'"), std::string::npos);
  EXPECT_NE(both.find("title 'anchor'"), std::string::npos);
  EXPECT_NE(both.find("set output 'loss.png'"), std::string::npos);
  const std::string no_anchor = RunPlotScript({true, false, false});
  EXPECT_EQ(no_anchor.find("anchor"), std::string::npos);
  EXPECT_EQ(no_anchor.find("loss.png"), std::string::npos);
  const std::string compare =
      ComparePlotScript({{"sync_sgd", "sync_sgd/metrics.csv", {true, false, true}},
                         {"easgd", "easgd/metrics.csv", {true, true, true}}});
  EXPECT_NE(compare.find("'sync_sgd/metrics.csv'"), std::string::npos);
  EXPECT_NE(compare.find("title 'easgd'"), std::string::npos);
  EXPECT_NE(compare.find("compare_accuracy.png"), std::string::npos);
}

TEST(PlotRender, DrawsPngsWithGnuplot) {
  ASSERT_NE(FindGnuplot(), "") << "gnuplot is a dependency (gnuplot-nox)";
  TempDir dir;
  {
    RunRecorder recorder(dir.path(), "virtual", nullptr);
    actors::EvalRecord e = SampleEval();
    recorder.OnEval(e);
    e.wall_s = 3;
    e.iteration = 80;
    e.test_accuracy = 0.8;
    recorder.OnEval(e);
  }
  const PlotOutcome outcome =
      RenderPlots(dir.path(), "plot.gp", RunPlotScript({true, false, true}));
  EXPECT_TRUE(outcome.rendered) << outcome.message;
  EXPECT_GT(fs::file_size(dir / "accuracy.png"), 1000u);
  EXPECT_GT(fs::file_size(dir / "loss.png"), 1000u);
  EXPECT_FALSE(fs::exists(dir / "gnuplot.log"));
}

TEST(PlotRender, WithoutGnuplotWritesTheScriptAndSaysHowToPlot) {
  TempDir dir;
  setenv("OLSGD_GNUPLOT", "/nonexistent/gnuplot", 1);
  const PlotOutcome outcome =
      RenderPlots(dir.path(), "plot.gp", RunPlotScript({true, false, true}));
  unsetenv("OLSGD_GNUPLOT");
  EXPECT_FALSE(outcome.rendered);
  EXPECT_NE(outcome.message.find("gnuplot is not installed"), std::string::npos);
  EXPECT_NE(outcome.message.find("(cd '" + dir.path() + "' && gnuplot plot.gp)"), std::string::npos)
      << outcome.message;
  EXPECT_TRUE(fs::exists(dir / "plot.gp"));
  EXPECT_FALSE(fs::exists(dir / "accuracy.png"));
}

}  // namespace
}  // namespace olsgd::cli
