#pragma once

#include <string>

#include "trainer/dataset.h"
#include "trainer/model.h"

namespace olsgd::train::bench {

// How a throughput measurement is run. Each round times `steps` training
// steps, then `steps` replays of the step's GEMMs alone, then a large sgemm;
// the figures reported are medians over the rounds, so a neighbour's build
// that slows one round down does not skew the ratios of the others.
struct ThroughputOptions {
  int batch = 64;
  int steps = 100;  // per round
  int rounds = 15;
  int sgemm_size = 1024;  // the large sgemm is n x n x n
};

// One model's figures (medians over rounds; the ratios are medians of the
// per-round ratios, each taken within one round).
struct Throughput {
  std::string model, conv;
  size_t params = 0;
  int batch = 0, steps = 0, rounds = 0, gemms_per_step = 0;
  double step_s = 0, gemm_s = 0, step_over_gemm = 0;
  double step_over_gemm_min = 0, step_over_gemm_max = 0;  // over the rounds
  double gemm_flop_per_step = 0;                          // of the recorded OpenBLAS calls
  double flop_per_sample = 0;        // all matrix products, from the layer shapes
  double sgemm_gflops = 0;           // the large sgemm's rate, measured in the same rounds
  double achieved_over_allowed = 0;  // samples/s / (sgemm rate / flop_per_sample)
  double achieved_over_allowed_min = 0, achieved_over_allowed_max = 0;
  double allocs_per_step = 0;  // operator new calls per steady-state step
};

Throughput MeasureThroughput(const ModelConfig& config, const Dataset& train,
                             const ThroughputOptions& options);

std::string ToJson(const Throughput& t);

}  // namespace olsgd::train::bench
