#pragma once

#include <cstdint>

namespace olsgd::train {

// Mean softmax cross-entropy of `batch` rows of `classes` logits against
// integer labels. If `dlogits` is non-null it receives dL/dlogits of the mean
// loss. If `correct` is non-null it receives how many rows' argmax (first
// maximum) equals the label. Sums are accumulated in double.
double SoftmaxCrossEntropy(const float* logits, const int32_t* labels, int batch, int classes,
                           float* dlogits, int64_t* correct);

}  // namespace olsgd::train
