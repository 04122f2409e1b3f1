// Small file helpers shared by the writers.
#ifndef OLSGD_CLI_OUTPUT_FILES_H_
#define OLSGD_CLI_OUTPUT_FILES_H_

#include <string>

namespace olsgd::cli {

// Writes `content` to `path` through a temporary file in the same folder,
// flushed to disk and renamed over `path`, so readers see the old file or the
// new one, never half of one. Throws std::runtime_error naming the file.
void WriteFileAtomic(const std::string& path, const std::string& content);

// The whole file, or throws std::runtime_error naming it.
std::string ReadFile(const std::string& path);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_OUTPUT_FILES_H_
