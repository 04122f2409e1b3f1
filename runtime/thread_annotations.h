// Clang thread-safety annotations
// (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html).
//
// Under clang they tell -Wthread-safety which mutex guards which member and
// which locks a function needs, takes or must not hold, so that a missing or
// misplaced lock is a compile error in the OLSGD_THREAD_SAFETY=ON build. Under
// other compilers they expand to nothing. libstdc++'s std::mutex carries no
// annotations, so annotated code uses the wrappers in runtime/mutex.h.
//
// The runtime's lock order (which lock may be taken while holding which) is
// written down in runtime/runtime.h and enforced in checking builds by the
// lock ranks of runtime/mutex.h.
#ifndef OLSGD_RUNTIME_THREAD_ANNOTATIONS_H_
#define OLSGD_RUNTIME_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define OLSGD_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define OLSGD_THREAD_ANNOTATION_(x)
#endif

// A type whose objects are locks ("mutex").
#define CAPABILITY(x) OLSGD_THREAD_ANNOTATION_(capability(x))
// An RAII type that holds a lock for its lifetime.
#define SCOPED_CAPABILITY OLSGD_THREAD_ANNOTATION_(scoped_lockable)

// A member that may be read or written only with the lock held.
#define GUARDED_BY(x) OLSGD_THREAD_ANNOTATION_(guarded_by(x))
// A pointer whose pointee may be used only with the lock held.
#define PT_GUARDED_BY(x) OLSGD_THREAD_ANNOTATION_(pt_guarded_by(x))

// Order between two locks (clang checks these only with -Wthread-safety-beta;
// runtime/mutex.h checks the order at run time in checking builds).
#define ACQUIRED_BEFORE(...) OLSGD_THREAD_ANNOTATION_(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) OLSGD_THREAD_ANNOTATION_(acquired_after(__VA_ARGS__))

// The caller must hold the lock (exclusively / at least shared).
#define REQUIRES(...) OLSGD_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) OLSGD_THREAD_ANNOTATION_(requires_shared_capability(__VA_ARGS__))
// The function takes / releases the lock and returns with it held / free.
#define ACQUIRE(...) OLSGD_THREAD_ANNOTATION_(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) OLSGD_THREAD_ANNOTATION_(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) OLSGD_THREAD_ANNOTATION_(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) OLSGD_THREAD_ANNOTATION_(release_shared_capability(__VA_ARGS__))
// The function takes the lock if it returns `true_value`.
#define TRY_ACQUIRE(...) OLSGD_THREAD_ANNOTATION_(try_acquire_capability(__VA_ARGS__))
// The caller must not hold the lock (the function takes it).
#define EXCLUDES(...) OLSGD_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))
// The function returns a reference to this lock (for REQUIRES elsewhere).
#define RETURN_CAPABILITY(x) OLSGD_THREAD_ANNOTATION_(lock_returned(x))
// Turns the analysis off for one function; say why next to each use.
#define NO_THREAD_SAFETY_ANALYSIS OLSGD_THREAD_ANNOTATION_(no_thread_safety_analysis)

#endif  // OLSGD_RUNTIME_THREAD_ANNOTATIONS_H_
