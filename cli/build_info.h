// Facts about this build and this machine that summary.json records.
#ifndef OLSGD_CLI_BUILD_INFO_H_
#define OLSGD_CLI_BUILD_INFO_H_

#include <chrono>
#include <string>

namespace olsgd::cli {

// `git rev-parse --short HEAD` at configure time, or "unknown".
std::string GitRevision();

// This machine's host name, or "unknown".
std::string HostName();

// UTC time as 2026-11-25T20:31:55Z.
std::string IsoTimeUtc(std::chrono::system_clock::time_point t);

// UTC time as 20261125-203155, for folder names.
std::string FolderTimestamp(std::chrono::system_clock::time_point t);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_BUILD_INFO_H_
