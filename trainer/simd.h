#pragma once

// OLSGD_SIMD_CLONES compiles a function for AVX2 as well as for the baseline
// x86-64 ISA (SSE2), and the loader picks the AVX2 one where the CPU has it
// (GCC/Clang function multiversioning). Meant for the trainer's elementwise
// loops, which at 4 floats per instruction are bound by instruction issue
// rather than memory: the SGD step over 235k parameters takes ~58 us with
// SSE2 and ~41 us with AVX2 on the bench machine.
//
// Results stay bit-identical between the two: the loops it is used on do the
// same IEEE operations per element in either width (no sums are reassociated,
// and AVX2 alone does not enable FMA, so nothing is contracted).
//
// Not under ThreadSanitizer: the loader calls a multiversioned function's
// resolver while it relocates the program, before the TSan runtime is up, and
// clang instruments the resolver, which then crashes (a test binary died in
// ReluForward's resolver before main).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OLSGD_NO_SIMD_CLONES 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define OLSGD_NO_SIMD_CLONES 1
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(OLSGD_NO_SIMD_CLONES)
#define OLSGD_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define OLSGD_SIMD_CLONES
#endif
