#include "trainer/lr_schedule.h"

#include <stdexcept>

namespace olsgd::train {

LrSchedule::LrSchedule(LrScheduleOptions options) : o_(std::move(options)) {
  if (o_.total_batch <= 0 || o_.reference_batch <= 0) {
    throw std::invalid_argument("LrSchedule: batch sizes must be > 0");
  }
  peak_ = static_cast<float>(static_cast<double>(o_.base_lr) * o_.total_batch / o_.reference_batch);
}

float LrSchedule::At(double epoch) const {
  if (epoch < o_.warmup_epochs) {
    const double start = o_.warmup_start_lr < 0 ? o_.base_lr : o_.warmup_start_lr;
    return static_cast<float>(start + (peak_ - start) * (epoch / o_.warmup_epochs));
  }
  double lr = peak_;
  for (double m : o_.milestones) {
    if (epoch >= m) lr *= o_.gamma;
  }
  return static_cast<float>(lr);
}

}  // namespace olsgd::train
