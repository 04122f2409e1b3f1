// trainer_bench: serial training throughput on Fashion-MNIST, in one run:
//  - the MLP, and the CNN with each convolution backend (oneDNN, and im2col +
//    OpenBLAS), each step timed against the same step's GEMMs alone (replayed
//    at the exact shapes the step used, recorded with GemmLog);
//  - a large sgemm's GFLOP/s, and from it and the FLOPs per sample counted
//    from the model's shapes, the samples/s that rate would allow;
// timed in interleaved rounds (throughput.h). Prints JSON to stdout; writes it
// to a file only with --out.
//
//   trainer_bench [--threads N] [--rounds R] [--models mlp,cnn] [--out FILE]
//   trainer_bench --accuracy [--mlp-epochs E] [--cnn-epochs E] [--out FILE]
//       trains each model serially and reports test accuracy per epoch
//       (recorded in bench/results/trainer_accuracy.json).
#include <cblas.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/trainer/throughput.h"
#include "trainer/batch_sampler.h"
#include "trainer/loaders.h"
#include "trainer/lr_schedule.h"
#include "trainer/model.h"
#include "trainer/partition.h"
#include "trainer/sgd.h"

namespace olsgd::train::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Serial training for `epochs`, evaluating after each; returns a JSON object.
std::string MeasureAccuracy(const ModelConfig& config, const Dataset& train, const Dataset& test,
                            int epochs, int batch, float lr) {
  auto model = BuildModel(config, train, 1);
  Sgd sgd(model->num_params());
  BatchSampler sampler(PartitionIid(train, 1, 1)[0], batch, 1);
  // Step decay at 60% and 85% of the run, as in the usual recipes.
  LrSchedule schedule({.base_lr = lr, .milestones = {0.6 * epochs, 0.85 * epochs}});
  Batch b;
  std::ostringstream out;
  out << "{\"model\": \"" << model->Describe() << "\", \"batch\": " << batch << ", \"lr\": " << lr
      << ", \"epochs\": [";
  const auto t0 = Clock::now();
  double best = 0;
  for (int e = 1; e <= epochs; ++e) {
    while (sampler.epoch() < e) {
      sampler.Next(train, &b);
      model->ForwardBackward(b);
      sgd.Step(model->params(), model->grads(),
               {.lr = schedule.At(sampler.epoch()),
                .momentum = 0.9f,
                .nesterov = true,
                .weight_decay = 5e-4f});
    }
    const EvalResult r = model->Evaluate(test, 500);
    best = std::max(best, r.accuracy);
    std::fprintf(stderr, "%s epoch %d: test loss %.4f accuracy %.4f (%.0f s)\n",
                 config.name.c_str(), e, r.loss, r.accuracy, Seconds(t0, Clock::now()));
    out << (e > 1 ? ", " : "") << "{\"epoch\": " << e << ", \"test_loss\": " << r.loss
        << ", \"test_accuracy\": " << r.accuracy << ", \"wall_s\": " << Seconds(t0, Clock::now())
        << "}";
  }
  out << "], \"best_accuracy\": " << best << "}";
  return out.str();
}

// The 1-minute load average, recorded with the figures: on a shared 2-core
// machine a busy neighbour slows everything down, GEMMs included.
double LoadAverage() {
  double load = -1;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

std::string Throughputs(const std::string& models, const Dataset& train, int rounds,
                        std::vector<Throughput>* all) {
  std::string out;
  auto run = [&](const ModelConfig& config, int steps) {
    const Throughput t = MeasureThroughput(config, train, {.steps = steps, .rounds = rounds});
    out += (out.empty() ? "  " : ",\n  ") + ToJson(t);
    all->push_back(t);
  };
  // Rounds of ~0.1-0.3 s, so that a round's steps and its GEMM replay run
  // under nearly the same load from the machine's other users.
  if (models.find("mlp") != std::string::npos) run({.name = "mlp", .hidden = {256, 128}}, 100);
  if (models.find("cnn") != std::string::npos) {
    for (const char* conv : {"onednn", "gemm"}) run({.name = "cnn", .conv = conv}, 10);
  }
  return out;
}

int Main(int argc, char** argv) {
  int threads = 1, mlp_epochs = 10, cnn_epochs = 15, rounds = 15;
  bool accuracy = false;
  std::string out_path, models = "mlp,cnn";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--threads") {
      threads = std::atoi(next().c_str());
    } else if (a == "--out") {
      out_path = next();
    } else if (a == "--rounds") {
      rounds = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--models") {
      models = next();
    } else if (a == "--accuracy") {
      accuracy = true;
    } else if (a == "--mlp-epochs") {
      mlp_epochs = std::atoi(next().c_str());
    } else if (a == "--cnn-epochs") {
      cnn_epochs = std::atoi(next().c_str());
    } else {
      std::fprintf(stderr,
                   "usage: trainer_bench [--threads N] [--rounds R] [--models mlp,cnn] "
                   "[--out FILE]\n"
                   "       trainer_bench --accuracy [--mlp-epochs E] [--cnn-epochs E] "
                   "[--threads N] [--out FILE]\n");
      return 2;
    }
  }
  openblas_set_num_threads(threads);
  const Dataset train = LoadFashionMnist(kFashionMnistDir, Split::kTrain);
  std::ostringstream json;
  if (accuracy) {
    const Dataset test = LoadFashionMnist(kFashionMnistDir, Split::kTest);
    json << "{\"bench\": \"trainer_accuracy\", \"dataset\": \"fashion-mnist\", "
            "\"openblas_threads\": "
         << threads << ", \"results\": [\n  "
         << MeasureAccuracy({.name = "mlp", .hidden = {256, 128}}, train, test, mlp_epochs, 64,
                            0.02f)
         << ",\n  " << MeasureAccuracy({.name = "cnn"}, train, test, cnn_epochs, 64, 0.02f)
         << "\n]}\n";
  } else {
    const double load = LoadAverage();
    std::vector<Throughput> all;
    const std::string results = Throughputs(models, train, rounds, &all);
    json << "{\"bench\": \"trainer\", \"dataset\": \"fashion-mnist\", \"openblas_threads\": "
         << threads << ", \"load_average_at_start\": " << load
         << ", \"method\": \"medians over rounds, each timing the steps, their OpenBLAS calls "
            "replayed alone, and the best of three 1024^3 sgemms (sgemm_gflops); allowed = "
            "sgemm_gflops / mflop_per_sample\", \"results\": [\n"
         << results << "\n]}\n";
    for (const Throughput& t : all) {
      std::fprintf(stderr,
                   "%-4s %-7s %8.0f samples/s  step/GEMM %.3fx (rounds %.3f-%.3f)  "
                   "achieved/allowed %.3f (rounds %.3f-%.3f)\n",
                   t.model.substr(0, t.model.find(':')).c_str(), t.conv.c_str(), t.batch / t.step_s,
                   t.step_over_gemm, t.step_over_gemm_min, t.step_over_gemm_max,
                   t.achieved_over_allowed, t.achieved_over_allowed_min,
                   t.achieved_over_allowed_max);
    }
  }
  std::fputs(json.str().c_str(), stdout);
  if (!out_path.empty()) {
    std::ofstream(out_path) << json.str();
    std::fprintf(stderr, "wrote %s\n", out_path.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace olsgd::train::bench

int main(int argc, char** argv) { return olsgd::train::bench::Main(argc, argv); }
