// A checkpoint in memory and on disk (docs/ACTORS.md, "Checkpoints"). On disk
// it is one folder per round, `<root>/round-000040/`, holding one file per
// part (trainer-N.bin, reducer-J.bin, history.bin, each msgpack with the
// float arrays as raw bin) and manifest.json: format version, round, the
// config fingerprint, and each file's size and CRC-32. `<root>/latest` names
// the newest complete folder. Everything is written to temporary names,
// fsynced and renamed, so a crash leaves the previous checkpoint intact.
#ifndef OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_FORMAT_H_
#define OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_FORMAT_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/roles/messages.h"
#include "actors/run/run_collector.h"
#include "actors/spec/experiment_spec.h"
#include "actors/worker/run_plan.h"
#include "runtime/tensor.h"

namespace olsgd::actors {

// 2: the algorithm halves' own arrays (HalfState) in generic slots.
inline constexpr int kCheckpointFormatVersion = 2;

// A checkpoint that cannot be used: missing, corrupt, truncated, of another
// format version, or made with a different config. The message names the
// file (or config key) and what is wrong.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TrainerPart {
  TrainerState state;
  std::vector<rt::Tensor> arrays;  // TrainerArray order
};

struct ReducerPart {
  ReducerState state;
  std::vector<rt::Tensor> arrays;  // ReducerArray order
};

struct Checkpoint {
  int64_t round = 0;
  std::vector<TrainerPart> trainers;  // by worker
  std::vector<ReducerPart> reducers;  // by shard
  RunHistory history;
};

// "round-000040"
std::string CheckpointFolderName(int64_t round);

// Writes `ckpt` to `root`/round-NNNNNN/ (replacing an older folder of that
// name), then points `root`/latest at it; returns the folder. Throws
// CheckpointError naming the path on an I/O error. `bytes` (if not null)
// receives the size of the files written.
std::string WriteCheckpoint(const std::string& root, const Checkpoint& ckpt,
                            const ExperimentSpec& spec, uint64_t* bytes = nullptr);

// Removes all but the newest `keep` round folders under `root`.
void PruneCheckpoints(const std::string& root, int keep);

// The round folder `path` means: `path` itself if it holds manifest.json,
// else the folder `path`/latest names. Throws CheckpointError if neither.
std::string ResolveCheckpointFolder(const std::string& path);

// Reads and checks a checkpoint (ResolveCheckpointFolder(path)) for `spec`:
// the manifest's format and version, every file's presence, size and CRC,
// each part's contents, and that the config fields it was made with match
// `spec` (the error names the first key that differs). Throws
// CheckpointError.
Checkpoint LoadCheckpoint(const std::string& path, const ExperimentSpec& spec);

// Checks the arrays' sizes against the run: `num_params` floats per model,
// the plan's shard slices for the reducers. Throws CheckpointError.
void CheckCheckpointShape(const Checkpoint& ckpt, const RunPlan& plan, size_t num_params);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CHECKPOINT_CHECKPOINT_FORMAT_H_
