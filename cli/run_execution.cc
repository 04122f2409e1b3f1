#include "cli/run_execution.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>

#include "actors/spec/time_mode.h"
#include "cli/build_info.h"
#include "cli/config_dump.h"
#include "cli/output_files.h"
#include "cli/output_observer.h"
#include "cli/output_summary.h"
#include "cli/run_folder.h"

namespace olsgd::cli {
namespace {

std::string Percent(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f%%", v * 100);
  return buf;
}

void PrintOutcome(const RunResult& r, const std::string& label, const std::string& dir,
                  const CommandEnv& env) {
  const actors::RunSummary& s = r.summary;
  // The duration on the run's clock, and in virtual time the host's beside it.
  char took[96];
  if (s.time_mode == "virtual") {
    std::snprintf(took, sizeof(took), "%.3f s of virtual time (%.1f s on this host)", s.wall_s,
                  s.host_s);
  } else {
    std::snprintf(took, sizeof(took), "%.1f s", s.wall_s);
  }
  *env.out << "[" << label << "] " << s.status << " in " << took << ": final accuracy "
           << Percent(s.final_accuracy) << " (best " << Percent(s.best_accuracy) << "), blocked "
           << Percent(s.blocked_share) << ", " << s.bytes_moved << " bytes moved\n";
  *env.out << "[" << label << "] outputs in " << dir << "/\n";
}

}  // namespace

std::string CheckDataPresent(const actors::ExperimentSpec& spec) {
  if (spec.data.dataset == actors::DatasetKind::kSynthetic) return "";
  std::error_code ec;
  if (!std::filesystem::is_directory(spec.data.path, ec)) {
    return "data.path " + spec.data.path + " is not a folder" +
           (spec.data.dataset == actors::DatasetKind::kFashionMnist
                ? " (Debian: apt-get install dataset-fashion-mnist, or `make deps`)"
                : "");
  }
  return "";
}

RunResult ExecuteRun(const actors::ExperimentSpec& spec, const std::string& config_path,
                     const std::vector<std::string>& overrides, const std::string& label,
                     Verbosity verbosity, const CommandEnv& env, const std::string& resume_from) {
  const std::string dir = spec.output.dir;
  RunResult result;
  RunContext context{config_path, overrides,     IsoTimeUtc(std::chrono::system_clock::now()),
                     "",          GitRevision(), HostName()};
  result.summary.status = "running";
  ProgressDisplay progress(*env.out, verbosity, env.tty, label, spec);
  std::unique_ptr<RunRecorder> recorder;
  try {
    WriteFileAtomic(dir + "/config.yaml", DumpSpecYaml(spec));
    WriteSummary(dir + "/summary.json", result.summary, spec, context);
    recorder = std::make_unique<RunRecorder>(dir, actors::ClockName(spec), &progress);
  } catch (const std::exception& e) {
    result.summary.status = "failed";
    result.summary.failure = e.what();
    *env.err << "error: " << e.what() << "\n";
    return result;
  }

  actors::RunOptions options;
  options.trace_path = spec.output.trace ? dir + "/trace.json" : "";
  options.stop = env.stop;
  if (spec.cluster.checkpoint_every_rounds > 0) options.checkpoint_dir = CheckpointsFolder(dir);
  options.resume_from = resume_from;
  try {
    result.summary = env.run(spec, *recorder, options);
  } catch (const std::exception& e) {
    result.summary = actors::RunSummary{};
    result.summary.status = "failed";
    result.summary.failure = e.what();
  }
  progress.Finish();
  if (env.stop != nullptr && env.stop->load() && result.summary.status == "completed") {
    result.summary.status = "interrupted";
  }
  if (result.summary.status == "interrupted" && result.summary.failure.empty()) {
    result.summary.failure = "stopped by the user (Ctrl-C)";
  }
  CompleteSummary(recorder->evals(), spec.evaluation.target_accuracy, result.summary);
  result.plot_data = PlotDataOf(recorder->evals());
  result.plot_data.clock = actors::ClockName(spec);
  result.problem = recorder->write_error();

  context.finished_at = IsoTimeUtc(std::chrono::system_clock::now());
  try {
    WriteSummary(dir + "/summary.json", result.summary, spec, context);
  } catch (const std::exception& e) {
    result.problem = e.what();
  }
  if (spec.output.plots) {
    if (recorder->evals().empty()) {
      if (verbosity != Verbosity::kQuiet) {
        *env.out << "[" << label << "] no evaluations were recorded, so there is nothing to plot\n";
      }
    } else {
      const PlotOutcome plot = RenderPlots(dir, "plot.gp", RunPlotScript(result.plot_data));
      if (!plot.rendered) *env.err << "warning: " << plot.message << "\n";
    }
  }
  if (!result.problem.empty()) *env.err << "error: " << result.problem << "\n";
  if (result.summary.status != "completed" && !result.summary.failure.empty()) {
    *env.err << "[" << label << "] " << result.summary.status << ": " << result.summary.failure
             << "\n";
    if (const std::string latest = LatestCheckpoint(dir); !latest.empty()) {
      *env.err << "[" << label << "] the last checkpoint is " << latest << "; `"
               << (spec.cluster.mode == actors::ClusterMode::kHead
                       ? "olsgd head --resume " + dir + " --listen ADDR"
                       : "olsgd run --resume " + dir)
               << "` continues from it\n";
    }
  }
  if (verbosity != Verbosity::kQuiet) PrintOutcome(result, label, dir, env);
  return result;
}

int ExitCodeFor(const RunResult& result) {
  if (!result.problem.empty()) return kExitRunFailure;
  if (result.summary.status == "completed") return kExitOk;
  if (result.summary.status == "interrupted") return kExitInterrupted;
  return kExitRunFailure;
}

}  // namespace olsgd::cli
