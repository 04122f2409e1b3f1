// TrainerActor's side of time (docs/TIME.md): its clock (the host's steady
// clock, or its virtual clock in virtual time), what a local step costs, and
// the trace spans on that clock. Kept apart from trainer_actor.cc, which is
// about training.
#include <stdexcept>
#include <thread>

#include "actors/roles/trainer_actor.h"
#include "actors/worker/cpu_time.h"

namespace olsgd::actors {
namespace {

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

rt::VirtualTime ToVirtual(double seconds) {
  return rt::VirtualTime(static_cast<int64_t>(std::llround(seconds * 1e9)));
}

}  // namespace

double TrainerActor::Now() const {
  if (virtual_) return static_cast<double>(context().VirtualNow().count()) * 1e-9;
  return Seconds(Clock::now() - origin_);
}

void TrainerActor::StartClock(int64_t origin_unix_ns) {
  if (virtual_) {
    start_s_ = Now();  // every actor's virtual clock starts at the run's start, 0
    return;
  }
  // Map the run's system-clock origin onto this node's steady clock.
  const auto since_origin = std::chrono::system_clock::now().time_since_epoch() -
                            std::chrono::nanoseconds(origin_unix_ns);
  origin_ = Clock::now() - std::chrono::duration_cast<Clock::duration>(since_origin);
  start_s_ = Now();
}

void TrainerActor::ContinueClock(double since_origin_s, double elapsed_s) {
  if (virtual_) {
    context().AdvanceTo(ToVirtual(since_origin_s));
  } else {
    origin_ -= std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(since_origin_s - Now()));
  }
  start_s_ = Now() - elapsed_s;
}

float TrainerActor::TimedStep(int64_t round) {
  // Exchanging gradients, the step is applied once their average arrives.
  const bool gradient_only = algorithm_.traits.exchanges_gradients;
  const double begin = Now();
  if (!virtual_) {
    const float loss = gradient_only ? local_->ComputeGradient() : local_->LocalStep();
    const double extra = stragglers_.ExtraDelay(round, Now() - begin);
    if (extra > 0) std::this_thread::sleep_for(std::chrono::duration<double>(extra));
    const double end = Now();
    Span("compute", "step", begin, end, {{"round", round}});
    round_.compute_s += end - begin;
    round_.injected_delay_s += extra;
    return loss;
  }
  // Virtual: nothing sleeps. An unavailable device waits for its next
  // interval; the step costs its measured CPU time or its modelled FLOPs at
  // the device's speed, and stragglers act on that cost.
  const std::optional<double> available = AvailableFrom(device_, begin);
  if (!available) {
    throw std::runtime_error("trainer " + std::to_string(worker_) +
                             ": its device has no "
                             "availability after " +
                             std::to_string(begin) +
                             " s (time.device_trace), with steps left to run");
  }
  if (*available > begin) {
    context().AdvanceTo(ToVirtual(*available));
    round_.injected_delay_s += *available - begin;
  }
  const double cpu0 = ThreadCpuSeconds();
  const float loss = gradient_only ? local_->ComputeGradient() : local_->LocalStep();
  const double cost = spec_.time.compute == ComputeCost::kModel
                          ? step_flops_ / (spec_.time.device_gflops * 1e9 * device_.speed)
                          : (ThreadCpuSeconds() - cpu0) / device_.speed;
  const double extra = stragglers_.ExtraDelay(round, cost);
  const double start = Now();
  context().Advance(ToVirtual(cost + extra));
  const double end = Now();
  Span("compute", "step", start, end, {{"round", round}});
  round_.compute_s += end - start;
  round_.injected_delay_s += extra;
  return loss;
}

void TrainerActor::WaitUntilReady(rt::VirtualTime ready) {
  if (!virtual_) return;
  context().SetWaiting(false);
  if (ready != rt::kNoVirtualTime) context().AdvanceTo(ready);
}

void TrainerActor::Span(const char* category, std::string name, double begin_s, double end_s,
                        std::vector<rt::SpanArg> args) const {
  const auto at = [&](double s) {
    const auto base = virtual_ ? context().spans().origin() : origin_;
    return base + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };
  context().RecordSpan(category, std::move(name), at(begin_s), at(end_s), std::move(args));
}

}  // namespace olsgd::actors
