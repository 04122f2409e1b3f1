// Logging through spdlog: one logger named "olsgd.rt", level from
// RuntimeOptions::log_level or the OLSGD_LOG_LEVEL environment variable.
#ifndef OLSGD_RUNTIME_LOG_H_
#define OLSGD_RUNTIME_LOG_H_

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace olsgd::rt {

// The runtime's logger (created on first use, stderr, thread-safe).
spdlog::logger& Log();

// "trace", "debug", "info", "warn", "error", "critical" or "off". Unknown
// names leave the level unchanged and return false.
bool SetLogLevel(std::string_view level);

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_LOG_H_
