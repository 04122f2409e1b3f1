// trainer_bench: serial training throughput of the MLP and the CNN on
// Fashion-MNIST, and the time of the same step's GEMMs alone (replayed at the
// exact shapes the step used, recorded with GemmLog), in one run. Prints JSON
// and writes it to bench/results/trainer.json.
//
//   trainer_bench [--threads N] [--out FILE]
//   trainer_bench --accuracy [--mlp-epochs E] [--cnn-epochs E] [--out FILE]
//       trains each model serially and reports test accuracy per epoch
//       (bench/results/trainer_accuracy.json).
#include <cblas.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "trainer/batch_sampler.h"
#include "trainer/gemm.h"
#include "trainer/loaders.h"
#include "trainer/lr_schedule.h"
#include "trainer/model.h"
#include "trainer/partition.h"
#include "trainer/rng.h"
#include "trainer/sgd.h"

namespace olsgd::train {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Buffers for one recorded GEMM, sized from its shape and leading dimensions.
struct GemmReplay {
  GemmCall call;
  std::vector<float> a, b, c;
};

GemmReplay MakeReplay(const GemmCall& g, Rng* rng) {
  GemmReplay r{g, {}, {}, {}};
  const int a_rows = g.trans_a == CblasNoTrans ? g.m : g.k;
  const int b_rows = g.trans_b == CblasNoTrans ? g.k : g.n;
  r.a.resize(size_t(a_rows) * g.lda);
  r.b.resize(size_t(b_rows) * g.ldb);
  r.c.resize(size_t(g.m) * g.ldc);
  for (auto* v : {&r.a, &r.b, &r.c}) {
    for (float& x : *v) x = static_cast<float>(rng->Uniform(-0.1, 0.1));
  }
  return r;
}

struct Throughput {
  std::string model;
  size_t params = 0;
  int batch = 0, steps = 0, gemms_per_step = 0;
  double gflop_per_step = 0, step_s = 0, gemm_s = 0;
};

Throughput MeasureThroughput(const ModelConfig& config, const Dataset& train, int batch,
                             int steps) {
  auto model = BuildModel(config, train, 1);
  Sgd sgd(model->num_params());
  BatchSampler sampler(PartitionIid(train, 1, 1)[0], batch, 1);
  const SgdOptions opt{.lr = 0.01f, .momentum = 0.9f, .nesterov = true, .weight_decay = 1e-4f};
  Batch b;
  auto step = [&] {
    sampler.Next(train, &b);
    model->ForwardBackward(b);
    sgd.Step(model->params(), model->grads(), opt);
  };
  std::vector<GemmCall> calls;
  {
    GemmLog log;
    step();
    calls = log.calls();
  }
  for (int i = 0; i < 10; ++i) step();  // warm-up
  const auto t0 = Clock::now();
  for (int i = 0; i < steps; ++i) step();
  const auto t1 = Clock::now();

  Rng rng(7);
  std::vector<GemmReplay> replays;
  double flops = 0;
  for (const GemmCall& g : calls) {
    replays.push_back(MakeReplay(g, &rng));
    flops += 2.0 * g.m * g.n * g.k;
  }
  auto gemms = [&] {
    for (GemmReplay& r : replays) {
      const GemmCall& g = r.call;
      Sgemm(g.trans_a, g.trans_b, g.m, g.n, g.k, r.a.data(), g.lda, r.b.data(), g.ldb, g.beta,
            r.c.data(), g.ldc);
    }
  };
  for (int i = 0; i < 10; ++i) gemms();
  const auto t2 = Clock::now();
  for (int i = 0; i < steps; ++i) gemms();
  const auto t3 = Clock::now();

  Throughput t;
  t.model = model->Describe();
  t.params = model->num_params();
  t.batch = batch;
  t.steps = steps;
  t.gemms_per_step = static_cast<int>(calls.size());
  t.gflop_per_step = flops / 1e9;
  t.step_s = Seconds(t0, t1) / steps;
  t.gemm_s = Seconds(t2, t3) / steps;
  return t;
}

std::string ThroughputJson(const Throughput& t) {
  char buf[1024];
  std::snprintf(buf, sizeof(buf),
                "{\"model\": \"%s\", \"params\": %zu, \"batch\": %d, \"steps\": %d, "
                "\"samples_per_s\": %.1f, \"step_ms\": %.3f, \"gemm_ms\": %.3f, "
                "\"step_over_gemm\": %.3f, \"gemms_per_step\": %d, \"gemm_gflops\": %.2f}",
                t.model.c_str(), t.params, t.batch, t.steps, t.batch / t.step_s, t.step_s * 1e3,
                t.gemm_s * 1e3, t.step_s / t.gemm_s, t.gemms_per_step, t.gflop_per_step / t.gemm_s);
  return buf;
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

int Main(int argc, char** argv) {
  int threads = 1, mlp_epochs = 10, cnn_epochs = 15;
  bool accuracy = false;
  std::string out_path;
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
    } else if (a == "--accuracy") {
      accuracy = true;
    } else if (a == "--mlp-epochs") {
      mlp_epochs = std::atoi(next().c_str());
    } else if (a == "--cnn-epochs") {
      cnn_epochs = std::atoi(next().c_str());
    } else {
      std::fprintf(stderr,
                   "usage: trainer_bench [--threads N] [--out FILE]\n"
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
    if (out_path.empty())
      out_path = std::string(OLSGD_SOURCE_DIR) + "/bench/results/trainer_accuracy.json";
  } else {
    json << "{\"bench\": \"trainer\", \"dataset\": \"fashion-mnist\", \"openblas_threads\": "
         << threads << ", \"load_average_at_start\": " << LoadAverage() << ", \"results\": [\n  "
         << ThroughputJson(
                MeasureThroughput({.name = "mlp", .hidden = {256, 128}}, train, 64, 1500))
         << ",\n  " << ThroughputJson(MeasureThroughput({.name = "cnn"}, train, 64, 150))
         << "\n]}\n";
    if (out_path.empty()) out_path = std::string(OLSGD_SOURCE_DIR) + "/bench/results/trainer.json";
  }
  std::fputs(json.str().c_str(), stdout);
  std::ofstream(out_path) << json.str();
  std::fprintf(stderr, "wrote %s\n", out_path.c_str());
  return 0;
}

}  // namespace
}  // namespace olsgd::train

int main(int argc, char** argv) { return olsgd::train::Main(argc, argv); }
