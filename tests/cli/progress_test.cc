// The progress display: plain lines off a terminal, a live line on one,
// nothing when quiet.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/progress_display.h"

namespace olsgd::cli {
namespace {

actors::ExperimentSpec Spec(actors::TimeMode mode = actors::TimeMode::kWall) {
  actors::ExperimentSpec spec;
  spec.time.mode = mode;
  spec.name = "p";
  spec.training.epochs = 2;
  spec.algorithm.tau = 2;
  return spec;
}

actors::EvalRecord Eval(double epoch, int64_t iteration, double acc) {
  actors::EvalRecord e;
  e.wall_s = 10 * epoch;
  e.epoch = epoch;
  e.iteration = iteration;
  e.round = iteration / 2;
  e.test_accuracy = acc;
  e.train_loss = 0.5;
  e.test_loss = 0.6;
  return e;
}

TEST(Progress, PlainLinesWhenNotATerminal) {
  std::ostringstream out;
  ProgressDisplay p(out, Verbosity::kNormal, false, "run", Spec());
  p.OnRound({0, 1, 0, 1, 0.9, 0.1});
  EXPECT_EQ(out.str(), "");  // rounds are not logged at normal verbosity
  p.OnEval(Eval(1.0, 100, 0.8125));
  p.Finish();
  EXPECT_EQ(out.str(),
            "[run] epoch 1.00 iter 100 round 50 test_acc 81.25% test_loss 0.6000 train_loss "
            "0.5000 blocked 10.00% wall 10.0s\n");
  EXPECT_DOUBLE_EQ(p.Fraction(), 0.5);
}

TEST(Progress, VirtualTimeIsLabelledAndTheEtaIsTheHosts) {
  std::ostringstream plain;
  ProgressDisplay p(plain, Verbosity::kNormal, false, "run", Spec(actors::TimeMode::kVirtual));
  p.OnRound({0, 1, 0, 1, 0.9, 0.1});
  p.OnEval(Eval(1.0, 100, 0.8125));
  EXPECT_NE(plain.str().find("blocked 10.00% virtual 10.0s"), std::string::npos) << plain.str();
  // On a terminal: the simulated clock is named; the ETA counts host seconds,
  // not the 10 simulated ones (this test's host took almost none).
  std::ostringstream live;
  ProgressDisplay q(live, Verbosity::kNormal, true, "run", Spec(actors::TimeMode::kVirtual));
  q.OnEval(Eval(1.0, 100, 0.8125));
  EXPECT_NE(q.StatusLine().find("(virtual time) ETA 0:0"), std::string::npos) << q.StatusLine();
}

TEST(Progress, LiveLineOnATerminal) {
  std::ostringstream out;
  ProgressDisplay p(out, Verbosity::kNormal, true, "run", Spec());
  p.OnEval(Eval(1.0, 100, 0.8125));
  // The ETA is the host's time left (almost none in this test).
  EXPECT_EQ(p.StatusLine().rfind(
                "[run] [##########----------] 50% epoch 1.00/2.00 round 50 acc 81.25% blocked - "
                "(wall time) ETA 0:0",
                0),
            0u)
      << p.StatusLine();
  p.OnRound({0, 75, 10, 15, 4, 1});  // round 75 of 100: 75% by rounds
  EXPECT_DOUBLE_EQ(p.Fraction(), 0.75);
  p.Finish();
  EXPECT_NE(out.str().find("\r\033[K[run] [###############-----] 75%"), std::string::npos)
      << out.str();
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(Progress, QuietPrintsNothingAndVerboseAddsRounds) {
  std::ostringstream quiet_out, verbose_out;
  ProgressDisplay quiet(quiet_out, Verbosity::kQuiet, true, "q", Spec());
  quiet.OnRound({0, 1, 0, 1, 0.9, 0.1});
  quiet.OnEval(Eval(1.0, 100, 0.8));
  quiet.Finish();
  EXPECT_EQ(quiet_out.str(), "");
  ProgressDisplay verbose(verbose_out, Verbosity::kVerbose, false, "v", Spec());
  verbose.OnRound({1, 3, 0, 1, 0.9, 0.1, 0, 1, 64});
  EXPECT_EQ(verbose_out.str(),
            "[v] round 3 worker 1 compute 0.9000s blocked 0.1000s bytes out 64\n");
}

TEST(Progress, StepsBasedProgress) {
  actors::ExperimentSpec spec = Spec();
  spec.training.steps = 400;
  std::ostringstream out;
  ProgressDisplay p(out, Verbosity::kQuiet, false, "s", spec);
  p.OnRound({0, 50, 0, 1, 1, 0});
  EXPECT_DOUBLE_EQ(p.Fraction(), 0.25);
}

TEST(Progress, FormatDuration) {
  EXPECT_EQ(FormatDuration(65), "1:05");
  EXPECT_EQ(FormatDuration(3723), "1:02:03");
  EXPECT_EQ(FormatDuration(-1), "?");
}

}  // namespace
}  // namespace olsgd::cli
