#include "cli/progress_display.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "actors/algorithms/algorithm.h"
#include "actors/spec/time_mode.h"

namespace olsgd::cli {
namespace {

constexpr int kBarWidth = 20;
constexpr double kRedrawEvery_s = 0.1;

std::string Percent(double fraction) {
  if (std::isnan(fraction)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f%%", fraction * 100);
  return buf;
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long total = std::lround(seconds);
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld", total / 60, total % 60);
  }
  return buf;
}

ProgressDisplay::ProgressDisplay(std::ostream& out, Verbosity verbosity, bool tty,
                                 std::string label, const actors::ExperimentSpec& spec)
    : out_(out),
      verbosity_(verbosity),
      tty_(tty),
      label_(std::move(label)),
      total_epochs_(spec.training.epochs),
      total_steps_(spec.training.steps),
      tau_(actors::RoundSteps(spec)),
      clock_(actors::ClockName(spec)),
      host_start_(std::chrono::steady_clock::now()) {}

double ProgressDisplay::HostSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start_).count();
}

double ProgressDisplay::Fraction() const {
  double f = 0;
  if (total_steps_ > 0) {
    f = static_cast<double>(std::max(iteration_, round_ * tau_)) /
        static_cast<double>(total_steps_);
  } else if (total_epochs_ > 0) {
    double epoch = epoch_;
    if (epochs_per_iteration_ > 0) {
      epoch = std::max(epoch, epochs_per_iteration_ * static_cast<double>(round_ * tau_));
    }
    f = epoch / total_epochs_;
  }
  return std::clamp(f, 0.0, 1.0);
}

std::string ProgressDisplay::StatusLine() const {
  const double f = Fraction();
  const int filled = static_cast<int>(std::floor(f * kBarWidth));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kBarWidth, '-');
  // The ETA is the host's: what is left of the run, at the pace it went so far.
  const double eta = f > 0 ? HostSeconds() / f * (1 - f) : -1;
  std::string line = "[" + label_ + "] [" + bar + "] " + Fixed(f * 100, 0) + "%";
  if (total_steps_ > 0) {
    line += " step " + std::to_string(std::max(iteration_, round_ * tau_)) + "/" +
            std::to_string(total_steps_);
  } else {
    line += " epoch " + Fixed(f * total_epochs_, 2) + "/" + Fixed(total_epochs_, 2);
  }
  line += " round " + std::to_string(round_) + " acc " + Percent(accuracy_) + " blocked " +
          Percent(busy_s_ > 0 ? blocked_s_ / busy_s_ : actors::kNoValue) + " (" + clock_ +
          " time) ETA " + FormatDuration(eta);
  return line;
}

void ProgressDisplay::Redraw() {
  if (verbosity_ == Verbosity::kQuiet || !tty_) return;
  out_ << "\r\033[K" << StatusLine() << std::flush;
  line_open_ = true;
  last_draw_s_ = HostSeconds();
}

void ProgressDisplay::OnRound(const actors::RoundRecord& r) {
  now_s_ = std::max(now_s_, r.end_s);
  round_ = std::max(round_, r.round);
  blocked_s_ += r.blocked_s;
  busy_s_ += std::max(0.0, r.end_s - r.start_s);
  if (verbosity_ == Verbosity::kVerbose) {
    if (line_open_) out_ << "\r\033[K";
    out_ << "[" << label_ << "] round " << r.round << " worker " << r.worker << " compute "
         << Fixed(r.compute_s, 4) << "s blocked " << Fixed(r.blocked_s, 4) << "s bytes out "
         << r.bytes_out << "\n";
    line_open_ = false;
  }
  if (tty_ && (last_draw_s_ < 0 || HostSeconds() - last_draw_s_ >= kRedrawEvery_s || !line_open_)) {
    Redraw();
  }
}

void ProgressDisplay::OnEval(const actors::EvalRecord& e) {
  now_s_ = std::max(now_s_, e.wall_s);
  epoch_ = e.epoch;
  iteration_ = e.iteration;
  round_ = std::max(round_, e.round);
  if (e.iteration > 0) epochs_per_iteration_ = e.epoch / static_cast<double>(e.iteration);
  if (!std::isnan(e.test_accuracy)) accuracy_ = e.test_accuracy;
  if (verbosity_ == Verbosity::kQuiet) return;
  if (!tty_ || verbosity_ == Verbosity::kVerbose) {
    if (line_open_) out_ << "\r\033[K";
    out_ << "[" << label_ << "] epoch " << Fixed(e.epoch, 2) << " iter " << e.iteration << " round "
         << e.round << " test_acc " << Percent(e.test_accuracy);
    if (!std::isnan(e.anchor_test_accuracy))
      out_ << " (anchor " << Percent(e.anchor_test_accuracy) << ")";
    out_ << " test_loss " << (std::isnan(e.test_loss) ? "-" : Fixed(e.test_loss, 4))
         << " train_loss " << (std::isnan(e.train_loss) ? "-" : Fixed(e.train_loss, 4))
         << " blocked " << Percent(busy_s_ > 0 ? blocked_s_ / busy_s_ : actors::kNoValue) << " "
         << clock_ << " " << Fixed(e.wall_s, e.wall_s < 10 ? 3 : 1) << "s\n";
    line_open_ = false;
  }
  Redraw();
}

void ProgressDisplay::Finish() {
  if (line_open_) Redraw();  // the last state, whatever the redraw throttle skipped
  if (line_open_) out_ << "\n" << std::flush;
  line_open_ = false;
}

}  // namespace olsgd::cli
