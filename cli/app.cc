// The command line: CLI11 subcommands, their flags and --help texts.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <sstream>

#include "cli/commands.h"
#include "runtime/log.h"

namespace olsgd::cli {
namespace {

const char* kRunExamples = R"(
Examples:
  olsgd run config/quickstart.yaml
  olsgd run config/quickstart.yaml --set algorithm.tau=8 --set training.epochs=1
  olsgd run config/scenarios/stragglers.yaml --out runs/stragglers --verbose
  olsgd run --resume runs/quickstart-20260101-120000   # from its latest checkpoint
Outputs (in --out, default runs/<name>-<timestamp>/): config.yaml, metrics.csv,
rounds.csv, summary.json, trace.json, plot.gp, accuracy.png, loss.png, and
checkpoints/ with cluster.checkpoint_every_rounds > 0.
Exit codes: 0 completed, 1 run failure, 2 usage or config error, 130 interrupted (Ctrl-C).)";

const char* kValidateExamples = R"(
Examples:
  olsgd validate config/quickstart.yaml
  olsgd validate config/paper/tau8_dirichlet.yaml --set cluster.workers=8
Prints the fully resolved config (defaults included); exit code 2 on any error.)";

const char* kCompareExamples = R"(
Examples:
  olsgd compare config/quickstart.yaml \
      --algorithms sync_sgd,local_sgd,overlap_local_sgd,easgd,cocod_sgd \
      --set easgd:algorithm.alpha=0.2
An override prefixed with an algorithm name (ALG:key=value) applies to that
algorithm's run only. Outputs: one folder per algorithm, compare.md, compare.csv,
compare_accuracy.png, compare_loss.png.)";

const char* kHeadExamples = R"(
Examples:
  olsgd keygen --out keys/          # once; copy keys/ to every host
  olsgd head --config config/quickstart.yaml --listen tcp://0.0.0.0:5555 \
      --set cluster.key_dir=keys/ --set cluster.wait_for_workers=2
then on each other host:
  olsgd worker --head tcp://HEAD-HOST:5555 --slots 2 --key-dir keys/
The head waits for cluster.wait_for_workers workers, places trainers on them
(spread, or cluster.trainer_nodes), keeps reducers on the head unless
cluster.reducer_nodes says otherwise, writes every output here, then releases
the workers. See docs/CLUSTER.md (Slurm and SSH recipes).)";

const char* kWorkerExamples = R"(
Examples:
  olsgd worker --head tcp://10.0.0.1:5555 --slots 2 --key-dir keys/
  OLSGD_HEAD=tcp://10.0.0.1:5555 OLSGD_KEY_DIR=keys/ olsgd worker --name gpu-3
Exit code: 0 when the head ends the run normally, 1 when the run failed or the
head was lost, 130 on Ctrl-C.)";

const char* kKeygenExamples = R"(
Examples:
  olsgd keygen --out keys/   # then set cluster.key_dir: keys/ in the config)";

void AddSetOption(CLI::App* cmd, std::vector<std::string>& overrides, const char* help) {
  cmd->add_option("--set", overrides, help)->type_name("KEY=VALUE")->expected(1)->take_all();
}

void AddVerbosity(CLI::App* cmd, bool& quiet, bool& verbose) {
  CLI::Option* q = cmd->add_flag("-q,--quiet", quiet, "print errors only");
  CLI::Option* v = cmd->add_flag("-v,--verbose", verbose, "also print every round of every worker");
  q->excludes(v);
}

// Also sets the level of the one logger (runtime/log.h): warnings only when
// quiet, debug when verbose, else info unless OLSGD_LOG_LEVEL chose one.
Verbosity VerbosityOf(bool quiet, bool verbose) {
  if (quiet || verbose || std::getenv("OLSGD_LOG_LEVEL") == nullptr) {
    rt::SetLogLevel(quiet ? "warn" : (verbose ? "debug" : "info"));
  }
  return quiet ? Verbosity::kQuiet : (verbose ? Verbosity::kVerbose : Verbosity::kNormal);
}

}  // namespace

int Main(int argc, const char* const* argv, const CommandEnv& env) {
  CLI::App app{"olsgd: distributed training with Overlap Local-SGD on an actor runtime"};
  app.name("olsgd");
  app.require_subcommand(1);
  app.footer("Run `olsgd SUBCOMMAND --help` for a subcommand's flags and examples.");

  RunArgs run;
  bool run_quiet = false, run_verbose = false;
  CLI::App* run_cmd = app.add_subcommand("run", "run an experiment on an embedded cluster");
  run_cmd->add_option("config", run.config,
                      "the experiment's YAML file (with --resume: RUN_DIR/config.yaml)");
  AddSetOption(run_cmd, run.overrides, "override a config key (repeatable), e.g. algorithm.tau=8");
  run_cmd->add_option("--out", run.out, "output folder (must be new or empty)");
  run_cmd->add_option("--resume", run.resume,
                      "continue the run in this folder from its latest checkpoint");
  AddVerbosity(run_cmd, run_quiet, run_verbose);
  run_cmd->footer(kRunExamples);

  ValidateArgs validate;
  CLI::App* validate_cmd =
      app.add_subcommand("validate", "check a config and print it fully resolved");
  validate_cmd->add_option("config", validate.config, "the experiment's YAML file")->required();
  AddSetOption(validate_cmd, validate.overrides, "override a config key (repeatable)");
  validate_cmd->footer(kValidateExamples);

  CLI::App* keys_cmd =
      app.add_subcommand("keys", "list every config key: type, default and meaning (Markdown)");
  CLI::App* algorithms_cmd =
      app.add_subcommand("algorithms", "list the algorithms algorithm.name can choose");

  CompareArgs compare;
  bool compare_quiet = false, compare_verbose = false;
  CLI::App* compare_cmd =
      app.add_subcommand("compare", "run one experiment once per algorithm and compare them");
  compare_cmd->add_option("config", compare.config, "the experiment's YAML file")->required();
  compare_cmd->add_option("--algorithms", compare.algorithms, "comma-separated algorithm names")
      ->required()
      ->delimiter(',')
      ->expected(1)
      ->take_all();
  AddSetOption(compare_cmd, compare.overrides,
               "override a config key (repeatable); ALG:KEY=VALUE for one algorithm only");
  compare_cmd->add_option("--out", compare.out, "output folder (must be new or empty)");
  AddVerbosity(compare_cmd, compare_quiet, compare_verbose);
  compare_cmd->footer(kCompareExamples);

  HeadArgs head;
  CLI::App* head_cmd = app.add_subcommand("head", "start the head of a multi-host run");
  head_cmd->add_option("--config", head.config, "the experiment's YAML file");
  head_cmd->add_option("--listen", head.listen, "tcp address to bind")->required();
  AddSetOption(head_cmd, head.overrides, "override a config key (repeatable)");
  head_cmd->add_option("--out", head.out, "output folder (must be new or empty)");
  head_cmd->add_option("--resume", head.resume, "continue the run checkpointed in this folder");
  bool head_quiet = false, head_verbose = false;
  AddVerbosity(head_cmd, head_quiet, head_verbose);
  head_cmd->footer(kHeadExamples);

  WorkerArgs worker;
  CLI::App* worker_cmd = app.add_subcommand("worker", "join a head and host actors");
  worker_cmd->add_option("--head", worker.head, "the head's tcp address")
      ->required()
      ->envname("OLSGD_HEAD");
  worker_cmd->add_option("--slots", worker.slots, "trainer slots on this host")
      ->default_val(1)
      ->envname("OLSGD_SLOTS");
  worker_cmd->add_option("--key-dir", worker.key_dir, "CURVE keys from `olsgd keygen`")
      ->envname("OLSGD_KEY_DIR");
  worker_cmd->add_flag("--insecure", worker.insecure,
                       "plaintext tcp, no key (trusted networks only)");
  worker_cmd->add_option("--name", worker.name, "unique node name (default HOSTNAME-PID)")
      ->envname("OLSGD_NODE_NAME");
  worker_cmd->add_option(
      "--listen", worker.listen,
      "tcp address to bind (default: the address that routes to the head, any port)");
  worker_cmd->add_option("--join-timeout", worker.join_timeout_s, "seconds to wait for the head")
      ->default_val(60);
  worker_cmd->add_option("--heartbeat", worker.heartbeat_s, "heartbeat period, seconds")
      ->default_val(0.5);
  worker_cmd
      ->add_option("--failure-timeout", worker.failure_timeout_s,
                   "declare the head lost after this many silent seconds")
      ->default_val(2.5);
  worker_cmd->footer(kWorkerExamples);

  KeygenArgs keygen;
  CLI::App* keygen_cmd = app.add_subcommand("keygen", "write a cluster's CURVE key files");
  keygen_cmd->add_option("--out", keygen.out, "folder for the key files")->required();
  keygen_cmd->footer(kKeygenExamples);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e, *env.out, *env.err);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (run_cmd->parsed()) {
    run.verbosity = VerbosityOf(run_quiet, run_verbose);
    return RunCommand(run, env);
  }
  if (validate_cmd->parsed()) return ValidateCommand(validate, env);
  if (keys_cmd->parsed()) return KeysCommand(env);
  if (algorithms_cmd->parsed()) return AlgorithmsCommand(env);
  if (compare_cmd->parsed()) {
    compare.verbosity = VerbosityOf(compare_quiet, compare_verbose);
    return CompareCommand(compare, env);
  }
  if (head_cmd->parsed()) {
    head.verbosity = VerbosityOf(head_quiet, head_verbose);
    return HeadCommand(head, env);
  }
  if (worker_cmd->parsed()) return WorkerCommand(worker, env);
  if (keygen_cmd->parsed()) return KeygenCommand(keygen, env);
  return kExitUsage;
}

}  // namespace olsgd::cli
