// Helpers shared by the cli tests.
#ifndef OLSGD_TESTS_CLI_TEST_UTIL_H_
#define OLSGD_TESTS_CLI_TEST_UTIL_H_

#include <string>
#include <vector>

namespace olsgd::cli::testing {

// A fresh empty folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `text` to `path`.
void WriteText(const std::string& path, const std::string& text);

// The file's lines, without newlines.
std::vector<std::string> ReadLines(const std::string& path);

// A CSV line split at commas (no quoting in olsgd's files).
std::vector<std::string> SplitCsv(const std::string& line);

// A path inside the source tree.
std::string SourcePath(const std::string& relative);

}  // namespace olsgd::cli::testing

#endif  // OLSGD_TESTS_CLI_TEST_UTIL_H_
