#pragma once

#include <vector>

namespace olsgd::train {

// Learning-rate schedule as in the paper's setting (Goyal et al.):
//   peak = base_lr * total_batch / reference_batch          (linear scaling)
//   warm-up (epoch < warmup_epochs): linear from warmup_start_lr to peak
//   after: peak * gamma^(number of milestones <= epoch)      (step decay)
// warmup_start_lr < 0 means "start from base_lr" (the unscaled rate).
struct LrScheduleOptions {
  float base_lr = 0.1f;
  int total_batch = 128;      // batch per worker * workers
  int reference_batch = 128;  // the batch base_lr was tuned for
  double warmup_epochs = 0.0;
  float warmup_start_lr = -1.0f;
  std::vector<double> milestones;  // epochs, ascending
  float gamma = 0.1f;
};

// The learning rate at a (fractional) epoch.
class LrSchedule {
 public:
  explicit LrSchedule(LrScheduleOptions options);
  // The rate in force at `epoch` (fractional epochs, 0-based).
  float At(double epoch) const;
  // The scaled peak rate.
  float peak() const { return peak_; }

 private:
  LrScheduleOptions o_;
  float peak_;
};

}  // namespace olsgd::train
