// Result<T> and Error: how every runtime operation that can fail reports it.
// Errors are values (no exceptions cross the runtime's API), except that an
// exception thrown by an actor method is caught and turned into an Error for
// the caller's future.
#ifndef OLSGD_RUNTIME_ERROR_H_
#define OLSGD_RUNTIME_ERROR_H_

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "runtime/msgpack_safe.h"

namespace olsgd::rt {

// Stable numeric codes; they travel across processes in error replies.
enum class ErrorCode : int {
  kOk = 0,
  kUnknown = 1,
  kTimeout = 2,        // a wait ran out of time
  kActorFailed = 3,    // the method threw; message holds what()
  kActorStopped = 4,   // the target actor is stopped or was never there
  kNotFound = 5,       // no such name, node or actor type
  kAlreadyExists = 6,  // a name is already registered
  kTypeMismatch = 7,   // handle type differs from the actor's type
  kUnknownMethod = 8,  // method name not in the target's MethodTable
  kDecode = 9,         // malformed message or argument types that do not match
  kTransport = 10,     // undeliverable: peer unknown, unreachable or send failed
  kBackpressure = 11,  // outgoing queue to a peer stayed full past the send timeout
  kShutdown = 12,      // the runtime is shutting down
  kInvalidArgument = 13,
  kBrokenPromise = 14,  // a promise was destroyed without a value
  kNodeLost = 15,       // the target node left or was declared lost (no heartbeat)
};

// Short name of a code, e.g. "timeout".
const char* ErrorCodeName(ErrorCode code);

// An error: a code plus a message for humans.
struct Error {
  ErrorCode code = ErrorCode::kUnknown;
  std::string message;

  // "timeout: waited 100 ms for reply".
  std::string ToString() const;
  MSGPACK_DEFINE(code, message)
};

// Thrown by Result<T>::value() on an error, so code that prefers exceptions
// can use them.
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error e) : std::runtime_error(e.ToString()), error_(std::move(e)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// A value or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The value; throws ErrorException on an error.
  T& value() & {
    Check();
    return std::get<0>(v_);
  }
  const T& value() const& {
    Check();
    return std::get<0>(v_);
  }
  T&& value() && {
    Check();
    return std::get<0>(std::move(v_));
  }
  T value_or(T fallback) const { return ok() ? std::get<0>(v_) : std::move(fallback); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; only valid when !ok().
  const Error& error() const { return std::get<1>(v_); }

 private:
  void Check() const {
    if (!ok()) throw ErrorException(std::get<1>(v_));
  }
  std::variant<T, Error> v_;
};

// Success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const {
    if (!ok_) throw ErrorException(error_);
  }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status OkStatus() { return Status(); }

}  // namespace olsgd::rt

MSGPACK_ADD_ENUM(olsgd::rt::ErrorCode);

#endif  // OLSGD_RUNTIME_ERROR_H_
