// A training algorithm as olsgd runs it (docs/ALGORITHMS.md): its worker half
// (what a worker computes at a round boundary), its reducer half (how a
// reducer shard combines the round's contributions), its traits, and the
// state each half checkpoints. Every algorithm lives in one file,
// algorithms/<name>.cc, and is registered by name in algorithm_registry.cc;
// the trainer and reducer actors only ever call through this interface.
//
// Pure numerics: no messages, no threads, so each half is testable alone.
#ifndef OLSGD_ACTORS_ALGORITHMS_ALGORITHM_H_
#define OLSGD_ACTORS_ALGORITHMS_ALGORITHM_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

// What a worker half may touch of its worker (LocalWorker implements it;
// tests use a plain vector).
class WorkerModel {
 public:
  virtual ~WorkerModel() = default;
  virtual std::span<float> params() = 0;
  // The gradient of the last step (computed, not yet applied when the
  // algorithm exchanges gradients).
  virtual std::span<const float> gradient() const = 0;
  // One optimiser step with gradient `g`.
  virtual void ApplyStep(std::span<const float> g) = 0;
};

// What a half keeps from one round to the next, for checkpoints.
struct HalfState {
  bool first = true;                       // no boundary (or update) applied yet
  std::vector<std::vector<float>> arrays;  // at most kHalfArrays, in the half's own order
};
inline constexpr size_t kHalfArrays = 2;

// The worker half: one per worker.
class WorkerHalf {
 public:
  virtual ~WorkerHalf() = default;
  // The boundary of a round. `received` is the result this boundary uses
  // (overlapped algorithms: the previous round's anchor or average, x0 at the
  // first boundary; blocking algorithms: empty). Updates the local model as
  // the algorithm says and writes this worker's contribution to the round
  // into `c` (the model's size). `lr` is the worker's learning rate.
  virtual void Boundary(WorkerModel& w, std::span<const float> received, float lr,
                        std::span<float> c) = 0;
  // Blocking algorithms: takes the round's result once it has arrived.
  virtual void Apply(WorkerModel& w, std::span<const float> result) {
    (void)w;
    (void)result;
  }
  virtual HalfState Save() const { return {}; }
  // Throws std::invalid_argument when `s` does not fit this half (array
  // count or sizes).
  virtual void Restore(const HalfState& s);
};

// The reducer half: one per reducer shard, owning a contiguous slice.
class ReducerHalf {
 public:
  virtual ~ReducerHalf() = default;
  // Combines one round's contributions, `taken` in worker order (all members
  // of the group, or fewer when workers were dropped), into `out`. `lr` is
  // the learning rate the contributors reported.
  virtual void Combine(std::span<const std::span<const float>> taken, float lr,
                       std::span<float> out) = 0;
  virtual HalfState Save() const { return {}; }
  virtual void Restore(const HalfState& s);
};

enum class Flow {
  // Send this round's contribution, wait for this round's result, apply it.
  kBlocking,
  // Wait for the previous round's result, use it at the boundary, send this
  // round's contribution and go straight on: the averaging of round r runs
  // during round r + 1's local steps.
  kOverlapped,
};

struct AlgorithmTraits {
  Flow flow = Flow::kBlocking;
  // The result a worker receives is an anchor worth evaluating on its own.
  bool has_anchor = false;
  // A local step only computes a gradient; the round (always one step)
  // exchanges gradients and the optimiser step applies their average.
  bool exchanges_gradients = false;
};

// What a half is built from. `x0` is the common initial model (its slice
// for a reducer shard).
struct WorkerSetup {
  const ExperimentSpec& spec;
  int worker;
  std::span<const float> x0;
};
struct ReducerSetup {
  const ExperimentSpec& spec;
  int shard;
  std::span<const float> x0_slice;
};

// A config problem specific to one algorithm: the key's path and the message.
struct AlgorithmConfigError {
  std::string path;
  std::string message;
};

struct Algorithm {
  std::string_view name;     // the config's algorithm.name
  std::string_view summary;  // one line for `olsgd algorithms`
  AlgorithmTraits traits;
  std::unique_ptr<WorkerHalf> (*make_worker)(const WorkerSetup&);
  std::unique_ptr<ReducerHalf> (*make_reducer)(const ReducerSetup&);
  // Checks the algorithm's own parameters (alpha, beta, ...).
  std::optional<AlgorithmConfigError> (*check)(const ExperimentSpec&);

  bool overlapped() const { return traits.flow == Flow::kOverlapped; }
};

// Every registered algorithm, in the order the docs list them.
const std::vector<const Algorithm*>& Algorithms();
std::vector<std::string> AlgorithmNames();
// The algorithm named `name`, or nullptr.
const Algorithm* FindAlgorithm(std::string_view name);
// The spec's algorithm. Throws std::invalid_argument for an unknown name.
const Algorithm& AlgorithmOf(const ExperimentSpec& spec);
// Local steps per round: algorithm.tau, or 1 for gradient exchanges.
int RoundSteps(const ExperimentSpec& spec);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_ALGORITHMS_ALGORITHM_H_
