// A checkpoint that cannot be used is refused with an error naming the file
// or config key, before any actor starts; never a silent fresh start. And the
// store on its own: assembling parts, the latest reducer state, forced writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "actors/checkpoint/checkpoint_format.h"
#include "actors/checkpoint/checkpoint_store.h"
#include "checkpoint_test_util.h"
#include "run_test_util.h"

namespace olsgd::actors {
namespace {

namespace fs = std::filesystem;
using test_util::ReadBytes;
using test_util::RunWithCheckpoints;
using test_util::TempFolder;
using test_util::TinySpec;
using test_util::WriteBytes;

ExperimentSpec Spec() {
  ExperimentSpec spec = TinySpec("overlap_local_sgd", 2);
  spec.algorithm.reducer_shards = 2;
  spec.cluster.checkpoint_every_rounds = 2;
  return spec;
}

// One run's checkpoints, made once for all the tests here.
class CheckpointErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempFolder;
    const RunOutcome out = RunWithCheckpoints(Spec(), *dir_ / "ck", "");
    ASSERT_EQ(out.summary.status, "completed");
    ASSERT_EQ(out.checkpoints.latest_round, 4);
  }
  static void TearDownTestSuite() { delete dir_; }

  // A private copy of the latest checkpoint folder to damage.
  std::string Copy() {
    const std::string to = scratch_ / "copy";
    fs::copy(*dir_ / "ck/round-000004", to, fs::copy_options::recursive);
    return to;
  }
  // The error LoadCheckpoint (and RunAndCollect) give, or "" if none.
  static std::string ErrorOf(const std::string& path, const ExperimentSpec& spec) {
    std::string load_error, run_error;
    try {
      LoadCheckpoint(path, spec);
    } catch (const CheckpointError& e) {
      load_error = e.what();
    }
    try {
      RunWithCheckpoints(spec, "", path);
    } catch (const CheckpointError& e) {
      run_error = e.what();
    }
    EXPECT_EQ(load_error, run_error) << "RunAndCollect must refuse it the same way";
    return load_error;
  }

  static TempFolder* dir_;
  TempFolder scratch_;
};
TempFolder* CheckpointErrorsTest::dir_ = nullptr;

TEST_F(CheckpointErrorsTest, IntactCheckpointLoads) {
  const Checkpoint c = LoadCheckpoint(*dir_ / "ck", Spec());  // via `latest`
  EXPECT_EQ(c.round, 4);
  EXPECT_EQ(c.trainers.size(), 2u);
  EXPECT_EQ(c.reducers.size(), 2u);
  EXPECT_FALSE(c.history.evals.empty());
  EXPECT_EQ(ErrorOf(Copy(), Spec()), "");
}

TEST_F(CheckpointErrorsTest, FlippedByteIsACorruptFile) {
  const std::string folder = Copy();
  std::string data = ReadBytes(folder + "/trainer-1.bin");
  data[data.size() / 2] ^= 0x01;
  WriteBytes(folder + "/trainer-1.bin", data);
  const std::string error = ErrorOf(folder, Spec());
  EXPECT_NE(error.find(folder + "/trainer-1.bin: checksum mismatch"), std::string::npos) << error;
}

TEST_F(CheckpointErrorsTest, TruncatedFile) {
  const std::string folder = Copy();
  const std::string data = ReadBytes(folder + "/reducer-0.bin");
  WriteBytes(folder + "/reducer-0.bin", data.substr(0, data.size() - 100));
  const std::string error = ErrorOf(folder, Spec());
  EXPECT_NE(error.find("reducer-0.bin: " + std::to_string(data.size() - 100) + " bytes"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST_F(CheckpointErrorsTest, MissingFile) {
  const std::string folder = Copy();
  fs::remove(folder + "/history.bin");
  const std::string error = ErrorOf(folder, Spec());
  EXPECT_NE(error.find("history.bin: missing"), std::string::npos) << error;
}

TEST_F(CheckpointErrorsTest, UnknownFormatVersion) {
  const std::string folder = Copy();
  auto manifest = nlohmann::json::parse(ReadBytes(folder + "/manifest.json"));
  manifest["version"] = 99;
  WriteBytes(folder + "/manifest.json", manifest.dump());
  const std::string error = ErrorOf(folder, Spec());
  EXPECT_NE(error.find("manifest.json: unknown format version 99"), std::string::npos) << error;
}

TEST_F(CheckpointErrorsTest, NoCheckpointAtAll) {
  const std::string error = ErrorOf(scratch_.path(), Spec());
  EXPECT_NE(error.find("no checkpoint here"), std::string::npos) << error;
}

TEST_F(CheckpointErrorsTest, DifferentConfigNamesTheKey) {
  ExperimentSpec tau = Spec();
  tau.algorithm.tau = 4;
  EXPECT_NE(ErrorOf(*dir_ / "ck", tau)
                .find("checkpoint was made with algorithm.tau = 2, this config has 4"),
            std::string::npos);
  ExperimentSpec workers = Spec();
  workers.cluster.workers = 3;
  EXPECT_NE(ErrorOf(*dir_ / "ck", workers)
                .find("checkpoint was made with cluster.workers = 2, this config has 3"),
            std::string::npos);
  ExperimentSpec lr = Spec();
  lr.training.lr = 0.5;
  EXPECT_NE(ErrorOf(*dir_ / "ck", lr).find("training.lr = 0.05, this config has 0.5"),
            std::string::npos);
}

TEST_F(CheckpointErrorsTest, SettingsThatDoNotChangeTheNumbersMayDiffer) {
  ExperimentSpec spec = Spec();
  spec.evaluation.test_batch = 30;
  spec.cluster.checkpoint_every_rounds = 1;
  spec.output.dir = "/elsewhere";
  EXPECT_EQ(ErrorOf(*dir_ / "ck", spec), "");
}

TEST_F(CheckpointErrorsTest, StoreAssemblesPartsAndForcesAWrite) {
  const ExperimentSpec spec = Spec();
  const Checkpoint disk = LoadCheckpoint(*dir_ / "ck", spec);
  CheckpointStore memory(spec, "");
  for (const TrainerPart& t : disk.trainers) EXPECT_FALSE(memory.AddTrainerPart(t));
  EXPECT_FALSE(memory.AddReducerPart(disk.reducers[0]));
  EXPECT_EQ(memory.AddReducerPart(disk.reducers[1]), std::optional<int64_t>(4));
  EXPECT_FALSE(memory.latest());
  memory.Commit(4, disk.history);
  ASSERT_TRUE(memory.LatestReducer(1));
  EXPECT_EQ(memory.LatestReducer(1)->state.shard, 1);
  EXPECT_EQ(memory.LatestReducer(1)->arrays[kReducerResult].size(),
            disk.reducers[1].arrays[kReducerResult].size());
  EXPECT_FALSE(memory.LatestReducer(2));
  EXPECT_THROW(memory.WriteLatest(), CheckpointError);  // nowhere to write

  CheckpointStore store(spec, scratch_ / "forced");
  EXPECT_EQ(store.WriteLatest(), "");  // nothing complete yet
  for (const TrainerPart& t : disk.trainers) store.AddTrainerPart(t);
  for (const ReducerPart& r : disk.reducers) store.AddReducerPart(r);
  store.Commit(4, disk.history);
  const std::string folder = store.WriteLatest();
  EXPECT_EQ(folder, scratch_ / "forced/round-000004");
  const Checkpoint again = LoadCheckpoint(scratch_ / "forced", spec);
  EXPECT_EQ(again.round, 4);
  EXPECT_EQ(again.history.rounds.size(), disk.history.rounds.size());
  EXPECT_EQ(store.stats().written, 1);
  EXPECT_GT(store.stats().last_bytes, 0u);
}

}  // namespace
// A worker lost under on_failure: continue never sends its part: the store
// keeps only a bounded number of incomplete rounds, and a round whose parts
// do all come still completes.
TEST_F(CheckpointErrorsTest, StoreBoundsIncompleteRounds) {
  const ExperimentSpec spec = Spec();
  const Checkpoint disk = LoadCheckpoint(*dir_ / "ck", spec);
  CheckpointStore store(spec, "");
  // Rounds 1..20 get every part but worker 0's.
  for (int64_t round = 1; round <= 20; ++round) {
    for (size_t w = 1; w < disk.trainers.size(); ++w) {
      TrainerPart t = disk.trainers[w];
      t.state.round = round;
      EXPECT_FALSE(store.AddTrainerPart(t));
    }
    for (const ReducerPart& r : disk.reducers) {
      ReducerPart part = r;
      part.state.round = round;
      EXPECT_FALSE(store.AddReducerPart(part));
    }
  }
  // Round 20 is still held: its last part completes it.
  TrainerPart last = disk.trainers[0];
  last.state.round = 20;
  EXPECT_EQ(store.AddTrainerPart(last), std::optional<int64_t>(20));
  // Round 1 was dropped long ago: its last part starts it afresh.
  TrainerPart first = disk.trainers[0];
  first.state.round = 1;
  EXPECT_FALSE(store.AddTrainerPart(first));
}

}  // namespace olsgd::actors
