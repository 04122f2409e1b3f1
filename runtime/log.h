// Logging through spdlog: one logger, "olsgd", for the runtime, the actors
// and the CLI alike (it is also spdlog's default logger). Its level starts at
// warn, or at the OLSGD_LOG_LEVEL environment variable; RuntimeOptions::
// log_level and the CLI's -q / -v change it.
#ifndef OLSGD_RUNTIME_LOG_H_
#define OLSGD_RUNTIME_LOG_H_

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace olsgd::rt {

// The logger (created on first use, stderr, thread-safe).
spdlog::logger& Log();

// "trace", "debug", "info", "warn", "error", "critical" or "off". Unknown
// names leave the level unchanged and return false.
bool SetLogLevel(std::string_view level);

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_LOG_H_
