#include "cli/build_info.h"

#include <unistd.h>

#include <ctime>

#include "git_revision.h"  // generated at build time (cmake/git_revision.cmake)

namespace olsgd::cli {
namespace {

std::string FormatUtc(std::chrono::system_clock::time_point t, const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof(buf), format, &utc);
  return std::string(buf, n);
}

}  // namespace

std::string GitRevision() { return OLSGD_GIT_REVISION; }

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "unknown";
  return buf;
}

std::string IsoTimeUtc(std::chrono::system_clock::time_point t) {
  return FormatUtc(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::string FolderTimestamp(std::chrono::system_clock::time_point t) {
  return FormatUtc(t, "%Y%m%d-%H%M%S");
}

}  // namespace olsgd::cli
