#pragma once

// The whole public API of olsgd_trainer (namespace olsgd::train): training
// numerics on OpenBLAS, data, and the algorithms' update math. Knows nothing
// about actors. See docs/TRAINER.md.

#include "trainer/algorithms.h"     // MeanOf, PullBack, SlowMoUpdate, ... on flat vectors
#include "trainer/batch_sampler.h"  // BatchSampler: per-worker seeded reshuffling
#include "trainer/data_error.h"     // DataError
#include "trainer/data_spec.h"      // LoadDataset / Partition by name
#include "trainer/dataset.h"        // Dataset, Batch, MakeSynthetic, Subset, Normalize
#include "trainer/loaders.h"        // LoadFashionMnist, LoadCifar10
#include "trainer/lr_schedule.h"    // LrSchedule: warm-up, milestones, linear scaling
#include "trainer/model.h"          // Model, ModelConfig, BuildModel, EvalResult
#include "trainer/partition.h"      // PartitionIid / Dirichlet / LabelSorted
#include "trainer/rng.h"            // Rng (checkpointable), MixSeed
#include "trainer/sgd.h"            // Sgd, SgdOptions
