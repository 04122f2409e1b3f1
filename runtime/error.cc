#include "runtime/error.h"

namespace olsgd::rt {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kUnknown:
      return "unknown";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kActorFailed:
      return "actor_failed";
    case ErrorCode::kActorStopped:
      return "actor_stopped";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kTypeMismatch:
      return "type_mismatch";
    case ErrorCode::kUnknownMethod:
      return "unknown_method";
    case ErrorCode::kDecode:
      return "decode";
    case ErrorCode::kTransport:
      return "transport";
    case ErrorCode::kBackpressure:
      return "backpressure";
    case ErrorCode::kShutdown:
      return "shutdown";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kBrokenPromise:
      return "broken_promise";
    case ErrorCode::kNodeLost:
      return "node_lost";
  }
  return "unknown";
}

std::string Error::ToString() const { return std::string(ErrorCodeName(code)) + ": " + message; }

}  // namespace olsgd::rt
