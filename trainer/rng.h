#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace olsgd::train {

// Mixes a seed with a stream id (splitmix64 finaliser), so that independent
// streams (worker w, epoch e, ...) get unrelated seeds.
inline uint64_t MixSeed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// xoshiro256** with its own distributions, so that results are bit-identical
// across standard libraries (std:: distributions are implementation-defined).
// Its whole state is four words, readable and restorable for checkpoints.
class Rng {
 public:
  using State = std::array<uint64_t, 4>;

  explicit Rng(uint64_t seed) {
    for (int i = 0; i < 4; ++i) s_[i] = MixSeed(seed, static_cast<uint64_t>(i));
  }

  // The next 64 random bits.
  uint64_t NextU64() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

  // Uniform integer in [0, n). REQUIRES: n > 0. Unbiased (rejection).
  uint64_t Below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = NextU64();
    while (x >= limit);
    return x % n;
  }

  // Standard normal (Box-Muller; one value per call, no cached spare, so the
  // state stays four words).
  double Normal() {
    double u1;
    do u1 = Uniform();
    while (u1 <= 0.0);
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  // Gamma(shape, 1) by Marsaglia-Tsang; shape < 1 via the boost
  // Gamma(a) = Gamma(a + 1) * U^(1/a). REQUIRES: shape > 0.
  double Gamma(double shape) {
    if (shape < 1.0) {
      double u;
      do u = Uniform();
      while (u <= 0.0);
      return Gamma(shape + 1.0) * std::pow(u, 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = Normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = Uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (u > 0.0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }

  // The full generator state, for checkpoints.
  State state() const { return s_; }
  // Restores a state returned by state().
  void set_state(const State& s) { s_ = s; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  State s_;
};

}  // namespace olsgd::train
