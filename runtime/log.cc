#include "runtime/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdlib>

namespace olsgd::rt {

spdlog::logger& Log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::get("olsgd");
    if (!l) l = spdlog::stderr_color_mt("olsgd");
    spdlog::set_default_logger(l);
    l->set_level(spdlog::level::warn);
    if (const char* env = std::getenv("OLSGD_LOG_LEVEL")) {
      auto level = spdlog::level::from_str(env);
      if (level != spdlog::level::off || std::string_view(env) == "off") l->set_level(level);
    }
    return l;
  }();
  return *logger;
}

bool SetLogLevel(std::string_view level) {
  auto l = spdlog::level::from_str(std::string(level));
  if (l == spdlog::level::off && level != "off") return false;
  Log().set_level(l);
  return true;
}

}  // namespace olsgd::rt
