// olsgd compare: the same experiment once per algorithm, in turn, then a
// table and overlaid plots. Every algorithm's config is checked before the
// first run starts.
#include <algorithm>
#include <chrono>
#include <exception>
#include <set>

#include "actors/algorithms/algorithm.h"
#include "actors/spec/time_mode.h"
#include "cli/commands.h"
#include "cli/config_error.h"
#include "cli/config_load.h"
#include "cli/config_suggest.h"
#include "cli/config_validate.h"
#include "cli/output_compare.h"
#include "cli/output_files.h"
#include "cli/run_execution.h"
#include "cli/run_folder.h"

namespace olsgd::cli {
namespace {

// The overrides for one algorithm: the shared ones, the algorithm's name, and
// those prefixed "ALG:" for this algorithm.
std::vector<std::string> OverridesFor(const std::string& algorithm,
                                      const std::vector<std::string>& all) {
  std::vector<std::string> shared, own;
  for (const std::string& o : all) {
    const size_t colon = o.find(':'), eq = o.find('=');
    const std::string prefix = o.substr(0, colon);
    const auto& names = actors::AlgorithmNames();
    if (colon != std::string::npos && colon < eq &&
        std::find(names.begin(), names.end(), prefix) != names.end()) {
      if (prefix == algorithm) own.push_back(o.substr(colon + 1));
    } else {
      shared.push_back(o);
    }
  }
  shared.push_back("algorithm.name=" + algorithm);
  shared.insert(shared.end(), own.begin(), own.end());
  return shared;
}

void WriteTables(const std::string& dir, const std::vector<CompareEntry>& entries, double target) {
  WriteFileAtomic(dir + "/compare.csv", CompareCsv(entries));
  WriteFileAtomic(dir + "/compare.md", CompareMarkdown(entries, target));
}

}  // namespace

int CompareCommand(const CompareArgs& args, const CommandEnv& env) {
  if (args.algorithms.empty()) {
    *env.err << "error: --algorithms must name at least one of "
             << JoinNames(actors::AlgorithmNames()) << "\n";
    return kExitUsage;
  }
  std::set<std::string> seen;
  for (const std::string& a : args.algorithms) {
    const auto& names = actors::AlgorithmNames();
    if (std::find(names.begin(), names.end(), a) == names.end()) {
      *env.err << "error: --algorithms: unknown algorithm '" << a << "'" << DidYouMean(a, names)
               << " (one of " << JoinNames(names) << ")\n";
      return kExitUsage;
    }
    if (!seen.insert(a).second) {
      *env.err << "error: --algorithms lists " << a << " twice\n";
      return kExitUsage;
    }
  }
  // Load and check every algorithm's config before anything runs.
  std::vector<LoadedConfig> configs;
  for (const std::string& a : args.algorithms) {
    try {
      configs.push_back(LoadConfigFile(args.config, OverridesFor(a, args.overrides)));
    } catch (const ConfigError& e) {
      *env.err << e.what() << "\n"
               << "note: in the " << a << " run; an override for one algorithm only looks like "
               << "--set " << a << ":algorithm.alpha=0.2\n";
      return kExitUsage;
    }
    if (configs.back().spec.cluster.mode != actors::ClusterMode::kEmbedded) {
      *env.err << "error: compare runs embedded clusters only; cluster.mode is "
               << actors::NameOf(configs.back().spec.cluster.mode) << "\n";
      return kExitUsage;
    }
    if (const std::string missing = CheckDataPresent(configs.back().spec); !missing.empty()) {
      *env.err << "error: " << configs.back().sources.Where("data.path") << ": " << missing << "\n";
      return kExitUsage;
    }
    // One table, one time axis: virtual and wall seconds never share it.
    if (actors::ClockName(configs.back().spec) != actors::ClockName(configs.front().spec)) {
      *env.err << "error: " << configs.back().sources.Where("time.mode") << ": the " << a
               << " run would use " << actors::ClockName(configs.back().spec) << " time and the "
               << args.algorithms.front() << " run " << actors::ClockName(configs.front().spec)
               << " time; compare needs one clock for every run\n";
      return kExitUsage;
    }
  }
  const actors::ExperimentSpec& first = configs.front().spec;
  const std::string dir =
      ChooseRunFolder(args.out, first.output.dir, env.runs_root, first.name + "-compare",
                      std::chrono::system_clock::now());
  if (const std::string busy = CheckRunFolderFree(dir); !busy.empty()) {
    *env.err << "error: " << busy << "\n";
    return kExitUsage;
  }

  std::vector<CompareEntry> entries;
  std::vector<PlotSeries> series;
  int exit_code = kExitOk;
  for (size_t i = 0; i < configs.size(); ++i) {
    actors::ExperimentSpec spec = configs[i].spec;
    const std::string& algorithm = args.algorithms[i];
    spec.output.dir = dir + "/" + algorithm;
    try {
      CreateRunFolder(spec.output.dir);
    } catch (const std::exception& e) {
      *env.err << "error: " << e.what() << "\n";
      return kExitRunFailure;
    }
    const RunResult result = ExecuteRun(spec, args.config, OverridesFor(algorithm, args.overrides),
                                        algorithm, args.verbosity, env);
    entries.push_back({algorithm, result.summary});
    series.push_back({algorithm, algorithm + "/metrics.csv", result.plot_data});
    try {
      WriteTables(dir, entries, first.evaluation.target_accuracy);
    } catch (const std::exception& e) {
      *env.err << "error: " << e.what() << "\n";
      exit_code = kExitRunFailure;
    }
    const int code = ExitCodeFor(result);
    if (code == kExitInterrupted) {
      exit_code = kExitInterrupted;
      break;
    }
    if (code != kExitOk) exit_code = kExitRunFailure;
  }
  if (first.output.plots) {
    const PlotOutcome plot = RenderPlots(dir, "compare.gp", ComparePlotScript(series));
    if (!plot.rendered) *env.err << "warning: " << plot.message << "\n";
  }
  if (args.verbosity != Verbosity::kQuiet) {
    *env.out << "\n"
             << CompareMarkdown(entries, first.evaluation.target_accuracy) << "\n"
             << "compare outputs in " << dir << "/ (compare.md, compare.csv, plots)\n";
  }
  return exit_code;
}

}  // namespace olsgd::cli
