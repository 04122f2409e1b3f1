#include "bench/trainer/throughput.h"

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "bench/trainer/alloc_counter.h"
#include "trainer/batch_sampler.h"
#include "trainer/gemm.h"
#include "trainer/partition.h"
#include "trainer/rng.h"
#include "trainer/sgd.h"

namespace olsgd::train::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Buffers for recorded GEMMs, sized from a call's shape and leading
// dimensions.
struct GemmBuffers {
  std::vector<float> a, b, c;
};

GemmBuffers MakeBuffers(const GemmCall& g, Rng* rng) {
  GemmBuffers r;
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

bool SameCall(const GemmCall& x, const GemmCall& y) {
  return x.trans_a == y.trans_a && x.trans_b == y.trans_b && x.m == y.m && x.n == y.n &&
         x.k == y.k && x.lda == y.lda && x.ldb == y.ldb && x.ldc == y.ldc && x.beta == y.beta;
}

// The best of three n x n x n sgemms, in GFLOP/s: what one call of a large,
// well-shaped GEMM reaches on this machine right now.
class LargeSgemm {
 public:
  explicit LargeSgemm(int n) : n_(n), a_(size_t(n) * n), b_(a_.size()), c_(a_.size()) {
    Rng rng(11);
    for (auto* v : {&a_, &b_}) {
      for (float& x : *v) x = static_cast<float>(rng.Uniform(-1, 1));
    }
  }
  double Gflops() {
    double best = 1e30;
    for (int i = 0; i < 3; ++i) {
      const auto t0 = Clock::now();
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n_, n_, n_, 1.0f, a_.data(), n_,
                  b_.data(), n_, 0.0f, c_.data(), n_);
      best = std::min(best, Seconds(t0, Clock::now()));
    }
    return 2.0 * n_ * n_ * n_ / best / 1e9;
  }

 private:
  int n_;
  std::vector<float> a_, b_, c_;
};

}  // namespace

Throughput MeasureThroughput(const ModelConfig& config, const Dataset& train,
                             const ThroughputOptions& o) {
  auto model = BuildModel(config, train, 1);
  Sgd sgd(model->num_params());
  BatchSampler sampler(PartitionIid(train, 1, 1)[0], o.batch, 1);
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

  // Identical calls share buffers in the replay, as the im2col convolution's
  // per-sample calls share its scratch in the step. That keeps the replay's
  // operands at least as hot as the step's, so the GEMM time is not inflated
  // by cold buffers and step/GEMM does not understate the rest of the step.
  Rng rng(7);
  std::vector<GemmBuffers> buffers;
  std::vector<size_t> buffer_of(calls.size());
  double gemm_flop = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    size_t j = 0;
    while (j < i && !SameCall(calls[j], calls[i])) ++j;
    if (j == i) {
      buffer_of[i] = buffers.size();
      buffers.push_back(MakeBuffers(calls[i], &rng));
    } else {
      buffer_of[i] = buffer_of[j];
    }
    gemm_flop += 2.0 * calls[i].m * calls[i].n * calls[i].k;
  }
  auto gemms = [&] {
    for (size_t i = 0; i < calls.size(); ++i) {
      const GemmCall& g = calls[i];
      GemmBuffers& r = buffers[buffer_of[i]];
      Sgemm(g.trans_a, g.trans_b, g.m, g.n, g.k, r.a.data(), g.lda, r.b.data(), g.ldb, g.beta,
            r.c.data(), g.ldc);
    }
  };
  for (int i = 0; i < 10; ++i) gemms();
  LargeSgemm large(o.sgemm_size);
  large.Gflops();  // warm-up

  Throughput t;
  t.model = model->Describe();
  t.conv = config.name == "cnn" ? config.conv : "";
  t.params = model->num_params();
  t.batch = o.batch;
  t.steps = o.steps;
  t.rounds = o.rounds;
  t.gemms_per_step = static_cast<int>(calls.size());
  t.gemm_flop_per_step = gemm_flop;
  t.flop_per_sample = static_cast<double>(model->TrainingFlopsPerSample());
  std::vector<double> step_s, gemm_s, ratio, peak, achieved, allocs;
  for (int r = 0; r < o.rounds; ++r) {
    const int64_t new0 = NewCalls();
    const auto t0 = Clock::now();
    for (int i = 0; i < o.steps; ++i) step();
    const auto t1 = Clock::now();
    const int64_t new1 = NewCalls();
    for (int i = 0; i < o.steps; ++i) gemms();
    const auto t2 = Clock::now();
    const double gflops = large.Gflops();
    step_s.push_back(Seconds(t0, t1) / o.steps);
    gemm_s.push_back(Seconds(t1, t2) / o.steps);
    ratio.push_back(step_s.back() / gemm_s.back());
    peak.push_back(gflops);
    const double allowed = gflops * 1e9 / t.flop_per_sample;
    achieved.push_back(o.batch / step_s.back() / allowed);
    allocs.push_back(static_cast<double>(new1 - new0) / o.steps);
  }
  t.step_s = Median(step_s);
  t.gemm_s = Median(gemm_s);
  t.step_over_gemm = Median(ratio);
  t.step_over_gemm_min = *std::min_element(ratio.begin(), ratio.end());
  t.step_over_gemm_max = *std::max_element(ratio.begin(), ratio.end());
  t.sgemm_gflops = Median(peak);
  t.achieved_over_allowed = Median(achieved);
  t.achieved_over_allowed_min = *std::min_element(achieved.begin(), achieved.end());
  t.achieved_over_allowed_max = *std::max_element(achieved.begin(), achieved.end());
  t.allocs_per_step = Median(allocs);
  return t;
}

std::string ToJson(const Throughput& t) {
  char buf[2048];
  std::snprintf(
      buf, sizeof(buf),
      "{\"model\": \"%s\", \"conv\": \"%s\", \"params\": %zu, \"batch\": %d, "
      "\"steps_per_round\": %d, \"rounds\": %d, \"samples_per_s\": %.1f, \"step_ms\": %.3f, "
      "\"gemm_ms\": %.3f, \"step_over_gemm\": %.3f, \"step_over_gemm_range\": [%.3f, %.3f], "
      "\"gemms_per_step\": %d, "
      "\"gemm_gflops\": %.2f, \"mflop_per_sample\": %.3f, \"sgemm_gflops\": %.2f, "
      "\"allowed_samples_per_s\": %.1f, \"achieved_over_allowed\": %.3f, "
      "\"achieved_over_allowed_range\": [%.3f, %.3f], "
      "\"allocs_per_step\": %.1f}",
      t.model.c_str(), t.conv.c_str(), t.params, t.batch, t.steps, t.rounds, t.batch / t.step_s,
      t.step_s * 1e3, t.gemm_s * 1e3, t.step_over_gemm, t.step_over_gemm_min, t.step_over_gemm_max,
      t.gemms_per_step, t.gemm_flop_per_step / t.gemm_s / 1e9, t.flop_per_sample / 1e6,
      t.sgemm_gflops, t.sgemm_gflops * 1e9 / t.flop_per_sample, t.achieved_over_allowed,
      t.achieved_over_allowed_min, t.achieved_over_allowed_max, t.allocs_per_step);
  return buf;
}

}  // namespace olsgd::train::bench
