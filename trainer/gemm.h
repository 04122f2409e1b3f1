#pragma once

#include <cblas.h>

#include <vector>

namespace olsgd::train {

// One sgemm call's arguments (row-major), as recorded by a GemmLog.
struct GemmCall {
  CBLAS_TRANSPOSE trans_a, trans_b;
  int m, n, k, lda, ldb, ldc;
  float beta;
};

// While a GemmLog is active on a thread, every Sgemm on that thread appends its
// shape to it. The benchmark uses this to time a step's GEMMs alone at exactly
// the shapes the step used. Thread-local, so models on other threads are
// unaffected.
class GemmLog {
 public:
  GemmLog() : previous_(active_) { active_ = this; }
  ~GemmLog() { active_ = previous_; }
  GemmLog(const GemmLog&) = delete;
  GemmLog& operator=(const GemmLog&) = delete;

  const std::vector<GemmCall>& calls() const { return calls_; }
  // The innermost active log of this thread, or null.
  static GemmLog* active() { return active_; }
  void Record(const GemmCall& c) { calls_.push_back(c); }

 private:
  GemmLog* previous_;
  std::vector<GemmCall> calls_;
  static inline thread_local GemmLog* active_ = nullptr;
};

// C = A B (with the given transposes) + beta C, alpha = 1, row-major; the
// single place the trainer calls BLAS.
inline void Sgemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const float* a,
                  int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  if (GemmLog* log = GemmLog::active()) log->Record({ta, tb, m, n, k, lda, ldb, ldc, beta});
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace olsgd::train
