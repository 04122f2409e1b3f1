// Helpers for the checkpoint tests: a temporary folder, an observer that
// keeps every record, and running a spec with checkpoint options.
#ifndef OLSGD_TESTS_ACTORS_CHECKPOINT_TEST_UTIL_H_
#define OLSGD_TESTS_ACTORS_CHECKPOINT_TEST_UTIL_H_

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "actors/run/run_experiment.h"

namespace olsgd::actors::test_util {

class TempFolder {
 public:
  TempFolder() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "olsgd-ckpt-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Keeps every round record (worker, round) and evaluation round; can raise
// a stop flag once a round is reported.
class KeepingObserver : public RunObserver {
 public:
  void OnRound(const RoundRecord& r) override {
    std::lock_guard<std::mutex> lock(mu_);
    rounds_.push_back({r.worker, r.round});
    records_.push_back(r);
    if (stop_ != nullptr && r.round >= stop_at_) stop_->store(true);
  }
  void OnEval(const EvalRecord& e) override {
    std::lock_guard<std::mutex> lock(mu_);
    evals_.push_back(e.round);
  }
  void StopAt(int64_t round, std::atomic<bool>* stop) {
    stop_at_ = round;
    stop_ = stop;
  }
  std::vector<std::pair<int, int64_t>> rounds() {
    std::lock_guard<std::mutex> lock(mu_);
    return rounds_;
  }
  std::vector<RoundRecord> records() {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }
  std::vector<int64_t> evals() {
    std::lock_guard<std::mutex> lock(mu_);
    return evals_;
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<int, int64_t>> rounds_;
  std::vector<int64_t> evals_;
  std::vector<RoundRecord> records_;
  int64_t stop_at_ = 0;
  std::atomic<bool>* stop_ = nullptr;
};

inline RunOutcome RunWithCheckpoints(const ExperimentSpec& spec, const std::string& checkpoint_dir,
                                     const std::string& resume_from,
                                     RunObserver* observer = nullptr,
                                     const std::atomic<bool>* stop = nullptr) {
  RunObserver plain;
  RunOptions options;
  options.checkpoint_dir = checkpoint_dir;
  options.resume_from = resume_from;
  options.stop = stop;
  return RunAndCollect(spec, observer != nullptr ? *observer : plain, options);
}

// Bit-for-bit equality of the workers' final models.
inline bool SameBits(const std::vector<std::vector<float>>& a,
                     const std::vector<std::vector<float>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != b[i].size() || a[i].empty()) return false;
    if (std::memcmp(a[i].data(), b[i].data(), a[i].size() * sizeof(float)) != 0) return false;
  }
  return true;
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteBytes(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

}  // namespace olsgd::actors::test_util

#endif  // OLSGD_TESTS_ACTORS_CHECKPOINT_TEST_UTIL_H_
